// The first module of every ProcessPool child. Node 20 cannot strip types and the child
// does not inherit the parent's TypeScript loader (tsx, or vitest's transform), so tsx is
// registered here; the big JavaScript libraries the task uses are imported before it, since
// loaded through tsx's loader they take three times the memory (pdf.js: 200 MB against 60).
import process from 'node:process';

// Orphaned (the server was killed): nothing to report to, stop.
process.on('disconnect', () => process.exit(0));

const [module, ...preload] = process.argv.slice(2);
for (const specifier of preload) await import(specifier);
const { register } = await import('tsx/esm/api');
register();
const { run } = await import(module);
process.on('message', async (task) => {
  try {
    process.send({ result: await run(task) });
  } catch (error) {
    process.send({ failure: error instanceof Error ? error.message : String(error) });
  }
});
process.send({ ready: true });

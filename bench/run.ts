/**
 * `npm run bench` runs every bench/<name>.ts, `npm run bench -- NAME` one of them: each
 * default-exports an async function that prints its table and writes bench/results/NAME.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts'].includes(f))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2).filter((a) => a !== '--');
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : available) {
  console.log(`\n== ${name}`);
  const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { default: () => Promise<void> };
  await mod.default();
}

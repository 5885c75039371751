/**
 * The server exactly as server/main.ts runs it, plus one fault on demand for the process
 * tests: on SIGUSR2 it throws from a timer (`FAULT=exception`, the default) or leaves a
 * rejected promise unhandled (`FAULT=rejection`), as a bug in any listener would.
 */
import { runProcess } from '../../server/process';

await runProcess();
process.on('SIGUSR2', () => {
  if (process.env.FAULT === 'rejection') void Promise.reject(new Error('injected rejection'));
  else setTimeout(() => {
    throw new Error('injected fault');
  });
});

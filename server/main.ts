import { runProcess } from './process';

// Composition root: the server as this process's one job (configuration, start, stop, faults).
await runProcess();

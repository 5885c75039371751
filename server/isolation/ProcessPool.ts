import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';

export interface ProcessPoolOptions {
  /** The task module (TypeScript or JavaScript) each child loads; it exports `run(task)`. */
  module: URL;
  /** JavaScript libraries the module uses, loaded natively first (see childEntry.mjs). */
  preload?: string[];
  /** Most children at once (each runs one task at a time). */
  size: number;
  /** Memory of one child (resident, heap included); past it the child is ended and its task fails with `memory`. */
  memoryMb: number;
  /** How long a task may run once a child has taken it; past it the child is ended (`timeout`). */
  taskTimeoutMs: number;
  /** Tasks that may wait for a child; one more is refused at once (`busy`). */
  maxQueue: number;
  /** A child left idle this long exits, giving its memory back; the next task starts a new one. */
  idleMs: number;
}

/** Why a task did not return: ran too long, outgrew its memory, killed its child, found no room, or the pool closed. */
export type TaskFailure = 'timeout' | 'memory' | 'crashed' | 'busy' | 'closed';

export class TaskError extends Error {
  constructor(
    readonly reason: TaskFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TaskError';
  }
}

export interface ProcessPoolEvents {
  /** A child ended under a task (timeout, memory, crash); the next task starts a fresh one. */
  childended: [reason: TaskFailure, error: TaskError];
  closed: [];
}

interface Job<T, R> {
  task: T;
  resolve: (result: R) => void;
  reject: (error: Error) => void;
}

/** One child process: starting (loading its module), then idle or running one job. */
interface Child<T, R> {
  process: ChildProcess;
  ready: boolean;
  job: Job<T, R> | null;
  /** The running job's time budget, or the idle child's exit. */
  timer: NodeJS.Timeout | undefined;
  memoryWatch: NodeJS.Timeout | undefined;
  /** The end of its stderr, which says why V8 aborted. */
  stderr: string;
}

type ChildMessage<R> = { ready: true } | { result: R } | { failure: string };

/** How often a running child's resident memory is read. */
const MEMORY_POLL_MS = 50;
const PAGE_BYTES = 4096;

/** A child's resident memory from /proc (Linux); null elsewhere, where only the heap cap applies. */
async function residentBytes(pid: number): Promise<number | null> {
  try {
    return Number((await fs.readFile(`/proc/${pid}/statm`, 'latin1')).split(' ')[1]) * PAGE_BYTES;
  } catch {
    return null;
  }
}

/**
 * Child processes that run untrusted, unbounded work (opening an uploaded PDF) away from the
 * server's process. Not worker threads: a worker's `resourceLimits` do not hold when one
 * allocation outgrows the heap at once (a sparse array of 60 million entries turning into a
 * dictionary), and V8 then aborts the whole process; and byte arrays (a Flate bomb inflating)
 * live outside any heap cap. A child has a V8 heap cap, its resident memory is read every
 * 50 ms while it works, and it is killed past its memory or its time budget (a task may
 * loop synchronously for ever); an ended child is not reused, a fresh one starts for the
 * next task. Children start on demand and exit after `idleMs` without work.
 */
export class ProcessPool<T, R> extends EventEmitter<ProcessPoolEvents> {
  readonly #children = new Set<Child<T, R>>();
  readonly #queue: Job<T, R>[] = [];
  #closed = false;

  private constructor(private readonly options: ProcessPoolOptions) {
    super();
  }

  static create<T, R>(options: ProcessPoolOptions): ProcessPool<T, R> {
    return new ProcessPool<T, R>(options);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The pids of the children alive now (a test sees an ended child replaced). */
  get pids(): number[] {
    return [...this.#children].map((c) => c.process.pid!);
  }

  /** Runs `task` in a child; rejects with TaskError when it cannot return a result. */
  run(task: T): Promise<R> {
    if (this.#closed) return Promise.reject(new TaskError('closed', 'the pool is closed'));
    // Tasks that would wait for a child to come free (the others run, or will once their child has started).
    const running = [...this.#children].filter((c) => c.job).length;
    const waiting = this.#queue.length - (this.options.size - running);
    if (waiting >= this.options.maxQueue) return Promise.reject(new TaskError('busy', `${waiting} tasks are already waiting`));
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ task, resolve, reject });
      this.#dispatch();
    });
  }

  /** Fails the waiting and running tasks with `closed` and ends every child. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new TaskError('closed', 'the pool closed'));
    await Promise.all([...this.#children].map((c) => this.#end(c, new TaskError('closed', 'the pool closed'))));
    this.emit('closed');
  }

  #dispatch(): void {
    if (this.#closed) return;
    for (const child of this.#children) {
      if (!this.#queue.length) return;
      if (child.ready && !child.job) this.#start(child, this.#queue.shift()!);
    }
    // Children still loading each take a job when ready; start more only for the rest.
    const starting = [...this.#children].filter((c) => !c.ready).length;
    for (let i = starting; i < this.#queue.length && this.#children.size < this.options.size; i++) this.#spawn();
  }

  #start(child: Child<T, R>, job: Job<T, R>): void {
    clearTimeout(child.timer);
    child.job = job;
    child.timer = setTimeout(() => void this.#end(child, new TaskError('timeout', `the task ran over ${this.options.taskTimeoutMs} ms`)), this.options.taskTimeoutMs);
    child.memoryWatch = setInterval(() => void this.#checkMemory(child), MEMORY_POLL_MS);
    child.process.send(job.task as object);
  }

  async #checkMemory(child: Child<T, R>): Promise<void> {
    const bytes = await residentBytes(child.process.pid!);
    if (bytes !== null && bytes > this.options.memoryMb * 1024 * 1024 && child.job) {
      await this.#end(child, new TaskError('memory', `the task used ${Math.round(bytes / 1048576)} MB`));
    }
  }

  #spawn(): void {
    const { module, preload = [], memoryMb } = this.options;
    const proc = fork(new URL('./childEntry.mjs', import.meta.url), [module.href, ...preload], {
      // The parent's flags (its loader, an inspector port) are not the child's; its heap is capped below its memory.
      execArgv: [`--max-old-space-size=${memoryMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const child: Child<T, R> = { process: proc, ready: false, job: null, timer: undefined, memoryWatch: undefined, stderr: '' };
    this.#children.add(child);
    proc.stderr!.setEncoding('utf8').on('data', (s: string) => (child.stderr = (child.stderr + s).slice(-4096)));
    proc.on('message', (message: ChildMessage<R>) => {
      if ('ready' in message) {
        child.ready = true;
      } else {
        const job = child.job;
        clearTimeout(child.timer);
        clearInterval(child.memoryWatch);
        child.job = null;
        if ('result' in message) job?.resolve(message.result);
        else job?.reject(new Error(message.failure));
      }
      if (!child.job) child.timer = setTimeout(() => void this.#end(child, new TaskError('closed', 'idle')), this.options.idleMs);
      this.#dispatch();
    });
    proc.on('error', (error) => void this.#end(child, new TaskError('crashed', error.message)));
    proc.on('exit', (code, signal) => {
      // V8 aborting on its heap cap says so on stderr.
      const outOfMemory = /heap out of memory|Allocation failed/i.test(child.stderr);
      void this.#end(child, new TaskError(outOfMemory ? 'memory' : 'crashed', `the child exited (${signal ?? code})${outOfMemory ? ': heap out of memory' : ''}`));
    });
  }

  /**
   * Ends a child and fails its job with `error`. A child that died while loading fails the
   * next waiting job instead: its module cannot load, and retrying for ever would hide that.
   */
  async #end(child: Child<T, R>, error: TaskError): Promise<void> {
    if (!this.#children.delete(child)) return;
    clearTimeout(child.timer);
    clearInterval(child.memoryWatch);
    const job = child.job ?? (child.ready || error.reason === 'closed' ? null : this.#queue.shift());
    child.job = null;
    // Dead before the task is failed: whoever hears "timeout" knows the work has stopped.
    if (child.process.exitCode === null && child.process.signalCode === null) {
      const exited = new Promise((resolve) => child.process.once('exit', resolve));
      child.process.kill('SIGKILL');
      await exited;
    }
    if (job) {
      if (error.reason !== 'closed') this.emit('childended', error.reason, error);
      job.reject(error);
    }
    this.#dispatch();
  }
}

import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';

/** OWASP's scrypt floor: N=2^17, r=8, p=1 (128 MiB of work memory per hash). */
export const SCRYPT = { N: 2 ** 17, r: 8, p: 1, keylen: 32, maxmem: 256 * 1024 * 1024 } as const;

/** `scrypt$N$r$p$salt$hash`, so parameters can be raised later without breaking old hashes. */
export function formatHash(salt: Buffer, key: Buffer, params: { N: number; r: number; p: number } = SCRYPT): string {
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key || rest.length) return null;
  const parsed = { N: Number(n), r: Number(r), p: Number(p), salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
  return [parsed.N, parsed.r, parsed.p].every(Number.isSafeInteger) && parsed.key.length > 0 ? parsed : null;
}

// Runs on a worker thread: scryptSync computes there, on that thread. (The async crypto.scrypt
// would queue on libuv's 4 shared threads, where sqlite3 and fs wait behind it.)
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
parentPort.on('message', ({ id, password, salt, keylen, N, r, p, maxmem }) => {
  try {
    const key = crypto.scryptSync(password, Buffer.from(salt, 'base64'), keylen, { N, r, p, maxmem });
    parentPort.postMessage({ id, key: key.toString('base64') });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

interface Task {
  id: number;
  password: string;
  params: ParsedHash;
  resolve(key: Buffer): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  task: Task | null;
}

export interface PasswordHasherOptions {
  /** Hashes computed at once, each on its own thread. */
  threads: number;
  /** Hashes that may wait for a thread; one more is refused at once (503 server_busy). */
  maxWaiting: number;
}

export interface PasswordHasherEvents {
  closed: [];
}

/**
 * Password hashing with bounded concurrency, off the event loop and off libuv's pool: a few
 * worker threads, a short queue, and beyond it an immediate `503 server_busy` with
 * Retry-After rather than a queue that grows (50 logins at once used to hold sqlite3's and
 * fs's threads for 13 s). `create`, `hash`, `verify`, `close`.
 */
export class PasswordHasher extends EventEmitter<PasswordHasherEvents> {
  #threads: Thread[] = [];
  #waiting: Task[] = [];
  #nextId = 1;
  #closed = false;

  private constructor(readonly options: PasswordHasherOptions) {
    super();
  }

  static create(options: PasswordHasherOptions): PasswordHasher {
    const hasher = new PasswordHasher(options);
    for (let i = 0; i < options.threads; i++) hasher.#threads.push(hasher.#spawn());
    return hasher;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Hashes being computed or waiting. */
  get load(): number {
    return this.#threads.filter((t) => t.task).length + this.#waiting.length;
  }

  async hash(password: string): Promise<string> {
    const salt = crypto.randomBytes(16);
    const key = await this.#submit(password, { ...SCRYPT, salt, key: Buffer.alloc(SCRYPT.keylen) });
    return formatHash(salt, key);
  }

  /** Whether `password` matches `stored` (false for a hash this server cannot read). */
  async verify(password: string, stored: string): Promise<boolean> {
    const params = parseHash(stored);
    if (!params) return false;
    const key = await this.#submit(password, params);
    return key.length === params.key.length && crypto.timingSafeEqual(key, params.key);
  }

  /** Refuses new work, fails what waits, stops the threads. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#waiting.splice(0)) task.reject(new Error('password hasher closed'));
    await Promise.all(this.#threads.map((t) => t.worker.terminate()));
    for (const t of this.#threads) t.task?.reject(new Error('password hasher closed'));
    this.#threads = [];
    this.emit('closed');
  }

  #submit(password: string, params: ParsedHash): Promise<Buffer> {
    if (this.#closed) return Promise.reject(new Error('password hasher closed'));
    return new Promise<Buffer>((resolve, reject) => {
      const task: Task = { id: this.#nextId++, password, params, resolve, reject };
      const idle = this.#threads.find((t) => !t.task);
      if (idle) return this.#run(idle, task);
      if (this.#waiting.length >= this.options.maxWaiting) {
        const seconds = Math.max(1, Math.ceil(this.#waiting.length / this.#threads.length));
        return reject(new AppError(503, 'server_busy', 'too many logins at once; try again in a moment', { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) }));
      }
      this.#waiting.push(task);
    });
  }

  #run(thread: Thread, task: Task): void {
    thread.task = task;
    const { N, r, p, salt, key } = task.params;
    thread.worker.postMessage({ id: task.id, password: task.password, salt: salt.toString('base64'), keylen: key.length, N, r, p, maxmem: SCRYPT.maxmem });
  }

  #spawn(): Thread {
    const thread: Thread = { worker: new Worker(WORKER_SOURCE, { eval: true }), task: null };
    thread.worker.on('message', (m: { id: number; key?: string; error?: string }) => {
      const task = thread.task;
      if (!task || task.id !== m.id) return;
      thread.task = null;
      if (m.key !== undefined) task.resolve(Buffer.from(m.key, 'base64'));
      else task.reject(new Error(`password hash failed: ${m.error}`));
      this.#next(thread);
    });
    // A thread that dies fails its hash and is replaced; the others go on.
    let replaced = false;
    const replace = (error: Error) => {
      if (replaced || this.#closed) return;
      replaced = true;
      thread.task?.reject(error);
      const fresh = this.#spawn();
      this.#threads[this.#threads.indexOf(thread)] = fresh;
      this.#next(fresh);
    };
    thread.worker.once('error', replace);
    thread.worker.once('exit', (code) => replace(new Error(`password hash thread exited (${code})`)));
    thread.worker.unref();
    return thread;
  }

  #next(thread: Thread): void {
    const task = this.#waiting.shift();
    if (task) this.#run(thread, task);
  }
}

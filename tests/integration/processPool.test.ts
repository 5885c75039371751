import { afterEach, describe, expect, it } from 'vitest';
import { ProcessPool, TaskError, type ProcessPoolOptions } from '../../server/isolation/ProcessPool';
import type { PoolTask } from '../support/poolTasks';
import { isAlive } from '../support/processes';

type Result = { value: string; pid: number };
const pools: ProcessPool<PoolTask, Result>[] = [];

function pool(options: Partial<ProcessPoolOptions> = {}): ProcessPool<PoolTask, Result> {
  const p = ProcessPool.create<PoolTask, Result>({
    module: new URL('../support/poolTasks.ts', import.meta.url),
    size: 1,
    memoryMb: 256,
    taskTimeoutMs: 10_000,
    maxQueue: 4,
    idleMs: 60_000,
    ...options,
  });
  pools.push(p);
  return p;
}

/** The reason a task failed with. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (e: unknown) => (e instanceof TaskError ? e.reason : `other: ${(e as Error).message}`),
  );

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('ProcessPool: untrusted work in child processes with caps', () => {
  it('runs tasks in a child and reuses it', async () => {
    const p = pool();
    const a = await p.run({ kind: 'echo', value: 'a' });
    const b = await p.run({ kind: 'echo', value: 'b' });
    expect([a.value, b.value]).toEqual(['a', 'b']);
    expect(a.pid).not.toBe(process.pid);
    expect(b.pid).toBe(a.pid);
  });

  it('ends a task that loops for ever at its time budget, and replaces the child', async () => {
    const p = pool({ taskTimeoutMs: 1000 });
    const first = (await p.run({ kind: 'echo', value: 'x' })).pid;
    expect(await failure(p.run({ kind: 'spin' }))).toBe('timeout');
    expect(isAlive(first)).toBe(false);
    const next = await p.run({ kind: 'echo', value: 'y' });
    expect(next.pid).not.toBe(first);
  });

  it('ends a task whose heap outgrows the cap (a sparse array that V8 turns into a dictionary), leaving this process alive', async () => {
    const p = pool();
    const ended: string[] = [];
    p.on('childended', (reason) => ended.push(reason));
    expect(await failure(p.run({ kind: 'sparse-array' }))).toBe('memory');
    expect(ended).toEqual(['memory']);
    expect((await p.run({ kind: 'echo', value: 'still here' })).value).toBe('still here');
  });

  it('ends a task whose byte arrays (outside the heap) outgrow its memory', async () => {
    const p = pool({ memoryMb: 300 });
    expect(await failure(p.run({ kind: 'bytes', mb: 2048 }))).toBe('memory');
    // Below the cap, the same task answers.
    expect((await p.run({ kind: 'bytes', mb: 32 })).value).toBe('2');
  });

  it('fails the task of a child that exits, and goes on', async () => {
    const p = pool();
    expect(await failure(p.run({ kind: 'exit', code: 3 }))).toBe('crashed');
    expect((await p.run({ kind: 'echo', value: 'z' })).value).toBe('z');
  });

  it('passes on an error thrown by the task without ending the child', async () => {
    const p = pool();
    const pid = (await p.run({ kind: 'echo', value: '' })).pid;
    expect(await failure(p.run({ kind: 'throw', message: 'bad input' }))).toBe('other: bad input');
    expect((await p.run({ kind: 'echo', value: '' })).pid).toBe(pid);
  });

  it('runs up to `size` tasks at once and refuses at once beyond the queue', async () => {
    const p = pool({ size: 2, maxQueue: 2 });
    // 2 running + 2 waiting; the 5th is refused without waiting.
    const accepted = Array.from({ length: 4 }, (_, i) => p.run({ kind: 'echo', value: String(i), delayMs: 500 }));
    expect(await failure(p.run({ kind: 'echo', value: 'late' }))).toBe('busy');
    const results = await Promise.all(accepted);
    expect(results.map((r) => r.value)).toEqual(['0', '1', '2', '3']);
    expect(new Set(results.map((r) => r.pid)).size).toBe(2);
  });

  it('lets an idle child exit and starts a new one for the next task', async () => {
    const p = pool({ idleMs: 300 });
    const pid = (await p.run({ kind: 'echo', value: '' })).pid;
    await expect.poll(() => p.pids).toEqual([]);
    await expect.poll(() => isAlive(pid)).toBe(false);
    expect((await p.run({ kind: 'echo', value: '' })).pid).not.toBe(pid);
  });

  it('close fails waiting and running tasks, kills every child and refuses new tasks', async () => {
    const p = pool();
    const pid = (await p.run({ kind: 'echo', value: '' })).pid;
    const running = failure(p.run({ kind: 'spin' }));
    const waiting = failure(p.run({ kind: 'echo', value: 'w' }));
    const closed = new Promise((r) => p.once('closed', () => r(true)));
    await p.close();
    expect(await running).toBe('closed');
    expect(await waiting).toBe('closed');
    expect(await closed).toBe(true);
    expect(isAlive(pid)).toBe(false);
    expect(await failure(p.run({ kind: 'echo', value: '' }))).toBe('closed');
  });
});

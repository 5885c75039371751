/**
 * Tasks for the ProcessPool's own test, run in its children: each misbehaves the way a
 * hostile input makes a parser misbehave (loops, heap growth, byte arrays outside the heap,
 * an exit), or answers.
 */
export type PoolTask =
  | { kind: 'echo'; value: string; delayMs?: number }
  | { kind: 'spin' }
  | { kind: 'sparse-array' }
  | { kind: 'bytes'; mb: number }
  | { kind: 'exit'; code: number }
  | { kind: 'throw'; message: string };

export async function run(task: PoolTask): Promise<{ value: string; pid: number }> {
  switch (task.kind) {
    case 'echo':
      if (task.delayMs) await new Promise((r) => setTimeout(r, task.delayMs));
      return { value: task.value, pid: process.pid };
    case 'spin':
      for (;;);
    case 'sparse-array': {
      // What pdf.js does with a cross-reference table of 60 million entries, filled from the end.
      const entries: object[] = [];
      for (let i = 60e6; i > 0; i--) entries[i] = { offset: i, gen: 0 };
      return { value: String(entries.length), pid: process.pid };
    }
    case 'bytes': {
      // Typed arrays live outside the V8 heap: only the resident memory shows them.
      const held: Uint8Array[] = [];
      for (let i = 0; i < task.mb / 16; i++) held.push(new Uint8Array(16 << 20).fill(1));
      return { value: String(held.length), pid: process.pid };
    }
    case 'exit':
      return process.exit(task.code);
    case 'throw':
      throw new Error(task.message);
  }
}

import type { z } from 'zod';

/** A schema violation, reported field by field. */
export interface Violation {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; violations: Violation[] };

/** Validates any input against a schema without throwing; the server wraps this in its error type. */
export function check<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    violations: r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  };
}

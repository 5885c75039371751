import type { z } from 'zod';
import { check } from '../protocol/validate';
import { AppError } from './errors';

/** Validates an input at the edge (HTTP body, query, socket payload); throws 400 invalid_payload. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = check(schema, input);
  if (!r.ok) throw new AppError(400, 'invalid_payload', 'the request does not have the expected shape', r.violations);
  return r.value;
}

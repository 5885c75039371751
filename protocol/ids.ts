import { z } from 'zod';

/** Ids are SQL INTEGER keys: 1 … 2^31 − 1 (PostgreSQL's integer; past it a query fails instead of finding nothing). */
export const ID_MAX = 2_147_483_647;

/** An id in a JSON body or a socket payload. */
export const Id = z.number().int().min(1).max(ID_MAX);

/**
 * An id in a URL path or query string: canonical decimal only. `Number()` reads `0x10` as 16,
 * `1e1` as 10, and `+5`, `05`, ` 5` as 5; one resource must have one address.
 */
export const IdParam = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'a decimal id, without sign, spaces or leading zeros')
  .transform(Number)
  .pipe(Id);

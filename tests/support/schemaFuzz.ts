import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { TestServer } from './server';

/**
 * What the fuzz tests (HTTP routes, socket events) share: inputs generated from the zod
 * schemas that the schemas refuse, and a snapshot of everything stored, to show that a
 * refused input wrote nothing.
 */

/**
 * Tables the server writes on its own clock, whatever requests do: the lease by which a node
 * holds a live session's room (taken when the room opens, renewed on a timer).
 */
const CLOCK_TABLES = new Set(['session_leases']);

/** Every table's rows (sorted) and the document store's files, hashed: what "nothing written" is compared on. */
export async function storeSnapshot(t: Pick<TestServer, 'server' | 'dataDir'>): Promise<Record<string, string>> {
  const sequelize = t.server.sequelize;
  // The query interface lists the tables on either engine (sqlite_master or information_schema).
  const tables = ((await sequelize.getQueryInterface().showAllTables()) as (string | { tableName: string })[]).map((t) => (typeof t === 'string' ? t : t.tableName)).sort();
  const out: Record<string, string> = {};
  for (const name of tables.filter((n) => !CLOCK_TABLES.has(n))) {
    const [rows] = await sequelize.query(`SELECT * FROM "${name}"`);
    const lines = (rows as object[]).map((r) => JSON.stringify(r)).sort();
    out[name] = `${lines.length}:${crypto.createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  const files = fs.readdirSync(path.join(t.dataDir, 'documents'), { recursive: true }).map(String).sort();
  out['(documents)'] = files.join(',');
  return out;
}

/**
 * Inputs `schema` refuses: each field of a valid-looking example replaced by a wrong type, an
 * oversized or out-of-range value, plus values that are not objects at all. `maxBytes`: leave
 * out what is larger as JSON (a transport that refuses large messages before any handler).
 */
export function invalidInputs(schema: z.ZodType, maxBytes = Infinity): unknown[] {
  const json = jsonSchemaOf(schema);
  const base = example(json);
  const variants: unknown[] = [null, [], 'text', 42, true, {}, { constructor: { prototype: { admin: true } } }];
  const mutate = (node: JsonSchema, at: string[]) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      for (const value of wrongValues(child)) variants.push(setIn(base, [...at, key], value));
      if (child.type === 'object') mutate(child, [...at, key]);
    }
    variants.push(setIn(base, [...at, 'unexpected'], 'x'));
  };
  mutate(json, []);
  // Only what the schema itself refuses, as it arrives (through JSON), is sent: every request here must be refused.
  return variants.filter((v) => JSON.stringify(v).length <= maxBytes && !schema.safeParse(JSON.parse(JSON.stringify(v))).success);
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  anyOf?: JsonSchema[];
}

/** A value of the JSON schema's shape (not necessarily one the zod schema accepts: refinements are not in it). */
export function exampleOf(schema: z.ZodType): unknown {
  return example(jsonSchemaOf(schema));
}

/** The schema as a request's JSON must look (its input side; what JSON cannot express left open). */
const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

function example(s: JsonSchema): unknown {
  if (s.enum) return s.enum[0];
  if (s.anyOf) return example(s.anyOf[0]!);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object') return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, example(v)]));
  if (type === 'array') return [];
  if (type === 'integer' || type === 'number') return Math.max(1, s.minimum ?? 1);
  if (type === 'boolean') return true;
  if (s.format === 'date-time') return '2026-12-03T09:30:00+01:00';
  if (s.format === 'date') return '2026-12-03';
  if (s.format === 'email') return 'nobody@example.tn';
  return 'x'.repeat(Math.max(1, s.minLength ?? 1));
}

function wrongValues(s: JsonSchema): unknown[] {
  const values: unknown[] = [null, { nested: true }, ['x'], Number.MAX_SAFE_INTEGER * 2];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'string') values.push(42, '', 'x'.repeat((s.maxLength ?? 300_000) + 1), '\u202E'.repeat(8));
  if (type === 'integer' || type === 'number') values.push('1', 1.5, -1, 0, (s.maximum ?? 1e12) + 1, 1e308);
  if (type === 'boolean') values.push('true', 1);
  if (type === 'array') values.push('x', Array.from({ length: 10_000 }, () => 1));
  if (s.enum) values.push('not-one-of-them');
  return values;
}

function setIn(base: unknown, at: string[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node = copy;
  for (const key of at.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[at[at.length - 1]!] = value;
  return copy;
}

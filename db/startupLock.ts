import pg from 'pg';

/** The advisory lock key the nodes' start-ups share (any constant; 'lajn' in ASCII). */
const STARTUP_LOCK = 0x6c616a6e;

/**
 * Runs `fn` (migrations, the demo seed) while no other node of the same PostgreSQL database
 * runs its own: nodes started together migrate one after the other, and the second finds
 * the schema done. The lock is held on a connection of its own and goes with it, even when
 * the process dies. Without a URL (SQLite, one node) `fn` just runs.
 */
export async function underStartupLock<T>(databaseUrl: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!databaseUrl) return fn();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'lajna-startup' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    return await fn();
  } finally {
    await client.end();
  }
}

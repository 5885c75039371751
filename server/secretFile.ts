import fs from 'node:fs/promises';

/**
 * A secret kept in a file of its own (mode 0600): read when it is there, else `fresh()`
 * written first. `wx`: two nodes starting at once never overwrite each other's; both read
 * the one that was written. `created` says whether this call wrote it.
 */
export async function readOrCreateSecret(file: string, fresh: () => string): Promise<{ text: string; created: boolean }> {
  let created = false;
  const text = await fs.readFile(file, 'utf8').catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    await fs.writeFile(file, fresh(), { mode: 0o600, flag: 'wx' }).then(() => { created = true; }, (e: NodeJS.ErrnoException) => { if (e.code !== 'EEXIST') throw e; });
    return fs.readFile(file, 'utf8');
  });
  return { text, created };
}

import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/services/accounts';
import { PasswordHasher } from '../../server/services/PasswordHasher';

describe('PasswordHasher (worker threads, bounded)', () => {
  it('hashes and verifies on its threads, and reads hashes made at set-up', async () => {
    const hasher = PasswordHasher.create({ threads: 1, maxWaiting: 2 });
    try {
      const stored = await hasher.hash('lajna-demo');
      expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(await hasher.verify('lajna-demo', stored)).toBe(true);
      expect(await hasher.verify('lajna-dem0', stored)).toBe(false);
      expect(await hasher.verify('lajna-demo', await hashPassword('lajna-demo'))).toBe(true);
      for (const broken of ['', 'bcrypt$x', 'scrypt$a$b$c$d$e', 'scrypt$131072$8$1$c2FsdA==$']) expect(await hasher.verify('x', broken)).toBe(false);
    } finally {
      await hasher.close();
    }
  });

  it('refuses at once (503 server_busy, Retry-After) beyond its threads and queue, and the rest complete', async () => {
    const hasher = PasswordHasher.create({ threads: 1, maxWaiting: 2 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => hasher.hash(`p${i}`)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
      expect(refused).toHaveLength(3);
      for (const e of refused) {
        expect(e).toMatchObject({ status: 503, code: 'server_busy' });
        expect(Number(e.headers['Retry-After'])).toBeGreaterThan(0);
      }
      expect(hasher.load).toBe(0);
    } finally {
      await hasher.close();
    }
  });

  it('fails what waits when closed and refuses new work', async () => {
    const hasher = PasswordHasher.create({ threads: 1, maxWaiting: 4 });
    const pending = [hasher.hash('a'), hasher.hash('b')].map((p) => p.then(() => null, (e: Error) => e.message));
    await hasher.close();
    expect(await Promise.all(pending)).toEqual(['password hasher closed', 'password hasher closed']);
    await expect(hasher.hash('c')).rejects.toThrow('closed');
    expect(hasher.closed).toBe(true);
  });
});

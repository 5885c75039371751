import { describe, expect, it } from 'vitest';
import { canonicalJson, entryMac, GENESIS_HASH, nextEntry, verifyChain, type AuditEntry, type ChainVerdict } from '../../server/domain/auditChain';

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['booleans', [true, false], '[true,false]'],
    ['numbers', [0, -1.5, 1e21], '[0,-1.5,1e+21]'],
    ['strings with escapes and Arabic', 'قال "نعم"\n', '"قال \\"نعم\\"\\n"'],
    ['keys sorted at every depth', { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}'],
    ['key order of the input does not matter', { z: 1, a: 2 }, '{"a":2,"z":1}'],
    ['undefined members left out', { a: undefined, b: 1 }, '{"b":1}'],
    ['undefined in an array becomes null', [undefined], '[null]'],
    ['dates as ISO strings', { at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }, '{"at":"2026-01-02T03:04:05.000Z"}'],
    ['empty containers', { a: [], b: {} }, '{"a":[],"b":{}}'],
  ])('%s', (_n, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['NaN', NaN],
    ['Infinity', { a: Infinity }],
    ['bigint', 1n],
    ['function', [() => 1]],
  ])('refuses %s', (_n, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});

const chainOf = (n: number): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push(nextEntry(entries.at(-1) ?? null, {
      at: new Date(Date.UTC(2026, 10, 22, 9, i)).toISOString(), actorId: i + 1, action: 'vote.closed', subject: `vote:${i + 1}`,
      payload: { opinion: i % 2 ? 'favourable' : 'unfavourable', tally: { favourable: i, unfavourable: 1 } },
    }));
  }
  return entries;
};

describe('verifyChain', () => {
  const chain = chainOf(5);
  const rehash = (e: AuditEntry): AuditEntry => nextEntry(e.seq === 1 ? null : { seq: e.seq - 1, hash: e.prevHash }, e);

  it('starts at the genesis hash and links every entry to the one before', () => {
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    expect(chain[3]!.prevHash).toBe(chain[2]!.hash);
    expect(verifyChain(chain)).toEqual({ ok: true, length: 5, head: chain[4]!.hash });
    expect(verifyChain([])).toEqual({ ok: true, length: 0, head: GENESIS_HASH });
  });

  it.each<[string, (c: AuditEntry[]) => AuditEntry[], ChainVerdict]>([
    ['payload changed', (c) => c.map((e, i) => (i === 2 ? { ...e, payload: { opinion: 'favourable' } } : e)), { ok: false, index: 2, seq: 3, problem: 'hash_mismatch' }],
    ['actor changed', (c) => c.map((e, i) => (i === 1 ? { ...e, actorId: 99 } : e)), { ok: false, index: 1, seq: 2, problem: 'hash_mismatch' }],
    ['time changed', (c) => c.map((e, i) => (i === 4 ? { ...e, at: '2026-11-22T10:00:00.000Z' } : e)), { ok: false, index: 4, seq: 5, problem: 'hash_mismatch' }],
    ['changed and rehashed: the next entry no longer links', (c) => c.map((e, i) => (i === 1 ? rehash({ ...e, action: 'vote.cancelled' }) : e)), { ok: false, index: 2, seq: 3, problem: 'broken_link' }],
    ['last entry removed: undetectable from the entries alone, the head moves', (c) => c.slice(0, 4), { ok: true, length: 4, head: chain[3]!.hash }],
    ['middle entry removed', (c) => c.filter((_, i) => i !== 2), { ok: false, index: 2, seq: 4, problem: 'sequence' }],
    ['middle entry removed and later ones renumbered', (c) => c.filter((_, i) => i !== 2).map((e, i) => ({ ...e, seq: i + 1 })), { ok: false, index: 2, seq: 3, problem: 'broken_link' }],
    ['two entries swapped', (c) => [c[0]!, c[2]!, c[1]!, c[3]!, c[4]!], { ok: false, index: 1, seq: 3, problem: 'sequence' }],
    ['an entry inserted', (c) => [c[0]!, { ...c[1]!, subject: 'vote:99' }, ...c.slice(1)], { ok: false, index: 1, seq: 2, problem: 'hash_mismatch' }],
    ['first entry not from genesis', (c) => [rehash({ ...c[0]!, seq: 1 }), ...c.slice(1)].map((e, i) => (i === 0 ? { ...e, prevHash: 'f'.repeat(64) } : e)), { ok: false, index: 0, seq: 1, problem: 'broken_link' }],
  ])('%s', (_n, tamper, expected) => {
    expect(verifyChain(tamper(chain))).toEqual(expected);
  });
});

describe('verifyChain with the audit key', () => {
  const key = Buffer.alloc(32, 7);
  const other = Buffer.alloc(32, 8);
  const signed = (entries: AuditEntry[], k = key) => entries.map((e) => ({ ...e, mac: entryMac(k, e.hash) }));
  /** An insider's rewrite: entry `at` changed, it and every later hash recomputed (the codes cannot be). */
  const rewritten = (entries: AuditEntry[], at: number) => {
    const out: AuditEntry[] = entries.slice(0, at);
    for (const e of entries.slice(at)) {
      const changed = e.seq === at + 1 ? { ...e, payload: { opinion: 'favourable' } } : e;
      out.push({ ...nextEntry(out.at(-1) ?? null, changed), mac: e.mac });
    }
    return out;
  };
  const chain = signed(chainOf(5));

  it.each<[string, AuditEntry[], ChainVerdict]>([
    ['every entry authenticated', chain, { ok: true, length: 5, head: chain[4]!.hash }],
    ['an entry rewritten with the plain hashes recomputed', rewritten(chain, 2), { ok: false, index: 2, seq: 3, problem: 'mac_mismatch' }],
    ['a code removed', chain.map((e, i) => (i === 3 ? { ...e, mac: null } : e)), { ok: false, index: 3, seq: 4, problem: 'mac_mismatch' }],
    ['codes made with another key', signed(chainOf(5), other), { ok: false, index: 0, seq: 1, problem: 'mac_mismatch' }],
    ['entries never authenticated', chainOf(2), { ok: false, index: 0, seq: 1, problem: 'mac_mismatch' }],
  ])('%s', (_n, entries, expected) => {
    expect(verifyChain(entries, key)).toEqual(expected);
  });

  it('without the key, a rewrite with recomputed hashes passes the plain check: that is what the key is for', () => {
    expect(verifyChain(rewritten(chain, 2))).toMatchObject({ ok: true });
  });
});

import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRow, Ballot, Vote } from '../../db/models';
import { canonicalJson, entryHash, type JsonValue } from '../../server/domain/auditChain';
import { AuditWatch } from '../../server/services/AuditWatch';
import { ApiClient } from '../support/http';
import { scriptedMinutesSession } from '../support/minutesSession';
import { startTestServer, type TestServer } from '../support/server';

/**
 * An insider who can write the database (not DATA_DIR's audit key): edits a ballot row, then
 * also the vote's audit entry with every later hash recomputed. Finalize refuses to print
 * either; the start-up check names the first bad entry and admins see it.
 */
let t: TestServer;
let sessionId: number;
let vote: Vote;

const finalize = async () => (await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn')).post(`/api/minutes/${sessionId}/finalize`);
const auditStatus = async (who = 'admin@ain-draham.tn') => (await ApiClient.loggedIn(t.url, who)).get('/api/audit');

beforeAll(async () => {
  t = await startTestServer();
  const script = await scriptedMinutesSession(t.url);
  script.disconnect();
  sessionId = script.sessionId;
  vote = (await Vote.findOne({ where: { status: 'closed' }, order: [['id', 'DESC']] }))!;
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('an audit log an insider cannot rewrite unseen', () => {
  it('verifies at start, with every entry authenticated by the key under DATA_DIR, and tells admins only', async () => {
    const status = await auditStatus();
    expect(status.status).toBe(200);
    expect(status.body.verdict).toMatchObject({ ok: true });
    expect(await AuditEntryRow.count({ where: { mac: null } })).toBe(0);
    expect((await auditStatus('secretary@ain-draham.tn')).status).toBe(403);
    expect((await new ApiClient(t.url).get('/api/audit')).status).toBe(401);
    expect((await (await ApiClient.loggedIn(t.url, 'admin@ain-draham.tn')).get('/api/audit?now=2')).body.error.code).toBe('invalid_payload');
  });

  it('a ballot row edited in the database: finalize refuses with 409 record_mismatch and prints nothing', async () => {
    const ballot = (await Ballot.findOne({ where: { voteId: vote.id }, order: [['id', 'ASC']] }))!;
    const original = ballot.choice;
    await t.server.sequelize.query('UPDATE ballots SET choice = ? WHERE id = ?', { replacements: [original === 'unfavourable' ? 'favourable' : 'unfavourable', ballot.id] });
    const res = await finalize();
    expect([res.status, res.body.error.code, res.body.error.details]).toEqual([409, 'record_mismatch', { voteId: vote.id, seq: expect.any(Number) }]);
    const minutes = await (await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn')).get(`/api/minutes/${sessionId}`);
    expect(minutes.body.status).toBe('draft');
  });

  it('the vote.closed entry edited to match, every later hash recomputed: the start-up check names it, finalize still refuses', async () => {
    const entries = await AuditEntryRow.findAll({ order: [['seq', 'ASC']] });
    const edited = entries.find((e) => e.action === 'vote.closed' && e.subject === `vote:${vote.id}`)!;
    const ballots = await Ballot.findAll({ where: { voteId: vote.id }, order: [['id', 'ASC']] });
    let prevHash = entries[edited.seq - 2]!.hash;
    for (const row of entries.slice(edited.seq - 1)) {
      const payload = JSON.parse(row.payload) as Record<string, JsonValue>;
      if (row.seq === edited.seq) payload.ballots = ballots.map((b) => ({ userId: b.userId, choice: b.choice }));
      const body = { seq: row.seq, at: row.at, actorId: row.actorId, action: row.action, subject: row.subject, payload, prevHash };
      const hash = entryHash(body);
      await t.server.sequelize.query('UPDATE audit_entries SET payload = ?, "prevHash" = ?, hash = ? WHERE seq = ?', { replacements: [canonicalJson(payload), prevHash, hash, row.seq] });
      prevHash = hash;
    }
    // The plain chain verifies again: only the authentication codes tell.
    await t.close({ keep: true });
    t = await startTestServer(undefined, { store: t.store });
    expect((await auditStatus()).body.verdict).toEqual({ ok: false, index: edited.seq - 1, seq: edited.seq, problem: 'mac_mismatch' });

    const lines: { level: number; seq?: number; msg: string }[] = [];
    const log = pino({ level: 'info' }, new Writable({ write(chunk: Buffer, _e, done) { lines.push(JSON.parse(chunk.toString())); done(); } }));
    const watch = await AuditWatch.create({ log });
    watch.close();
    expect(lines).toEqual([expect.objectContaining({ level: 50, seq: edited.seq, problem: 'mac_mismatch', msg: expect.stringContaining(`from entry ${edited.seq}`) })]);

    const res = await finalize();
    expect([res.status, res.body.error.code, res.body.error.details]).toEqual([409, 'record_mismatch', { seq: edited.seq, problem: 'mac_mismatch' }]);
  });

  it('removing the codes does not help: an entry without one is named too', async () => {
    await t.server.sequelize.query('UPDATE audit_entries SET mac = NULL');
    await t.close({ keep: true });
    t = await startTestServer(undefined, { store: t.store });
    expect((await auditStatus()).body.verdict).toEqual({ ok: false, index: 0, seq: 1, problem: 'mac_mismatch' });
  });
});

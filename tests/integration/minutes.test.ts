import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { migrate } from '../../db/migrations';
import { Committee, CommitteeSeat, CommitteeSession, defineModels, MinutesRecord, Municipality, User } from '../../db/models';
import { seedDemo } from '../../db/seed';
import type { MinutesContent } from '../../protocol/minutes';
import { attendanceFrom, minutesHash } from '../../server/domain/minutes';
import { quorum } from '../../server/domain/voting';
import { AppError } from '../../server/errors';
import { auditEntries, verifyAuditLog } from '../../server/services/audit';
import { MinutesService } from '../../server/services/minutes';

let sequelize: Sequelize;
let dataDir: string;
let minutes: MinutesService;
let sessionId: number;
const ids: Record<string, number> = {};

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return { code: (error as AppError).code, status: (error as AppError).status };
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-minutes-'));
  sequelize = await openDatabase({ dataDir });
  defineModels(sequelize);
  await migrate(sequelize);
  await seedDemo(sequelize);
  minutes = new MinutesService(sequelize);
  const municipality = (await Municipality.findOne({ where: { code: 'ADR' } }))!;
  const committee = (await Committee.findOne({ where: { municipalityId: municipality.id } }))!;
  const seats = await CommitteeSeat.findAll({ where: { committeeId: committee.id }, include: [User] }) as (CommitteeSeat & { User?: User })[];
  for (const s of seats) ids[s.User!.email.split('@')[0]!] = s.userId;
  const startsAt = new Date(Date.UTC(2026, 10, 22, 8, 0));
  sessionId = (await CommitteeSession.create({ committeeId: committee.id, startsAt, mode: 'remote' })).id;
  const people = seats.map((s) => ({ userId: s.userId, nameAr: s.User!.nameAr, nameFr: s.User!.nameFr, seat: s.kind, titleAr: s.titleAr, titleFr: s.titleFr }));
  const present = seats.map((s) => s.userId);
  const content: MinutesContent = {
    format: 1,
    municipality: { code: 'ADR', nameAr: municipality.nameAr, nameFr: municipality.nameFr },
    committee: { id: committee.id, nameAr: committee.nameAr, nameFr: committee.nameFr, rules: committee.rules },
    session: { id: sessionId, startsAt: startsAt.toISOString(), mode: 'remote', location: '' },
    date: '2026-11-22',
    attendance: attendanceFrom(people, present.map((userId) => ({ userId, joinedAt: startsAt, leftAt: null, mode: 'video' }))),
    quorum: quorum(committee.rules, seats.map((s) => ({ userId: s.userId, kind: s.kind, vetoHolder: s.vetoHolder })), present),
    items: [{
      position: 1, dossierReference: 'ADR-2026-0003', dossierTypeAr: 'ترميم', dossierTypeFr: 'Restauration', address: 'Place de la Mairie 3',
      documents: [], recusals: [], votes: [], opinion: null, conditions: '', reasons: '', notes: '',
    }],
    remarks: '',
  };
  await minutes.saveDraft(sessionId, content);
});

afterAll(async () => {
  await sequelize?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('minutes records on a real SQLite file', () => {
  it('takes the secretary\'s text on the draft', async () => {
    const content = await minutes.editText(sessionId, { remarks: 'رفعت الجلسة', notes: { 1: 'Façade à préserver' } });
    expect([content.remarks, content.items[0]!.notes]).toEqual(['رفعت الجلسة', 'Façade à préserver']);
    expect(await refusal(minutes.editText(sessionId, { notes: { 7: 'x' } }))).toEqual({ code: 'not_found', status: 404 });
  });

  it('refuses a signature before finalize', async () => {
    expect(await refusal(minutes.sign(sessionId, ids.secretary!, 'secretary', 'a'.repeat(64)))).toEqual({ code: 'invalid_transition', status: 409 });
  });

  it('finalizes once: hash fixed, PDFs fingerprinted, chained in the audit log', async () => {
    const record = await minutes.finalize(sessionId, ids.secretary!);
    const stored = JSON.parse(record.content) as MinutesContent;
    expect(record.status).toBe('finalized');
    expect(record.hash).toBe(minutesHash(stored));
    expect(record.pdfSha256Ar).toMatch(/^[0-9a-f]{64}$/);
    const entries = await auditEntries();
    expect(entries.at(-1)).toMatchObject({ action: 'minutes.finalized', subject: `minutes:${record.id}`, actorId: ids.secretary, payload: { sessionId, hash: record.hash } });
  });

  it('refuses any change after finalize, and leaves the record as it was', async () => {
    const before = (await MinutesRecord.findOne({ where: { sessionId } }))!.content;
    expect(await refusal(minutes.editText(sessionId, { remarks: 'changed' }))).toEqual({ code: 'immutable', status: 409 });
    expect(await refusal(minutes.saveDraft(sessionId, JSON.parse(before) as MinutesContent))).toEqual({ code: 'immutable', status: 409 });
    expect(await refusal(minutes.finalize(sessionId, ids.secretary!))).toEqual({ code: 'immutable', status: 409 });
    expect((await MinutesRecord.findOne({ where: { sessionId } }))!.content).toBe(before);
  });

  it('is signed by the secretary, then the chair, on the finalized hash only', async () => {
    const { hash } = (await MinutesRecord.findOne({ where: { sessionId } }))!;
    expect(await refusal(minutes.sign(sessionId, ids.chair!, 'chair', hash!))).toEqual({ code: 'out_of_order', status: 409 });
    expect(await refusal(minutes.sign(sessionId, ids.architect!, 'secretary', hash!))).toEqual({ code: 'forbidden', status: 403 });
    expect(await refusal(minutes.sign(sessionId, ids.secretary!, 'secretary', 'b'.repeat(64)))).toEqual({ code: 'conflict', status: 409 });
    const first = await minutes.sign(sessionId, ids.secretary!, 'secretary', hash!);
    expect(first).toMatchObject({ role: 'secretary', userId: ids.secretary, minutesHash: hash, method: 'session', value: null });
    expect(await refusal(minutes.sign(sessionId, ids.secretary!, 'secretary', hash!))).toEqual({ code: 'conflict', status: 409 });
    await minutes.sign(sessionId, ids.chair!, 'chair', hash!);
    expect(await refusal(minutes.sign(sessionId, ids.chair!, 'chair', hash!))).toEqual({ code: 'conflict', status: 409 });
    expect((await auditEntries()).slice(-2).map((e) => [e.action, e.payload])).toEqual([
      ['minutes.signed', { role: 'secretary', hash, method: 'session' }],
      ['minutes.signed', { role: 'chair', hash, method: 'session' }],
    ]);
    expect(await verifyAuditLog()).toMatchObject({ ok: true, length: 3 });
  });

  it('verifies the downloaded PDF and the printed hash, and detects a one-byte change', async () => {
    const record = (await MinutesRecord.findOne({ where: { sessionId } }))!;
    const pdf = await minutes.pdf(sessionId, 'fr');
    expect(await minutes.verifyPdf(pdf)).toEqual({ valid: true, minutesId: record.id, sessionId, finalizedAt: record.finalizedAt!.toISOString(), matched: 'pdf', language: 'fr' });
    expect(await minutes.verifyPdf(await minutes.pdf(sessionId, 'ar'))).toMatchObject({ valid: true, language: 'ar' });
    expect(await minutes.verifyHash(record.hash!.toUpperCase())).toMatchObject({ valid: true, matched: 'content_hash' });
    const changed = Buffer.from(pdf);
    changed[Math.floor(changed.length / 3)] ^= 0x20;
    expect(await minutes.verifyPdf(changed)).toEqual({ valid: false });
    expect(await minutes.verifyHash('not a hash')).toEqual({ valid: false });
  });
});

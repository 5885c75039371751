import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { migrate } from '../../db/migrations';
import { AgendaItem, AttendanceInterval, Committee, CommitteeSeat, CommitteeSession, defineModels, DocumentVersion, DossierDocument, Dossier, MinutesRecord, Municipality, User } from '../../db/models';
import { seedDemo } from '../../db/seed';
import type { MinutesContent } from '../../protocol/minutes';
import { attendanceFrom, minutesHash } from '../../server/domain/minutes';
import { quorum } from '../../server/domain/voting';
import { AppError } from '../../server/errors';
import { auditEntries, verifyAuditLog } from '../../server/services/audit';
import { MinutesService } from '../../server/services/minutes';
import { VoteService } from '../../server/services/votes';

let sequelize: Sequelize;
let dataDir: string;
let minutes: MinutesService;
let sessionId: number;
let committeeId: number;
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
  await seedDemo(sequelize, dataDir);
  minutes = new MinutesService(sequelize);
  const municipality = (await Municipality.findOne({ where: { code: 'ADR' } }))!;
  const committee = (await Committee.findOne({ where: { municipalityId: municipality.id } }))!;
  committeeId = committee.id;
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

describe('minutes assembled from a scripted session', () => {
  it('match what happened: joins, leaves, a recusal, two votes, the documents shown', async () => {
    const votes = new VoteService(sequelize);
    const t = (minute: number) => new Date(Date.UTC(2026, 10, 23, 8, minute));
    const session = await CommitteeSession.create({ committeeId, startsAt: t(0), mode: 'remote', status: 'live' });
    const dossiers = (await Dossier.findAll({ where: { status: 'complete' }, order: [['id', 'ASC']] })).slice(0, 2);
    const agenda = [];
    for (const [i, d] of dossiers.entries()) {
      agenda.push(await AgendaItem.create({ sessionId: session.id, dossierId: d.id, position: i + 1 }));
      await d.update({ status: 'scheduled' });
    }
    const members = ['chair', 'secretary', 'architect', 'engineer', 'urbanism', 'steg', 'protection', 'sonede'];
    for (const m of members) {
      // steg leaves after the first vote and comes back on audio only; protection never comes.
      if (m === 'protection') continue;
      await AttendanceInterval.create({ sessionId: session.id, userId: ids[m]!, mode: 'video', joinedAt: t(1), leftAt: m === 'steg' ? t(20) : t(60) });
    }
    await AttendanceInterval.create({ sessionId: session.id, userId: ids.steg!, mode: 'audio', joinedAt: t(30), leftAt: t(60) });
    const presentFirst = members.filter((m) => m !== 'protection').map((m) => ids[m]!);
    const presentSecond = presentFirst;

    await votes.recuse(agenda[0]!.id, ids.architect!, 'Architecte du projet');
    const v1 = await votes.open(agenda[0]!.id, ids.chair!, 'Avis sur le dossier 1', 'Toiture en tuiles', presentFirst, t(10));
    for (const [m, c] of [['chair', 'favourable_with_conditions'], ['engineer', 'favourable_with_conditions'], ['urbanism', 'favourable'], ['steg', 'unfavourable']] as const) {
      await votes.cast(v1.id, ids[m]!, c, presentFirst, t(12));
    }
    await votes.close(v1.id, ids.chair!, presentFirst, '', t(15));
    const v2 = await votes.open(agenda[1]!.id, ids.chair!, 'Avis sur le dossier 2', '', presentSecond, t(40));
    for (const [m, c] of [['chair', 'favourable'], ['urbanism', 'favourable'], ['architect', 'unfavourable'], ['engineer', 'unfavourable'], ['steg', 'abstain']] as const) {
      await votes.cast(v2.id, ids[m]!, c, presentSecond, t(42));
    }
    await votes.close(v2.id, ids.chair!, presentSecond, '', t(45));
    await minutes.refreshDraft(session.id);
    await minutes.editText(session.id, { notes: { 2: 'Vote partagé' } });
    const content = await minutes.refreshDraft(session.id);

    const byId = new Map(content.attendance.map((a) => [a.userId, a]));
    expect(content.attendance.map((a) => a.seat)).toEqual(['chair', 'voting', 'voting', 'voting', 'voting', 'voting', 'consultative', 'secretary']);
    expect(byId.get(ids.steg!)!.stretches).toEqual([
      { joinedAt: t(1).toISOString(), leftAt: t(20).toISOString(), mode: 'video' },
      { joinedAt: t(30).toISOString(), leftAt: t(60).toISOString(), mode: 'audio' },
    ]);
    expect(byId.get(ids.protection!)!.stretches).toEqual([]);
    expect(content.quorum).toEqual({ required: 3, present: 5, votingMembers: 6, met: true });
    expect(content.date).toBe('2026-11-23');

    const [first, second] = content.items;
    expect(first).toMatchObject({
      position: 1, dossierReference: dossiers[0]!.reference,
      recusals: [{ userId: ids.architect, reason: 'Architecte du projet' }],
      opinion: 'favourable_with_conditions', conditions: 'Toiture en tuiles',
    });
    expect(first!.votes[0]!.ballots.map((b) => [b.nameFr, b.choice])).toEqual([
      ['Mohamed Hédi Ayari', 'favourable_with_conditions'], ['Karim Trabelsi', 'favourable_with_conditions'], ['Nadia Chebbi', 'favourable'], ['Sami Ferjani', 'unfavourable'],
    ]);
    expect(first!.votes[0]!.quorumAtOpen).toMatchObject({ present: 4, met: true });
    // 2 for, 2 against, 1 abstention (the veto holder voted for); the chair voted for: casting vote.
    expect(second).toMatchObject({ opinion: 'favourable', conditions: '', notes: 'Vote partagé', votes: [{ outcome: { valid: true, decidedBy: 'casting_vote' } }] });
    const current = await DocumentVersion.findAll({ include: [{ model: DossierDocument, where: { dossierId: dossiers[0]!.id } }] });
    expect(first!.documents.map((d) => d.sha256).sort()).toEqual(current.map((v) => v.sha256).sort());
    expect(first!.documents.length).toBeGreaterThan(0);
  });
});

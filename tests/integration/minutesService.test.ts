import fs from 'node:fs';
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrations';
import {
  AgendaItem, AttendanceInterval, ChecklistItem, Committee, CommitteeSeat, CommitteeSession, defineModels, DocumentVersion, DossierDocument, Dossier, MinutesRecord,
  Municipality, ShownDocument, User,
} from '../../db/models';
import { seedDemo } from '../../server/demo/seed';
import type { MinutesContent } from '../../protocol/minutes';
import type { Principal } from '../../server/domain/access';
import { minutesHash } from '../../server/domain/minutes';
import { AppError } from '../../server/errors';
import { auditEntries, verifyAuditLog } from '../../server/services/audit';
import { MinutesService } from '../../server/services/minutes';
import { DocumentSigner } from '../../server/signing/DocumentSigner';
import { MinutesSigning } from '../../server/signing/MinutesSigning';
import { SigningAuthority } from '../../server/signing/SigningAuthority';
import { DocumentStore } from '../../server/services/documentStore';
import { setAgenda } from '../../server/services/sessions';
import { VoteService } from '../../server/services/votes';
import { createTestStore, type TestStore } from '../support/database';

let sequelize: Sequelize;
let store: TestStore;
let dataDir: string;
let minutes: MinutesService;
let signing: MinutesSigning;
let authority: SigningAuthority;
/** The demo accounts' password: what each signer types again to sign. */
const PASSWORD = 'lajna-demo';
const caOf = (code: string) => authority.caCertificateOf(code);
let committee: Committee;
let secretary: Principal;
let scripted: Awaited<ReturnType<typeof scriptedSession>>;
const ids: Record<string, number> = {};
const t = (minute: number) => new Date(Date.UTC(2026, 10, 23, 8, minute));

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return { code: (error as AppError).code, status: (error as AppError).status };
};

/**
 * A session as the meeting leaves it in the records: eight seats, one absent, steg leaving
 * and coming back on audio only; item 1 shown two documents, a recusal, a vote with
 * conditions; item 2 a vote decided by the chair's casting vote.
 */
async function scriptedSession() {
  const votes = new VoteService(sequelize);
  const session = await CommitteeSession.create({ committeeId: committee.id, startsAt: t(0), mode: 'remote' });
  const dossiers = (await Dossier.findAll({ where: { status: 'complete', municipalityId: committee.municipalityId }, order: [['id', 'ASC']] })).slice(0, 2);
  expect(dossiers).toHaveLength(2);
  await setAgenda(secretary, session, committee, dossiers.map((d) => d.id));
  await session.update({ status: 'live' });
  const agenda = await AgendaItem.findAll({ where: { sessionId: session.id }, order: [['position', 'ASC']] });
  const members = ['chair', 'secretary', 'architect', 'engineer', 'urbanism', 'steg', 'sonede'];
  for (const m of members) {
    await AttendanceInterval.create({ sessionId: session.id, userId: ids[m]!, mode: 'video', joinedAt: t(1), leftAt: m === 'steg' ? t(20) : null });
  }
  await AttendanceInterval.create({ sessionId: session.id, userId: ids.steg!, mode: 'audio', joinedAt: t(30), leftAt: null });
  const present = members.map((m) => ids[m]!);

  // Two of item 1's documents were shown (a third never was); none of item 2's.
  const versions = await DocumentVersion.findAll({ include: [{ model: DossierDocument, where: { dossierId: dossiers[0]!.id } }], order: [['id', 'ASC']] });
  expect(versions.length).toBeGreaterThanOrEqual(3);
  const shown = [versions[2]!, versions[0]!];
  for (const [i, v] of shown.entries()) {
    await ShownDocument.create({ agendaItemId: agenda[0]!.id, documentVersionId: v.id, shownById: ids.chair!, sha256: v.sha256, firstShownAt: t(5 + i) });
  }

  await votes.recuse(agenda[0]!.id, ids.architect!, 'Architecte du projet', t(8));
  const v1 = await votes.open(agenda[0]!.id, ids.chair!, 'Avis sur le dossier 1', 'Toiture en tuiles', present, t(10));
  for (const [m, c] of [['chair', 'favourable_with_conditions'], ['engineer', 'favourable_with_conditions'], ['urbanism', 'favourable'], ['steg', 'unfavourable']] as const) {
    await votes.cast(v1.id, ids[m]!, c, present, t(12));
  }
  await votes.close(v1.id, ids.chair!, present, 'Conforme au plan d’aménagement', t(15));
  const v2 = await votes.open(agenda[1]!.id, ids.chair!, 'Avis sur le dossier 2', '', present, t(40));
  for (const [m, c] of [['chair', 'favourable'], ['urbanism', 'favourable'], ['architect', 'unfavourable'], ['engineer', 'unfavourable'], ['steg', 'abstain']] as const) {
    await votes.cast(v2.id, ids[m]!, c, present, t(42));
  }
  await votes.close(v2.id, ids.chair!, present, 'Voix prépondérante du président', t(45));
  return { session, dossiers, agenda, shown };
}

/** The chair ends the session: everyone's open stretch closes, the session is closed. */
async function endSession(session: CommitteeSession, at: Date) {
  await AttendanceInterval.update({ leftAt: at }, { where: { sessionId: session.id, leftAt: null } });
  await session.update({ status: 'closed' });
}

beforeAll(async () => {
  store = await createTestStore('lajna-minutes-');
  dataDir = store.dataDir;
  sequelize = await store.open();
  defineModels(sequelize);
  await migrate(sequelize);
  await seedDemo(sequelize, dataDir);
  const documents = new DocumentStore(dataDir, 1024 * 1024);
  minutes = new MinutesService(sequelize, documents);
  authority = await SigningAuthority.create({ dataDir });
  signing = new MinutesSigning(sequelize, documents, new DocumentSigner(authority));
  const municipality = (await Municipality.findOne({ where: { code: 'ADR' } }))!;
  committee = (await Committee.findOne({ where: { municipalityId: municipality.id } }))!;
  const seats = await CommitteeSeat.findAll({ where: { committeeId: committee.id }, include: [User] }) as (CommitteeSeat & { User?: User })[];
  for (const s of seats) ids[s.User!.email.split('@')[0]!] = s.userId;
  secretary = { userId: ids.secretary!, email: 'secretary@ain-draham.tn', nameAr: '', nameFr: '', memberships: [{ municipalityId: municipality.id, role: 'secretary' }] };
  scripted = await scriptedSession();
});

afterAll(async () => {
  await sequelize?.close();
  await store?.remove();
});

describe('minutes assembled from a scripted session', () => {
  it('match what happened: joins, leaves, a recusal, two votes with their reasons, the documents shown', async () => {
    const { session, dossiers, shown } = scripted;
    await minutes.editText(session.id, ids.secretary!, { notes: { 2: 'Vote partagé' } });
    const { content, status } = await minutes.view(session.id);
    expect(status).toBe('draft');

    const byId = new Map(content.attendance.map((a) => [a.userId, a]));
    expect(content.attendance.map((a) => a.seat)).toEqual(['chair', 'voting', 'voting', 'voting', 'voting', 'voting', 'consultative', 'secretary']);
    expect(byId.get(ids.steg!)!.stretches).toEqual([
      { joinedAt: t(1).toISOString(), leftAt: t(20).toISOString(), mode: 'video' },
      { joinedAt: t(30).toISOString(), leftAt: null, mode: 'audio' },
    ]);
    expect(byId.get(ids.protection!)!.stretches).toEqual([]);
    expect(content.quorum).toEqual({ required: 3, present: 5, votingMembers: 6, met: true });
    expect(content.date).toBe('2026-11-23');

    const [first, second] = content.items;
    expect(first).toMatchObject({
      position: 1, dossierReference: dossiers[0]!.reference,
      recusals: [{ userId: ids.architect, nameFr: 'Leila Ben Salah', reason: 'Architecte du projet' }],
      opinion: 'favourable_with_conditions', conditions: 'Toiture en tuiles', reasons: 'Conforme au plan d’aménagement',
    });
    expect(first!.votes[0]!.ballots.map((b) => [b.nameFr, b.choice])).toEqual([
      ['Mohamed Hédi Ayari', 'favourable_with_conditions'], ['Karim Trabelsi', 'favourable_with_conditions'], ['Nadia Chebbi', 'favourable'], ['Sami Ferjani', 'unfavourable'],
    ]);
    expect(first!.votes[0]).toMatchObject({ quorumAtOpen: { present: 4, met: true }, reasons: 'Conforme au plan d’aménagement' });
    // The documents are those shown, in the order they were first shown, not the dossier's whole file,
    // each named by its checklist item.
    expect(first!.documents).toEqual(await Promise.all(shown.map(async (v) => {
      const itemCode = (await DossierDocument.findByPk(v.documentId))!.itemCode;
      const item = (await ChecklistItem.findOne({ where: { code: itemCode } }))!;
      return { itemCode, labelAr: item.labelAr, labelFr: item.labelFr, labelEn: item.labelEn, fileName: v.fileName, version: v.version, sha256: v.sha256 };
    })));
    // 2 for, 2 against, 1 abstention (the veto holder voted for); the chair voted for: casting vote.
    expect(second).toMatchObject({
      opinion: 'favourable', conditions: '', reasons: 'Voix prépondérante du président', notes: 'Vote partagé', documents: [],
      votes: [{ outcome: { valid: true, decidedBy: 'casting_vote' } }],
    });
  });
});

describe('the life of the minutes: edit, finalize, sign, verify', () => {
  const session = () => scripted.session;
  let hash: string;

  it('only the committee\'s secretary writes the text; an item not on the agenda is not found', async () => {
    expect(await refusal(minutes.editText(session().id, ids.chair!, { remarks: 'x' }))).toEqual({ code: 'forbidden', status: 403 });
    const view = await minutes.editText(session().id, ids.secretary!, { remarks: 'رفعت الجلسة', notes: { 1: 'Façade à préserver' } });
    expect([view.content.remarks, view.content.items[0]!.notes]).toEqual(['رفعت الجلسة', 'Façade à préserver']);
    expect(await refusal(minutes.editText(session().id, ids.secretary!, { notes: { 7: 'x' } }))).toEqual({ code: 'not_found', status: 404 });
    expect(await refusal(minutes.editText(999_999, ids.secretary!, { remarks: 'x' }))).toEqual({ code: 'not_found', status: 404 });
  });

  it('loses no keystroke when the records refresh the draft while the secretary types', async () => {
    // The secretary's edits go one after another (the client waits for each acknowledgement); refreshes come any time.
    const typed = Array.from({ length: 12 }, (_, i) => `Façade à préserver, ${'x'.repeat(i + 1)}`);
    const typing = typed.reduce<Promise<unknown>>((previous, text) => previous.then(() => minutes.editText(session().id, ids.secretary!, { notes: { 1: text } })), Promise.resolve());
    await Promise.all([typing, ...typed.flatMap(() => [minutes.view(session().id), minutes.refreshDraft(session().id)])]);
    const { content } = await minutes.view(session().id);
    expect(content.items[0]!.notes).toBe(typed.at(-1));
    expect(content.remarks).toBe('رفعت الجلسة');
  });

  it('refuses a signature before finalize, and finalize before the session is closed or by anyone but the secretary', async () => {
    expect(await refusal(signing.sign(session().id, ids.secretary!, 'secretary', 'a'.repeat(64), PASSWORD))).toEqual({ code: 'invalid_transition', status: 409 });
    expect(await refusal(minutes.finalize(session().id, ids.secretary!))).toEqual({ code: 'invalid_transition', status: 409 });
    await endSession(session(), t(70));
    expect(await refusal(minutes.finalize(session().id, ids.chair!))).toEqual({ code: 'forbidden', status: 403 });
    expect((await MinutesRecord.findOne({ where: { sessionId: session().id } }))!.status).toBe('draft');
  });

  it('finalizes once, from the records as the session ended: hash fixed, PDFs fingerprinted, chained in the audit log', async () => {
    const view = await minutes.finalize(session().id, ids.secretary!, t(80));
    const record = (await MinutesRecord.findOne({ where: { sessionId: session().id } }))!;
    const stored = JSON.parse(record.content) as MinutesContent;
    hash = view.hash!;
    expect(view).toMatchObject({ status: 'finalized', finalizedAt: t(80).toISOString(), signatures: [], nextSigner: 'secretary', content: stored });
    expect(hash).toBe(minutesHash(stored));
    expect(view.pdfSha256).toEqual({ ar: record.pdfSha256Ar, fr: record.pdfSha256Fr });
    expect(record.pdfSha256Ar).toMatch(/^[0-9a-f]{64}$/);
    // The stretches open when the draft was last refreshed are closed in the finalized minutes.
    expect(stored.attendance.find((a) => a.userId === ids.steg)!.stretches.at(-1)).toEqual({ joinedAt: t(30).toISOString(), leftAt: t(70).toISOString(), mode: 'audio' });
    expect(stored.items[0]!.notes).toMatch(/^Façade à préserver/);
    const entries = await auditEntries();
    expect(entries.at(-1)).toMatchObject({ action: 'minutes.finalized', subject: `minutes:${record.id}`, actorId: ids.secretary, payload: { sessionId: session().id, hash } });
  });

  it('refuses any change after finalize, and leaves the record as it was', async () => {
    const before = (await MinutesRecord.findOne({ where: { sessionId: session().id } }))!.content;
    expect(await refusal(minutes.editText(session().id, ids.secretary!, { remarks: 'changed' }))).toEqual({ code: 'immutable', status: 409 });
    expect(await refusal(minutes.editText(session().id, ids.secretary!, {}))).toEqual({ code: 'immutable', status: 409 });
    expect(await refusal(minutes.finalize(session().id, ids.secretary!))).toEqual({ code: 'immutable', status: 409 });
    await AttendanceInterval.create({ sessionId: session().id, userId: ids.protection!, mode: 'audio', joinedAt: t(90), leftAt: t(91) });
    expect((await minutes.refreshDraft(session().id)).content).toBe(before);
    expect((await minutes.view(session().id)).hash).toBe(hash);
    expect((await MinutesRecord.findOne({ where: { sessionId: session().id } }))!.content).toBe(before);
  });

  it('is signed by the secretary, then the chair, on the finalized hash only: PAdES in both PDFs', async () => {
    const sign = (who: string, role: 'secretary' | 'chair', h: string, at?: Date) => signing.sign(session().id, ids[who]!, role, h, PASSWORD, at);
    expect(await refusal(sign('chair', 'chair', hash))).toEqual({ code: 'out_of_order', status: 409 });
    expect(await refusal(sign('architect', 'secretary', hash))).toEqual({ code: 'forbidden', status: 403 });
    expect(await refusal(sign('secretary', 'secretary', 'b'.repeat(64)))).toEqual({ code: 'conflict', status: 409 });
    await sign('secretary', 'secretary', hash, t(85));
    const first = await minutes.view(session().id);
    expect(first.signatures).toEqual([{
      role: 'secretary', userId: ids.secretary, signedAt: t(85).toISOString(), minutesHash: hash, method: 'pades', value: expect.stringMatching(/^\{"pdfSha256"/),
      nameAr: 'سلمى الجندوبي', nameFr: 'Salma Jendoubi',
    }]);
    expect(first.nextSigner).toBe('chair');
    expect(await refusal(sign('secretary', 'secretary', hash))).toEqual({ code: 'conflict', status: 409 });
    await sign('chair', 'chair', hash, t(86));
    const both = await minutes.view(session().id);
    expect([both.signatures.map((s) => s.role), both.nextSigner]).toEqual([['secretary', 'chair'], null]);
    expect(await refusal(sign('chair', 'chair', hash))).toEqual({ code: 'conflict', status: 409 });
    const signed = (await auditEntries()).filter((e) => e.action === 'minutes.signed').slice(-2).map((e) => e.payload);
    expect(signed).toEqual([
      { role: 'secretary', hash, method: 'pades', pdfSha256: JSON.parse(both.signatures[0]!.value!).pdfSha256, certificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/), auditHead: expect.stringMatching(/^\d+:[0-9a-f]{64}$/) },
      { role: 'chair', hash, method: 'pades', pdfSha256: JSON.parse(both.signatures[1]!.value!).pdfSha256, certificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/), auditHead: expect.stringMatching(/^\d+:[0-9a-f]{64}$/) },
    ]);
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
  });

  it('verifies the downloaded PDF and the printed hash, and detects a one-byte change', async () => {
    const record = (await MinutesRecord.findOne({ where: { sessionId: session().id } }))!;
    const { pdf } = await minutes.pdf(session().id, 'fr');
    const municipality = { code: 'ADR', nameAr: 'بلدية عين دراهم', nameFr: 'Commune de Aïn Draham' };
    const verified = await signing.verifyPdf(pdf, caOf);
    expect(verified).toMatchObject({
      recognised: true, valid: true, state: 'signed', awaiting: null, minutesId: record.id, sessionId: session().id, finalizedAt: t(80).toISOString(),
      contentHash: record.hash, matched: 'pdf', language: 'fr', date: '2026-11-23', municipality,
    });
    expect(verified.signatures.map((s) => [s.role, s.name, s.valid, s.coversRevision, s.issuedByMunicipality])).toEqual([
      ['secretary', 'Salma Jendoubi', true, true, true], ['chair', 'Mohamed Hédi Ayari', true, true, true],
    ]);
    // The finalized file is the first revision of the signed one, byte for byte.
    expect(pdf.subarray(0, fs.statSync(path.join(dataDir, 'documents', DocumentStore.relativePath(record.pdfSha256Fr!))).size).equals(
      fs.readFileSync(path.join(dataDir, 'documents', DocumentStore.relativePath(record.pdfSha256Fr!))))).toBe(true);
    expect(await signing.verifyPdf((await minutes.pdf(session().id, 'ar')).pdf, caOf)).toMatchObject({ valid: true, language: 'ar' });
    expect(await signing.verifyHash(record.hash!.toUpperCase())).toMatchObject({ recognised: true, valid: true, state: 'signed', matched: 'content_hash', municipality });
    // The finalized PDF, unsigned, is still recognised by its fingerprint: but it is not a signed copy.
    expect(await signing.verifyHash(record.pdfSha256Fr!)).toMatchObject({ recognised: true, valid: false, state: 'unsigned', awaiting: 'secretary', language: 'fr' });
    const changed = Buffer.from(pdf);
    changed[Math.floor(changed.length / 3)] ^= 0x20;
    expect(await signing.verifyPdf(changed, caOf)).toMatchObject({ valid: false, state: 'invalid_signature' });
    // A byte of the finalized revision itself: no longer finalized minutes at all, and the signatures over it fail.
    const early = Buffer.from(pdf);
    early[200] ^= 0x20;
    expect(await signing.verifyPdf(early, caOf)).toMatchObject({ recognised: false, valid: false, state: 'invalid_signature' });
    expect(await signing.verifyHash('not a hash')).toEqual({ recognised: false, valid: false, state: null, signatures: [] });
    expect(await refusal(minutes.pdf(999_999, 'ar'))).toEqual({ code: 'not_found', status: 404 });
  });

  it('serves the PDF as last signed, never a file that would not verify', async () => {
    const view = await minutes.view(session().id);
    const current = JSON.parse(view.signatures.at(-1)!.value!).pdfSha256.fr as string;
    const stored = path.join(dataDir, 'documents', DocumentStore.relativePath(current));
    const original = fs.readFileSync(stored);
    expect((await minutes.pdf(session().id, 'fr')).pdf.equals(original)).toBe(true);
    const damaged = Buffer.from(original);
    damaged[100] ^= 0x01;
    fs.writeFileSync(stored, damaged);
    try {
      expect(await refusal(minutes.pdf(session().id, 'fr'))).toEqual({ code: 'internal', status: 500 });
    } finally {
      fs.writeFileSync(stored, original);
    }
  });

  it('publishes each finalized session\'s opinions by dossier reference, nothing personal', async () => {
    const published = await minutes.publishedOpinions();
    const mine = published.find((p) => p.sessionId === session().id)!;
    const agenda = await AgendaItem.findAll({ where: { sessionId: session().id }, include: [Dossier], order: [['position', 'ASC']] });
    expect(mine).toEqual({
      sessionId: session().id, date: '2026-11-23', municipality: { code: 'ADR', nameAr: 'بلدية عين دراهم', nameFr: 'Commune de Aïn Draham' },
      items: [{ dossierReference: agenda[0]!.Dossier!.reference, opinion: 'favourable_with_conditions' }, { dossierReference: agenda[1]!.Dossier!.reference, opinion: 'favourable' }],
    });
    const text = JSON.stringify(published);
    for (const d of agenda) expect(text).not.toContain(d.Dossier!.address);
    expect(text).not.toMatch(/Hammami|Gasmi|Tuiles|tuiles|Façade/);
  });

  it('lists the closed sessions and where their minutes stand for those who may read them', async () => {
    const entry = (await minutes.recentFor(secretary, t(100))).find((e) => e.sessionId === session().id);
    expect(entry).toMatchObject({ sessionStatus: 'closed', status: 'finalized', nextSigner: null });
    const stranger: Principal = { userId: 9999, email: 'x', nameAr: '', nameFr: '', memberships: [] };
    expect(await minutes.recentFor(stranger, t(100))).toEqual([]);
  });
});

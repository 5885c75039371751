import fs from 'node:fs';
import path from 'node:path';
import {
  AgendaItem, AttendanceInterval, AuditEntryRow, Ballot, CommitteeOpinion, defineModels, Dossier, DocumentVersion, MinutesRecord, User, Vote,
} from '../../db/models';
import type { OpenVoteView } from '../../protocol/voting';
import { verifyAuditLog } from '../../server/services/audit';
import { DocumentStore } from '../../server/services/documentStore';
import { contentReferenced } from '../../server/services/recovery';
import { agendaOfDossiers } from './agenda';
import type { TestStore } from './database';
import { cachedPlanPdf } from './fixtures/planPdf';
import { ApiClient } from './http';
import { joinMeeting, meetingData, meetingRequest, meetingSocket, openSession, type MeetingClient } from './meetingSocket';
import { startTestServer } from './server';
import { startServerProcess } from './nodeProcess';

/** Where the server is killed: while ballots are cast, while the chair closes the vote, during an upload, during the minutes' finalize. */
export type CrashPoint = 'vote' | 'close' | 'upload' | 'finalize';
export const CRASH_POINTS: readonly CrashPoint[] = ['vote', 'close', 'upload', 'finalize'];

export interface CrashReport {
  point: CrashPoint;
  delayMs: number;
  /** Ballots the server acknowledged before it died. */
  acked: number;
  /** Of those, the ones found after the restart (with the acknowledged choice, or a later one the member sent). */
  found: number;
  /** What the restarted server found wrong: empty when nothing committed was lost and nothing half-written kept. */
  violations: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ADR = (who: string) => `${who}@ain-draham.tn`;
const VOTERS = ['chair', 'architect', 'engineer', 'urbanism', 'steg', 'protection'];

/**
 * One crash: the server (a child process) on `store` runs a live session with one dossier,
 * the committee joined; at `point` it is killed with SIGKILL `delayMs` after the action
 * started; then a server restarted on the same data checks every acknowledged ballot is
 * there, a close is all or nothing, the store holds no file without its row (and no row
 * without its file), no attendance stretch is open, and the audit chain verifies.
 */
export async function crashRun(store: TestStore, point: CrashPoint, delayMs: number, seed = Date.now()): Promise<CrashReport> {
  const p = await startServerProcess(store);
  // The test's own connection to the data, to read ids while the server runs.
  const db = await store.open();
  defineModels(db);
  const sockets: MeetingClient[] = [];
  const acks: { userId: number; choice: string }[] = [];
  const sent = new Map<number, string[]>();
  let voteId: number | undefined;
  let dossierId = 0;
  let sessionId = 0;
  try {
    const secretary = await ApiClient.loggedIn(p.url, ADR('secretary'));
    const created = await secretary.post('/api/sessions', { municipalityId: 1, startsAt: new Date().toISOString(), mode: 'remote' });
    sessionId = created.body.id as number;
    dossierId = (await agendaOfDossiers(p.url, sessionId, [{}]))[0]!.dossierId;
    const room = new Map<string, MeetingClient>();
    for (const who of VOTERS) {
      const socket = await meetingSocket(p.url, ADR(who));
      sockets.push(socket);
      room.set(who, socket);
      await joinMeeting(socket, sessionId);
      if (who === 'chair') await openSession(socket);
    }
    const chair = room.get('chair')!;
    const cast = async (who: string, choice: 'favourable' | 'unfavourable') => {
      const userId = ids.get(who)!;
      sent.set(userId, [...(sent.get(userId) ?? []), choice]);
      const res = await meetingRequest(room.get(who)!, 'castBallot', { voteId, choice });
      if (res.ok) acks.push({ userId, choice });
    };
    const ids = new Map(await Promise.all(VOTERS.map(async (who) => [who, (await User.findOne({ where: { email: ADR(who) } }))!.id] as const)));
    const openVote = async () => {
      const item = (await AgendaItem.findOne({ where: { sessionId, dossierId } }))!.id;
      voteId = (await meetingData<OpenVoteView>(chair, 'openVote', { agendaItemId: item, question: 'Avis sur le dossier ?' })).id;
    };
    let action: Promise<unknown>;
    if (point === 'vote') {
      await openVote();
      action = Promise.all(VOTERS.map(async (who) => {
        await cast(who, 'favourable');
        await cast(who, 'unfavourable');
      }));
    } else if (point === 'close' || point === 'finalize') {
      await openVote();
      await Promise.all(VOTERS.map((who) => cast(who, 'favourable')));
      if (point === 'close') {
        action = meetingRequest(chair, 'closeVote', { voteId, reasons: 'Conforme' });
      } else {
        await meetingData(chair, 'closeVote', { voteId, reasons: 'Conforme' });
        await meetingData(chair, 'endSession', {});
        action = secretary.post(`/api/minutes/${sessionId}/finalize`);
      }
    } else {
      const amina = await ApiClient.loggedIn(p.url, 'amina@example.tn');
      const draft = await amina.post('/api/dossiers', {
        municipalityId: 1, typeCode: 'new_building', location: { address: 'Rue du Crash 1, Aïn Draham', parcelRef: 'TF 1/Jendouba' },
        coveredAreaM2: 120, levels: 1, nearProtectedSite: false,
      });
      const form = new FormData();
      const file = cachedPlanPdf({ pages: 6, paths: 300, segments: 40, seed: seed % 100_000, width: 1190, height: 842 });
      form.append('file', new Blob([fs.readFileSync(file)], { type: 'application/pdf' }), 'plans.pdf');
      action = amina.request('PUT', `/api/dossiers/${draft.body.id}/documents/architect_plans`, { raw: form });
    }
    action.catch(() => undefined);
    await sleep(delayMs);
  } finally {
    await p.kill();
    for (const s of sockets) s.disconnect();
    await db.close();
  }

  const restarted = await startTestServer(() => {}, { store });
  try {
    const violations: string[] = [];
    let found = 0;
    for (const a of acks) {
      const ballot = await Ballot.findOne({ where: { voteId: voteId!, userId: a.userId } });
      const later = (sent.get(a.userId) ?? []).slice((sent.get(a.userId) ?? []).indexOf(a.choice));
      if (ballot && later.includes(ballot.choice)) found++;
      else violations.push(`acknowledged ballot of user ${a.userId} (${a.choice}) not found`);
    }
    if (voteId !== undefined) {
      const vote = (await Vote.findByPk(voteId))!;
      const opinion = await CommitteeOpinion.count({ where: { voteId } });
      const audit = await AuditEntryRow.count({ where: { action: 'vote.closed', subject: `vote:${voteId}` } });
      const dossier = (await Dossier.findByPk(dossierId))!;
      const closed = vote.status === 'closed';
      if ([opinion === 1, audit === 1, dossier.status !== 'scheduled'].some((x) => x !== closed)) {
        violations.push(`half a close: vote ${vote.status}, ${opinion} opinion, ${audit} audit entry, dossier ${dossier.status}`);
      }
    }
    const minutes = await MinutesRecord.findOne({ where: { sessionId } });
    if (minutes?.status === 'finalized') {
      for (const sha of [minutes.pdfSha256Ar!, minutes.pdfSha256Fr!]) if (!fs.existsSync(storedPath(store, sha))) violations.push(`finalized minutes without their PDF ${sha}`);
    }
    violations.push(...(await storeViolations(store)));
    const open = await AttendanceInterval.count({ where: { leftAt: null } });
    if (open) violations.push(`${open} attendance stretches left open`);
    const chain = await verifyAuditLog();
    if (!chain.ok) violations.push(`audit chain broken: ${JSON.stringify(chain)}`);
    return { point, delayMs, acked: acks.length, found, violations };
  } finally {
    await restarted.close({ keep: true });
  }
}

const storedPath = (store: TestStore, sha256: string) => path.join(store.dataDir, 'documents', DocumentStore.relativePath(sha256));

/** Files without a committed row, rows without their file, leftovers of unfinished writes. */
async function storeViolations(store: TestStore): Promise<string[]> {
  const violations: string[] = [];
  const root = path.join(store.dataDir, 'documents');
  for (const dir of ['tmp', 'pending']) {
    const left = fs.readdirSync(path.join(root, dir));
    if (left.length) violations.push(`${left.length} files left in documents/${dir}`);
  }
  for (const shard of fs.readdirSync(path.join(root, 'sha256'))) {
    for (const sha of fs.readdirSync(path.join(root, 'sha256', shard))) {
      if (!(await contentReferenced(sha))) violations.push(`stored file ${sha} has no committed row`);
    }
  }
  for (const v of await DocumentVersion.findAll()) {
    const file = path.join(root, v.storagePath);
    if (!fs.existsSync(file) || fs.statSync(file).size !== Number(v.size)) violations.push(`version ${v.id} without its whole file`);
  }
  return violations;
}

import type { MeetingSnapshot } from '../../protocol/meeting';
import type { OpenVoteView } from '../../protocol/voting';
import { agendaOfDossiers, type ExaminedDossier } from './agenda';
import { joinMeeting, meetingData, meetingSocket, openSession, type MeetingClient } from './meetingSocket';
import { createRemoteSession } from './meeting';

const ADR = (who: string) => `${who}@ain-draham.tn`;

export interface ScriptedMinutesSession {
  sessionId: number;
  dossiers: ExaminedDossier[];
  /** The agenda items, in order. */
  agenda: { id: number; position: number; dossierId: number }[];
  /** The document versions the chair showed, per item, in the order shown. */
  shown: ExaminedDossier['documents'][];
  /** Each member's socket, by the local part of their email. */
  sockets: Map<string, MeetingClient>;
  /** Each member's first join snapshot, by the local part of their email. */
  snapshots: Map<string, MeetingSnapshot>;
  /** Disconnects every socket the script opened. */
  disconnect(): void;
}

/**
 * A session of Aïn Draham's committee run through the real `/meeting` namespace with
 * socket.io clients, as the integration and browser tests of the minutes need it:
 * two dossiers on the agenda; the chair, the secretary, five members join (engineer and
 * sonede audio-only), protection never comes; the chair shows two documents of item 1;
 * the architect recuses on it; a vote with conditions; steg leaves and comes back audio-only;
 * item 2 is shown one document and voted (the chair's casting vote decides); then
 * `duringSession` runs (the minutes are still a live draft), and the chair ends the session.
 * The chair opens the session as soon as they are in: attendance counts from then on.
 */
export async function scriptedMinutesSession(baseUrl: string, duringSession: (s: ScriptedMinutesSession) => Promise<void> = async () => {}): Promise<ScriptedMinutesSession> {
  const sessionId = await createRemoteSession();
  const dossiers = await agendaOfDossiers(baseUrl, sessionId, [{}, {}]);
  const sockets = new Map<string, MeetingClient>();
  const snapshots = new Map<string, MeetingSnapshot>();
  try {
    return await run();
  } catch (error) {
    sockets.forEach((socket) => socket.disconnect());
    throw error;
  }

  async function run(): Promise<ScriptedMinutesSession> {
    const join = async (who: string, mode: 'video' | 'audio') => {
      const socket = await meetingSocket(baseUrl, ADR(who));
      sockets.set(who, socket);
      const snapshot = await joinMeeting(socket, sessionId, mode);
      snapshots.set(who, snapshot);
      return snapshot;
    };
    const chairSnapshot = await join('chair', 'video');
    await openSession(sockets.get('chair')!);
    await join('secretary', 'video');
    for (const [who, mode] of [['architect', 'video'], ['engineer', 'audio'], ['urbanism', 'video'], ['steg', 'video'], ['sonede', 'audio']] as const) await join(who, mode);
    const agenda = chairSnapshot.features.presentation.agenda.map(({ id, position, dossierId }) => ({ id, position, dossierId }));
    const s = (who: string) => sockets.get(who)!;
    const show = async (item: number, documents: ExaminedDossier['documents']) => {
      await meetingData(s('chair'), 'openItem', { agendaItemId: agenda[item]!.id });
      for (const d of documents) {
        await meetingData(s('chair'), 'present', { view: { versionId: d.versionId, page: 1, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0 } } });
      }
    };
    const vote = async (item: number, question: string, conditions: string, ballots: [string, string][], reasons: string) => {
      const opened = await meetingData<OpenVoteView>(s('chair'), 'openVote', { agendaItemId: agenda[item]!.id, question, conditions });
      for (const [who, choice] of ballots) await meetingData(s(who), 'castBallot', { voteId: opened.id, choice });
      await meetingData(s('chair'), 'closeVote', { voteId: opened.id, reasons });
    };

    const document = (dossier: number, itemCode: string) => dossiers[dossier]!.documents.find((d) => d.itemCode === itemCode)!;
    const shown = [[document(0, 'architect_plans'), document(0, 'signed_request')], [document(1, 'architect_plans')]];
    await show(0, shown[0]!);
    await meetingData(s('architect'), 'recuse', { agendaItemId: agenda[0]!.id, reason: 'Architecte du projet — مهندس المشروع' });
    await vote(0, 'Avis sur le dossier 1', 'Toiture en tuiles rouges', [
      ['chair', 'favourable_with_conditions'], ['engineer', 'favourable_with_conditions'], ['urbanism', 'favourable'], ['steg', 'unfavourable'],
    ], 'Conforme au plan d’aménagement sous réserve de la toiture');
    await meetingData(s('steg'), 'leave', {});
    await joinMeeting(s('steg'), sessionId, 'audio');
    await show(1, shown[1]!);
    await vote(1, 'Avis sur le dossier 2', '', [
      ['chair', 'favourable'], ['urbanism', 'favourable'], ['architect', 'unfavourable'], ['engineer', 'unfavourable'], ['steg', 'abstain'],
    ], 'Voix prépondérante du président');

    const script: ScriptedMinutesSession = {
      sessionId, dossiers, agenda, shown, sockets, snapshots,
      disconnect: () => sockets.forEach((socket) => socket.disconnect()),
    };
    await duringSession(script);
    await meetingData(s('chair'), 'endSession', {});
    return script;
  }
}

/**
 * The live vote with 15 voting members: each ballot from emit to acknowledgement (the ack
 * comes after the ballot is persisted in SQLite), all 15 cast at the same moment; and the
 * chair's close (outcome computed, opinion, status, timeline, email and audit written in
 * one transaction) from emit to `voteClosed` received by each of the 16 clients (the 15
 * voters and the secretary). socket.io clients in this process, joined audio-only (no
 * media), against the whole server; one scheduled dossier per round.
 */
import { performance } from 'node:perf_hooks';
import type { ClosedVoteView, OpenVoteView } from '../protocol/voting';
import { agendaOfDossiers } from '../tests/support/agenda';
import { createRemoteSession } from '../tests/support/meeting';
import { joinMeeting, meetingData, meetingSocket, type MeetingClient } from '../tests/support/meetingSocket';
import { startTestServer } from '../tests/support/server';
import { addVotingMembers } from '../tests/support/voting';
import { AgendaItem } from '../db/models';
import { percentile, writeResult } from './lib';

const ROUNDS = 20;
const ADR = ['chair', 'architect', 'engineer', 'urbanism', 'steg', 'protection'].map((who) => `${who}@ain-draham.tn`);

export default async function vote(): Promise<void> {
  const server = await startTestServer();
  const sockets: MeetingClient[] = [];
  try {
    const voters = [...ADR, ...(await addVotingMembers(9))];
    const sessionId = await createRemoteSession();
    await agendaOfDossiers(server.url, sessionId, Array.from({ length: ROUNDS }, () => ({})));
    const items = (await AgendaItem.findAll({ where: { sessionId }, order: [['position', 'ASC']] })).map((a) => a.id);
    for (const email of [...voters, 'secretary@ain-draham.tn']) {
      const socket = await meetingSocket(server.url, email);
      sockets.push(socket);
      await joinMeeting(socket, sessionId);
    }
    const chair = sockets[0]!;
    await meetingData(chair, 'openSession', {});
    const castMs: number[] = [];
    const closeMs: number[] = [];
    for (const [round, agendaItemId] of items.entries()) {
      const opened = await meetingData<OpenVoteView>(chair, 'openVote', { agendaItemId, question: `Avis ${round + 1}` });
      const acks = await Promise.all(sockets.slice(0, voters.length).map(async (socket, i) => {
        const t0 = performance.now();
        await meetingData(socket, 'castBallot', { voteId: opened.id, choice: i % 4 === 3 ? 'unfavourable' : 'favourable' });
        return performance.now() - t0;
      }));
      castMs.push(...acks);
      const received = sockets.map((socket) => new Promise<number>((resolve) => socket.once('voteClosed', () => resolve(performance.now()))));
      const t0 = performance.now();
      const closed = await meetingData<ClosedVoteView>(chair, 'closeVote', { voteId: opened.id, reasons: 'Conforme' });
      if (!closed.outcome.valid) throw new Error(`round ${round + 1}: no valid outcome`);
      const toAll = (await Promise.all(received)).map((at) => at - t0);
      closeMs.push(...toAll);
      console.log(`round ${round + 1}: cast→ack max ${Math.max(...acks).toFixed(1)} ms, close→all max ${Math.max(...toAll).toFixed(1)} ms`);
    }
    writeResult('vote', {
      cast_ack_ms_p50: Number(percentile(castMs, 50).toFixed(1)),
      cast_ack_ms_p99: Number(percentile(castMs, 99).toFixed(1)),
      close_to_all_ms_p50: Number(percentile(closeMs, 50).toFixed(1)),
      close_to_all_ms_p99: Number(percentile(closeMs, 99).toFixed(1)),
      voters: voters.length,
      clients: sockets.length,
      rounds: items.length,
      cast_samples: castMs.length,
      close_samples: closeMs.length,
    });
  } finally {
    for (const s of sockets) s.disconnect();
    await server.close();
  }
}

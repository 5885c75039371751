import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaOf } from '../../server/meeting/features/media';
import { launchBrowser } from '../support/browser';
import { startTurnServer, type TestTurnServer } from '../support/coturn';
import { clickJoin, createRemoteSession, inbound, openMeeting, type MeetingPage } from '../support/meeting';
import { startTestServer, type TestServer } from '../support/server';

interface SelectedPair {
  local: { candidateType: string; protocol: string; relayProtocol?: string };
  remote: { protocol: string };
}

/** The selected candidate pair of each of the page's connected peer connections. */
function selectedPairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const out: SelectedPair[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState !== 'connected') continue;
      const stats = new Map<string, any>();
      (await pc.getStats()).forEach((r) => stats.set(r.id, r));
      for (const t of stats.values()) {
        const pair = t.type === 'transport' && stats.get(t.selectedCandidatePairId);
        if (pair) out.push({ local: stats.get(pair.localCandidateId), remote: stats.get(pair.remoteCandidateId) });
      }
    }
    return out;
  });
}

/** The page receives growing audio from at least one other member. */
async function hears(page: Page): Promise<void> {
  await expect.poll(async () => (await inbound(page)).filter((s) => s.kind === 'audio' && s.bytes > 0).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  const before = (await inbound(page)).filter((s) => s.kind === 'audio');
  await expect.poll(async () => (await inbound(page)).filter((s) => s.kind === 'audio' && s.bytes > (before.find((b) => b.ssrc === s.ssrc)?.bytes ?? Infinity)).length).toBeGreaterThanOrEqual(1);
}

async function meet(t: TestServer, browser: Browser): Promise<{ chair: MeetingPage; member: MeetingPage; sessionId: number }> {
  const sessionId = await createRemoteSession();
  const chair = await openMeeting(browser, t.url, 'chair@ain-draham.tn', sessionId);
  await chair.page.check('[data-testid=audio-only]');
  await clickJoin(chair.page);
  const member = await openMeeting(browser, t.url, 'architect@ain-draham.tn', sessionId);
  await member.page.check('[data-testid=audio-only]');
  await clickJoin(member.page);
  return { chair, member, sessionId };
}

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => browser?.close());

describe('joining from a network that passes no UDP', () => {
  let t: TestServer;
  beforeAll(async () => void (t = await startTestServer((c) => void (c.mediasoup.protocols = ['tcp']))));
  afterAll(async () => t?.close());

  it('a member joins over ICE-TCP, is counted present and is heard', async () => {
    const { chair, member, sessionId } = await meet(t, browser);
    await hears(chair.page);
    await hears(member.page);
    const pairs = await selectedPairs(member.page);
    expect(pairs.length).toBeGreaterThanOrEqual(2); // send and receive
    expect(pairs.every((p) => p.local.protocol === 'tcp' && p.remote.protocol === 'tcp')).toBe(true);
    // The server's side of the same transports.
    const room = t.server.meeting.rooms.get(sessionId)!;
    const media = (await mediaOf(room).current)!;
    const tuples = [...media.peers.values()].flatMap((p) => [...p.transports.values()].map((tr) => tr.iceSelectedTuple?.protocol));
    expect(tuples.length).toBeGreaterThanOrEqual(4);
    expect(tuples.every((p) => p === 'tcp')).toBe(true);
    expect(room.participants.get(member.userId)?.status).toBe('present');
    await expect.poll(() => chair.page.locator(`[data-testid=participant-${member.userId}]`).getAttribute('data-status')).toBe('present');
    for (const m of [chair, member]) await m.context.close();
  });
});

describe('joining where only TLS passes: through coturn', () => {
  let t: TestServer;
  let turn: TestTurnServer;
  let relayed: Browser;
  beforeAll(async () => {
    // The test's coturn is on loopback with a self-signed certificate: Chromium opens no TURN
    // connection to either unless told to (a real coturn has a real certificate and address).
    relayed = await launchBrowser(['--allow-loopback-in-peer-connection', '--ignore-certificate-errors']);
    turn = await startTurnServer('a-secret-shared-with-coturn');
    t = await startTestServer((c) => void (c.turn = { urls: [turn.url], secret: turn.secret, ttlSeconds: 600, relayOnly: true }));
  });
  afterAll(async () => {
    await relayed?.close();
    await t?.close();
    await turn?.close();
  });

  it('members relayed by coturn over TLS with Lajna-issued credentials hear each other', async () => {
    const { chair, member } = await meet(t, relayed);
    await hears(chair.page).catch(async (e) => {
      const config = await member.page.evaluate(() => JSON.stringify((window as any).__pcs.map((pc: RTCPeerConnection) => [pc.getConfiguration().iceServers, pc.getConfiguration().iceTransportPolicy, pc.iceGatheringState, pc.connectionState])));
      throw new Error(`${(e as Error).message}\n${config}\n${turn.log().slice(-3000)}`);
    });
    await hears(member.page);
    const pairs = await selectedPairs(member.page);
    expect(pairs.length).toBeGreaterThanOrEqual(2);
    for (const p of pairs) expect(p.local).toMatchObject({ candidateType: 'relay', relayProtocol: 'tls' });
    for (const m of [chair, member]) await m.context.close();
  });
});

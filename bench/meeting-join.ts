/**
 * Join time: from clicking "join" to the first decoded remote video frame, for the 2nd
 * to 6th member of a session, in Chromium on localhost, through the whole app (socket
 * auth, seat check, attendance write, router, transports, producers, consumers).
 * Rounds repeat with fresh browser contexts; the first member stays and sends video.
 */
import { launchBrowser } from '../tests/support/browser';
import { createRemoteSession, openMeeting, type MeetingPage } from '../tests/support/meeting';
import { startTestServer } from '../tests/support/server';
import { percentile, writeResult } from './lib';

const ROUNDS = 4;
const FIRST = 'chair@ain-draham.tn';
const JOINERS = ['architect@ain-draham.tn', 'engineer@ain-draham.tn', 'urbanism@ain-draham.tn', 'steg@ain-draham.tn', 'protection@ain-draham.tn'];

/** Clicks join in the page and waits, in the page's own clock, for the first decoded remote video frame. */
function timeJoin(m: MeetingPage): Promise<number> {
  return m.page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const t0 = performance.now();
    (document.querySelector('[data-testid=join]') as HTMLButtonElement).click();
    for (;;) {
      for (const pc of pcs) {
        let decoded = false;
        (await pc.getStats()).forEach((r) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video' && r.framesDecoded > 0) decoded = true;
        });
        if (decoded) return performance.now() - t0;
      }
      await new Promise((r) => setTimeout(r, 5));
      if (performance.now() - t0 > 30_000) throw new Error('no remote video frame within 30 s');
    }
  });
}

export default async function meetingJoin(): Promise<void> {
  const [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  try {
    const sessionId = await createRemoteSession();
    const first = await openMeeting(browser, server.url, FIRST, sessionId);
    await first.page.click('[data-testid=join]');
    await first.page.waitForSelector('[data-testid=room][data-phase=joined]');
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const joined: MeetingPage[] = [];
      for (const email of JOINERS) {
        const m = await openMeeting(browser, server.url, email, sessionId);
        samples.push(await timeJoin(m));
        joined.push(m);
      }
      for (const m of joined) {
        await m.page.click('[data-testid=leave]');
        await m.context.close();
      }
      console.log(`round ${round + 1}: ${samples.slice(-JOINERS.length).map((s) => s.toFixed(0)).join(', ')} ms`);
    }
    writeResult('meeting-join', {
      join_first_frame_ms_p50: Math.round(percentile(samples, 50)),
      join_first_frame_ms_p95: Math.round(percentile(samples, 95)),
      samples: samples.length,
    });
    await first.context.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

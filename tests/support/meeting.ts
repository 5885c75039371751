import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { Committee, CommitteeSession, Municipality, User } from '../../db/models';
import { ApiClient } from './http';

/** A live remote session of Aïn Draham's committee (created directly: the sessions API belongs to another area). */
export async function createRemoteSession(code = 'ADR'): Promise<number> {
  const municipality = await Municipality.findOne({ where: { code } });
  const committee = await Committee.findOne({ where: { municipalityId: municipality!.id } });
  return (await CommitteeSession.create({ committeeId: committee!.id, startsAt: new Date(), mode: 'remote' })).id;
}

// Collects the page's peer connections so tests and benchmarks can read their getStats().
const COLLECT_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native { constructor(...a) { super(...a); window.__pcs.push(this); } };
})()`;

export interface InboundStream {
  kind: string;
  ssrc: number;
  bytes: number;
  frames: number;
  /** Packets received and, for audio, samples played out: 48 per ms of sound. */
  packets: number;
  samples: number;
}

/** Every remote inbound stream of the page: kind, bytes, frames decoded, packets and samples (the SFU's probator excluded). */
export function inbound(page: Page): Promise<InboundStream[]> {
  return page.evaluate(async () => {
    const out: InboundStream[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.mid !== 'probator') out.push({ kind: r.kind, ssrc: r.ssrc, bytes: r.bytesReceived ?? 0, frames: r.framesDecoded ?? 0, packets: r.packetsReceived ?? 0, samples: r.totalSamplesReceived ?? 0 });
      });
    }
    return out;
  });
}

export interface MeetingPage {
  context: BrowserContext;
  page: Page;
  userId: number;
}

/**
 * A logged-in member's page on the pre-join screen of the session, ready to click "join":
 * phone-sized unless `device` says otherwise (a desktop's viewport, a touch screen).
 */
export async function openMeeting(browser: Browser, baseUrl: string, email: string, sessionId: number, device: BrowserContextOptions = {}): Promise<MeetingPage> {
  const api = await ApiClient.loggedIn(baseUrl, email);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, ...device, permissions: ['camera', 'microphone'] });
  await context.addCookies([...api.cookies].map(([name, value]) => ({ name, value, url: baseUrl })));
  await context.addInitScript(COLLECT_PEER_CONNECTIONS);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/meeting/${sessionId}`);
  await page.waitForSelector('[data-testid=join]:not([disabled])');
  return { context, page, userId: (await User.findOne({ where: { email } }))!.id };
}

/**
 * Clicks "join" on the pre-join screen and waits for the room. `media: false` joins
 * audio-only with no microphone (nothing sent: saves CPU where the document is what matters).
 */
export async function clickJoin(page: Page, { media = true }: { media?: boolean } = {}): Promise<void> {
  if (!media) {
    // Microphone first: the audio-only switch then leaves nothing to acquire.
    await page.selectOption('[data-testid=mic-select]', 'none');
    await page.check('[data-testid=audio-only]');
    await page.waitForSelector('[data-testid=join]:not([disabled])');
  }
  await page.click('[data-testid=join]');
  await page.waitForSelector('[data-testid=room][data-phase=joined]');
}

/**
 * A member's page in the room, in `locale` (Arabic by default, as a new visitor gets it),
 * joined; without `media` audio-only and without a microphone (the page, not the media, is tested).
 */
export async function memberInRoom(browser: Browser, baseUrl: string, email: string, sessionId: number,
  { locale = 'ar', device = {}, media = false }: { locale?: string; device?: BrowserContextOptions; media?: boolean } = {}): Promise<MeetingPage> {
  const m = await openMeeting(browser, baseUrl, email, sessionId, device);
  await m.page.evaluate((l) => localStorage.setItem('lajna.locale', l), locale);
  await m.page.reload();
  await m.page.waitForSelector('[data-testid=join]:not([disabled])');
  await clickJoin(m.page, { media });
  return m;
}

/**
 * What a benchmark reads from a member's meeting page: received media (audio samples and
 * concealment), when each page was drawn, and the acknowledgement of a ballot.
 */
import type { Page } from 'playwright-core';

/** A page's inbound media so far: its audio (samples, concealment, payload), and what else came in. */
export interface InboundTotals {
  /** Samples played out (received and concealed), summed over the page's inbound audio. */
  total: number;
  concealed: number;
  /** Audio payload. */
  bytes: number;
  /** What else came in: video payload, and every byte of the selected ICE pairs (RTP headers, RTCP, retransmissions, padding). */
  videoBytes: number;
  transportBytes: number;
}

declare global {
  interface Window {
    /** Every page number the viewer drew, with when (epoch ms). */
    __drawn: { page: number; at: number }[];
  }
}

/** The page's inbound media so far (needs the peer connections collected by tests/support/meeting). */
export function inboundTotals(page: Page): Promise<InboundTotals> {
  return page.evaluate(async () => {
    const totals = { total: 0, concealed: 0, bytes: 0, videoBytes: 0, transportBytes: 0 };
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'candidate-pair' && r.nominated) totals.transportBytes += r.bytesReceived ?? 0;
        if (r.type === 'inbound-rtp' && r.kind === 'video') totals.videoBytes += r.bytesReceived ?? 0;
        if (r.type !== 'inbound-rtp' || r.kind !== 'audio') return;
        totals.total += r.totalSamplesReceived ?? 0;
        totals.concealed += r.concealedSamples ?? 0;
        totals.bytes += r.bytesReceived ?? 0;
      });
    }
    return totals;
  });
}

/** Concealed share between two readings (a receiver whose streams were rebuilt restarts its counters: deltas below 0 count as 0). */
export function concealedBetween(before: InboundTotals, after: InboundTotals): { total: number; concealed: number } {
  return { total: Math.max(0, after.total - before.total), concealed: Math.max(0, after.concealed - before.concealed) };
}

/** Starts recording, on a page with the viewer, every page it draws. */
export function watchDrawn(page: Page): Promise<void> {
  return page.evaluate(() => {
    window.__drawn = [];
    // No named function inside: the bundler would wrap it in a helper the page does not have.
    new MutationObserver(() => {
      const n = Number(document.querySelector<HTMLElement>('[data-testid=pdf-viewer]')?.dataset.renderedPage);
      if (n && window.__drawn.at(-1)?.page !== n) window.__drawn.push({ page: n, at: performance.timeOrigin + performance.now() });
    }).observe(document.body, { attributes: true, attributeFilter: ['data-rendered-page'], subtree: true, childList: true });
    const w = window as unknown as { __long?: { at: number; ms: number }[] };
    if (!w.__long) {
      w.__long = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long!.push({ at: performance.timeOrigin + e.startTime, ms: e.duration }))).observe({ type: 'longtask' });
    }
  });
}

/** One document or code request as the browser made it. */
interface RequestRow {
  url: string;
  start: number;
  end?: number;
  bytes?: number;
  failed?: string;
}

/**
 * What a page did, for a late turn's trace: its document and code requests from Playwright's side,
 * those still in flight too (the page's resource timing keeps 250 at most, and only finished
 * ones), and the meeting's requests still unanswered (a weak line's ranges wait for them).
 */
export class PageTrace {
  readonly #rows: RequestRow[] = [];
  /** Each open socket's meeting requests waiting for their answer, by socket.io's ack id (ids are per socket). */
  readonly #asked = new Set<Map<string, { event: string; start: number }>>();

  constructor(readonly page: Page) {
    const byRequest = new WeakMap<object, RequestRow>();
    page.on('request', (r) => {
      // Documents, and the code that shows them (the viewer's chunk, pdf.js's worker): both take the line.
      if (!r.url().includes('/content') && !r.url().includes('/assets/')) return;
      const row: RequestRow = { url: r.url().replace(/.*versions\//, 'v').replace(/.*\/assets\//, '') + ` ${r.headers()['range'] ?? 'whole'}`, start: Date.now() };
      byRequest.set(r, row);
      this.#rows.push(row);
    });
    page.on('requestfinished', (r) => {
      const row = byRequest.get(r);
      if (!row) return;
      row.end = Date.now();
      void r.sizes().then((s) => (row.bytes = s.responseBodySize), () => undefined);
    });
    page.on('requestfailed', (r) => {
      const row = byRequest.get(r);
      if (row) Object.assign(row, { end: Date.now(), failed: r.failure()?.errorText ?? 'failed' });
    });
    // socket.io's frames: `42/meeting,17["castBallot",…]` asks, `43/meeting,17[…]` answers.
    page.on('websocket', (ws) => {
      const asked = new Map<string, { event: string; start: number }>();
      this.#asked.add(asked);
      ws.on('framesent', ({ payload }) => {
        const m = /^42\/meeting,(\d+)\["(\w+)"/.exec(String(payload));
        if (m) asked.set(m[1]!, { event: m[2]!, start: Date.now() });
      });
      ws.on('framereceived', ({ payload }) => {
        const m = /^43\/meeting,(\d+)/.exec(String(payload));
        if (m) asked.delete(m[1]!);
      });
      // A dropped socket's requests get no answer: they wait for nothing any more.
      ws.on('close', () => this.#asked.delete(asked));
    });
  }

  /** The document and code requests and the meeting's requests still waiting for their answer. */
  inFlight(): string[] {
    const now = Date.now();
    return [
      ...this.#rows.filter((r) => r.end === undefined).map((r) => `${r.url} ${((now - r.start) / 1000).toFixed(0)}s`),
      ...[...this.#asked].flatMap((asked) => [...asked.values()].map((a) => `${a.event} ${((now - a.start) / 1000).toFixed(0)}s`)),
    ];
  }

  /** What the page did since `since` (epoch ms): its document and code requests, long main-thread tasks, pages drawn. */
  async since(since: number): Promise<string> {
    const rows: [number, string][] = this.#rows
      .filter((r) => (r.end ?? Infinity) >= since - 2000)
      .map((r) => [r.start, `req ${r.url} +${r.start - since}..${r.end === undefined ? 'in flight' : `+${r.end - since}`} ${r.failed ?? `${r.bytes ?? '?'}B`}`]);
    rows.push(
      ...(await this.page.evaluate((s) => {
        const out: [number, string][] = [];
        for (const l of (window as unknown as { __long: { at: number; ms: number }[] }).__long) if (l.at >= s - 2000) out.push([l.at, `long task +${(l.at - s).toFixed(0)} ${l.ms.toFixed(0)} ms`]);
        for (const d of window.__drawn) if (d.at >= s - 2000) out.push([d.at, `drawn ${d.page} +${(d.at - s).toFixed(0)}`]);
        return out;
      }, since)),
    );
    return rows.sort((a, b) => a[0] - b[0]).map((r) => '      ' + r[1]).join('\n');
  }
}

/** When the page first drew page `n` at or after `since` (epoch ms), waiting up to `timeoutMs`; null if it did not. */
export async function drawnAfter(page: Page, n: number, since: number, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = await page.evaluate(([k, s]) => window.__drawn.find((d) => d.page === k && d.at >= s)?.at ?? null, [n, since] as const);
    if (at !== null) return at;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Clicks a ballot button and resolves how long until the pane showed it acknowledged (ms), or null after 30 s. */
export function castAndWait(page: Page, choice: string): Promise<number | null> {
  return page.evaluate(
    (c) =>
      new Promise<number | null>((resolve) => {
        const button = document.querySelector<HTMLButtonElement>(`[data-testid=ballot-${c}]`);
        if (!button || button.getAttribute('aria-pressed') === 'true') return resolve(null);
        const start = performance.now();
        const timer = setTimeout(() => (observer.disconnect(), resolve(null)), 30_000);
        const observer = new MutationObserver(() => {
          if (button.getAttribute('aria-pressed') !== 'true') return;
          clearTimeout(timer);
          observer.disconnect();
          resolve(performance.now() - start);
        });
        observer.observe(button, { attributes: true, attributeFilter: ['aria-pressed'] });
        button.click();
      }),
    choice,
  );
}

/** What a member's viewer shows, in words: for a page that was not drawn in time. */
export function viewerState(page: Page): Promise<string> {
  return page
    .evaluate(() => {
      const viewer = document.querySelector<HTMLElement>('[data-testid=pdf-viewer]');
      const status = document.querySelector('[data-testid=following]')?.textContent ?? '';
      const current = document.querySelector('[aria-current=true][data-testid^=document-]')?.getAttribute('data-testid');
      const wanted = document.querySelector<HTMLElement>('[data-testid=page-label]')?.dataset.page ?? '-';
      return `${current ?? 'no document'}, page ${wanted} wanted, ${viewer?.dataset.renderedPage ?? '-'} drawn, "${status}"`;
    })
    .catch((e: Error) => e.message);
}

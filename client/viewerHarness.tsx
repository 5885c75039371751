/**
 * Test and benchmark harness for the dossier viewer (not a product page): shows the PDF at
 * ?url= (same origin, so the server's authorization applies as always) in a PdfViewer
 * whose view state lives here. ?mode=full downloads the whole file before opening it, the
 * baseline of the pdf-first-page benchmark; ?mode=weak reads ranges at a weak line's pace;
 * ?pages= gives the page count known before the file opens.
 * window.lajnaViewer lets a test read and set
 * the view and read when pages were drawn.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { createSignal } from 'solid-js';
import { render } from 'solid-js/web';
import { FAIR_LINE_PACE } from './lib/pdf/httpRanges';
import { openPdf } from './lib/pdf/loadPdf';
import { PdfViewer, type ViewState } from './lib/pdf/PdfViewer';
import type { Point } from './lib/pdf/geometry';

const params = new URLSearchParams(location.search);
const [view, setView] = createSignal<ViewState>({
  url: params.get('url') ?? '',
  page: Number(params.get('page') ?? 1),
  zoom: { mode: 'fit-width' },
  rotation: 0,
  scroll: { x: 0.5, y: 0 },
});
const [pointer, setPointer] = createSignal<Point | null>(null);
const rendered: { page: number; at: number }[] = [];

async function openWhole(url: string) {
  const bytes = new Uint8Array(await (await fetch(url, { credentials: 'same-origin' })).arrayBuffer());
  return openPdf(bytes);
}

const OPENERS: Record<string, ((url: string) => Promise<PDFDocumentProxy>) | undefined> = {
  full: openWhole,
  weak: (url) => openPdf(url, { pace: FAIR_LINE_PACE }),
};

declare global {
  interface Window {
    lajnaViewer: { view: () => ViewState; setView: (v: Partial<ViewState>) => void; setPointer: (p: Point | null) => void; rendered: typeof rendered };
  }
}
window.lajnaViewer = { view, setView: (v) => setView({ ...view(), ...v }), setPointer, rendered };

render(
  () => (
    <PdfViewer
      view={view()}
      onViewChange={setView}
      pointer={pointer()}
      onRendered={(page) => rendered.push({ page, at: performance.now() })}
      open={OPENERS[params.get('mode') ?? '']}
      pageCount={params.has('pages') ? Number(params.get('pages')) : undefined}
    />
  ),
  document.getElementById('root')!,
);

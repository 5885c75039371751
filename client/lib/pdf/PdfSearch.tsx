import type { PDFDocumentProxy } from 'pdfjs-dist';
import { createEffect, createMemo, createSignal, on, onCleanup, Show } from 'solid-js';
import { t } from '../../i18n';
import { fraction } from './fraction';
import type { Point, Rotation } from './geometry';
import { TextSearch, type SearchMatch, type SearchProgress } from './textSearch';

export interface PdfSearchProps {
  doc: PDFDocumentProxy | null;
  /** The page shown: a new search starts there. */
  page: number;
  rotation: Rotation;
  /** Shows a match: its page, scrolled so that the match is in the middle. */
  onGoTo: (page: number, scroll: Point) => void;
  /** The match to highlight, or none. */
  onHighlight: (match: SearchMatch | null) => void;
}

/**
 * The search box of the toolbar. A search reads the pages' text one at a time from the page
 * shown (TextSearch), goes to the first match as soon as it is found and counts on while
 * the rest is read; Enter again, or the arrows, step through the matches found so far.
 */
export function PdfSearch(props: PdfSearchProps) {
  const [query, setQuery] = createSignal('');
  const [progress, setProgress] = createSignal<SearchProgress | null>(null);
  const [shown, setShown] = createSignal<SearchMatch | null>(null);
  let running: TextSearch | null = null;
  let searched = '';

  const stop = () => {
    running?.cancel();
    running = null;
    searched = '';
    setProgress(null);
    setShown(null);
  };
  // Another document: the search was about the old one.
  createEffect(on(() => props.doc, stop, { defer: true }));
  onCleanup(() => running?.cancel());
  createEffect(() => props.onHighlight(shown()));

  const matches = () => progress()?.matches ?? [];
  const index = createMemo(() => {
    const m = shown();
    return m ? matches().indexOf(m) : -1;
  });

  function show(m: SearchMatch | undefined) {
    if (!m || !props.doc) return;
    setShown(m);
    const rotation = props.rotation;
    void props.doc.getPage(m.page).then((p) => {
      const v = p.getViewport({ scale: 1, rotation: (p.rotate + rotation) % 360 });
      const [x0, y0, x1, y1] = v.convertToViewportRectangle(m.box) as number[];
      props.onGoTo(m.page, { x: (x0! + x1!) / 2 / v.width, y: (y0! + y1!) / 2 / v.height });
    });
  }

  function submit(e: Event) {
    e.preventDefault();
    const q = query().trim().toLocaleLowerCase();
    if (q && q === searched && matches().length) return step(1);
    stop();
    const doc = props.doc;
    if (!doc || !q) return;
    searched = q;
    const from = props.page;
    running = TextSearch.start(doc, q, from, (p) => {
      setProgress(p);
      // The first match at or after the page shown, as soon as there is one.
      if (!shown() && p.matches.length) show(p.matches.find((m) => m.page >= from) ?? p.matches[0]);
    });
  }

  function step(dir: 1 | -1) {
    const all = matches();
    if (!all.length) return;
    show(all[(Math.max(0, index()) + dir + all.length) % all.length]);
  }

  return (
    <form class="pdf-search" role="search" onSubmit={submit}>
      <input type="search" value={query()} onInput={(e) => setQuery(e.currentTarget.value)} placeholder={t('pdf.search')} aria-label={t('pdf.search')} data-testid="search-input" />
      <Show when={progress()}>
        {(p) => (
          <>
            <span data-testid="search-count" data-total={p().matches.length} data-done={p().done} aria-live="polite">
              {p().matches.length
                ? `${t('pdf.matches', { position: fraction(index() + 1, p().matches.length) })}${p().done ? '' : '…'}`
                : p().done
                  ? t('pdf.noMatch')
                  : t('pdf.searching', { position: fraction(p().searched, p().pages) })}
            </span>
            <button type="button" class="secondary" onClick={() => step(-1)} disabled={!p().matches.length} title={t('pdf.searchPrevious')}>
              ↑<span class="visually-hidden">{t('pdf.searchPrevious')}</span>
            </button>
            <button type="button" class="secondary" onClick={() => step(1)} disabled={!p().matches.length} data-testid="search-next" title={t('pdf.searchNext')}>
              ↓<span class="visually-hidden">{t('pdf.searchNext')}</span>
            </button>
          </>
        )}
      </Show>
    </form>
  );
}

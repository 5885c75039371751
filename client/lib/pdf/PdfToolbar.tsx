import { For, Show, type JSX } from 'solid-js';
import { t } from '../../i18n';
import { fraction } from './fraction';
import { stepScale, ZOOM_STEPS, type Rotation, type Zoom } from './geometry';

export interface PdfToolbarProps {
  page: number;
  /** 0 while the document is opening. */
  pageCount: number;
  zoom: Zoom;
  /** The scale the zoom gives now (1 = 100 %). */
  scale: number;
  rotation: Rotation;
  thumbnails: boolean;
  onThumbnails: (shown: boolean) => void;
  onPage: (page: number) => void;
  onZoom: (zoom: Zoom) => void;
  onRotation: (rotation: Rotation) => void;
  /** The search box, at the toolbar's end. */
  children?: JSX.Element;
}

/** Thumbnails, previous/next and the page number, zoom, rotation, then the search box. */
export function PdfToolbar(props: PdfToolbarProps) {
  const goTo = (n: number) => props.onPage(Math.min(Math.max(1, Math.round(n)), props.pageCount || 1));
  const zoomBy = (dir: 1 | -1) => props.onZoom({ mode: 'scale', scale: stepScale(props.scale, dir) });
  const zoomValue = () => (props.zoom.mode === 'scale' ? String(props.zoom.scale) : props.zoom.mode);
  const onZoomSelect = (value: string) => props.onZoom(value === 'fit-width' || value === 'fit-page' ? { mode: value } : { mode: 'scale', scale: Number(value) });
  return (
    <div class="pdf-toolbar" role="toolbar">
      <button type="button" class="secondary" onClick={() => props.onThumbnails(!props.thumbnails)} aria-pressed={props.thumbnails} data-testid="toggle-thumbnails" title={t('pdf.thumbnails')}>
        ▦<span class="visually-hidden">{t('pdf.thumbnails')}</span>
      </button>
      <button type="button" class="secondary" onClick={() => goTo(props.page - 1)} disabled={props.page <= 1} data-testid="page-previous" title={t('pdf.previous')}>
        <span class="pdf-arrow" aria-hidden="true">‹</span><span class="visually-hidden">{t('pdf.previous')}</span>
      </button>
      <label class="pdf-page">
        <span class="visually-hidden">{t('pdf.pageInput')}</span>
        <input
          type="number"
          min="1"
          max={props.pageCount || 1}
          value={props.page}
          data-testid="page-input"
          // Wide enough for the largest page number (4 digits for a 4,000-page file) beside the spinner.
          style={{ 'inline-size': `calc(${Math.max(2, String(props.pageCount).length)}ch + 2.6rem)` }}
          onChange={(e) => goTo(Number(e.currentTarget.value))}
        />
      </label>
      <span data-testid="page-label" data-page={props.page} aria-live="polite">
        {t('pdf.page', { position: fraction(props.page, props.pageCount || '…') })}
      </span>
      <button type="button" class="secondary" onClick={() => goTo(props.page + 1)} disabled={!!props.pageCount && props.page >= props.pageCount} data-testid="page-next" title={t('pdf.next')}>
        <span class="pdf-arrow" aria-hidden="true">›</span><span class="visually-hidden">{t('pdf.next')}</span>
      </button>
      <button type="button" class="secondary" onClick={() => zoomBy(-1)} data-testid="zoom-out" title={t('pdf.zoomOut')}>
        −<span class="visually-hidden">{t('pdf.zoomOut')}</span>
      </button>
      <label>
        <span class="visually-hidden">{t('pdf.zoom')}</span>
        <select value={zoomValue()} onChange={(e) => onZoomSelect(e.currentTarget.value)} data-testid="zoom-select">
          <option value="fit-width">{t('pdf.fitWidth')}</option>
          <option value="fit-page">{t('pdf.fitPage')}</option>
          <Show when={props.zoom.mode === 'scale' && !ZOOM_STEPS.includes(props.scale as (typeof ZOOM_STEPS)[number])}>
            <option value={zoomValue()}>{Math.round(props.scale * 100)} %</option>
          </Show>
          <For each={ZOOM_STEPS}>{(s) => <option value={String(s)}>{Math.round(s * 100)} %</option>}</For>
        </select>
      </label>
      <button type="button" class="secondary" onClick={() => zoomBy(1)} data-testid="zoom-in" title={t('pdf.zoomIn')}>
        +<span class="visually-hidden">{t('pdf.zoomIn')}</span>
      </button>
      <button type="button" class="secondary" onClick={() => props.onRotation(((props.rotation + 90) % 360) as Rotation)} data-testid="rotate" title={t('pdf.rotate')}>
        ⟳<span class="visually-hidden">{t('pdf.rotate')}</span>
      </button>
      {props.children}
    </div>
  );
}

import { createMemo, For, Show } from 'solid-js';
import { formatMeasurement, measure, pdfToSheet, sheetToPdf, type SheetPoint } from '../../../protocol/markupGeometry';
import type { MarkupColor, MarkupKind, Measurement, PagePoint, PageScale } from '../../../protocol/markups';
import { locale, t } from '../../i18n';
import type { SheetGeometry } from '../../lib/pdf/PdfPage';
import type { Board } from './board';
import { arrow, box, cloud, dimension, labelAt, polygon, polyline } from './shapes';
import type { MarkupStore } from './store';

/** What one shape needs to be drawn, kept or not. */
interface Drawn {
  kind: MarkupKind | 'calibrate';
  color: MarkupColor;
  points: PagePoint[];
  number?: number;
  text?: string;
  measurement?: Measurement;
}

/** Arrowheads and cloud scallops are sized on the plan (points), so they cover the same part of it on every screen. */
const ARROW_HEAD_PT = 14;
const CLOUD_BUMP_PT = 18;

function Shape(props: { shape: Drawn; toSheet: (p: PagePoint) => SheetPoint; pxPerPt: number; live?: boolean }) {
  const pts = createMemo(() => props.shape.points.map(props.toSheet));
  const a = () => pts()[0]!, b = () => pts()[1] ?? pts()[0]!;
  const label = createMemo(() => labelAt(props.shape.kind, pts()));
  const value = () => props.shape.measurement && formatMeasurement(props.shape.measurement, locale());
  const d = () => {
    switch (props.shape.kind) {
      case 'pen':
        return polyline(pts());
      case 'arrow':
        return arrow(a(), b(), ARROW_HEAD_PT * props.pxPerPt);
      case 'cloud':
        return cloud(a(), b(), CLOUD_BUMP_PT * props.pxPerPt);
      case 'distance':
      case 'calibrate':
        return dimension(a(), b());
      case 'area':
        return pts().length > 2 ? polygon(pts()) : polyline(pts());
      default:
        return '';
    }
  };
  return (
    <g class={`markup colour-${props.shape.color}`} classList={{ live: props.live }} data-testid={props.live ? 'markup-live' : 'markup'}
      data-number={props.shape.number} data-kind={props.shape.kind}>
      <Show when={props.shape.kind === 'rectangle'} fallback={<Show when={props.shape.kind !== 'text'}><path class="shape" classList={{ filled: props.shape.kind === 'area' }} d={d()} /></Show>}>
        {(() => {
          const r = box(a(), b());
          return <rect class="shape" x={r.x} y={r.y} width={r.width} height={r.height} />;
        })()}
      </Show>
      <Show when={props.shape.kind === 'text'}>
        <circle class="shape anchor" cx={a().x} cy={a().y} r={4} />
        <text class="note" x={a().x + 8} y={a().y + 5}>{props.shape.text ?? '…'}</text>
      </Show>
      <Show when={value()}>
        {(v) => <text class="measure" data-testid="markup-measurement" x={label().x} y={label().y - 8} text-anchor="middle">{v()}</text>}
      </Show>
      <Show when={props.shape.number !== undefined}>
        <g class="badge" transform={`translate(${a().x - 12} ${a().y - 12})`}>
          <circle r={9} />
          <text text-anchor="middle" dy="4">{props.shape.number}</text>
        </g>
      </Show>
    </g>
  );
}

/**
 * The markups of the page shown, drawn over the pdf.js canvas: an SVG of the sheet's size
 * whose shapes are placed from page coordinates (PDF user space) with the page's box,
 * rotation and zoom, so they stay on the same spot of the plan on every screen. With a tool
 * chosen, it takes the pointer and turns it into page coordinates for the board.
 */
export function MarkupLayer(props: {
  geometry: SheetGeometry;
  store: MarkupStore;
  versionId: number;
  board: Board;
  /** The member may draw here now (rights, the presented version). */
  drawing: boolean;
  scale: PageScale | null;
}) {
  let svg!: SVGSVGElement;
  const g = () => props.geometry;
  const toSheet = (p: PagePoint) => pdfToSheet(p, g().box, g().rotation, g().pxPerPt);
  const toPage = (e: PointerEvent | MouseEvent): PagePoint => {
    const r = svg.getBoundingClientRect();
    return sheetToPdf({ x: e.clientX - r.left, y: e.clientY - r.top }, g().box, g().rotation, g().pxPerPt);
  };
  const here = (m: { documentVersionId?: number; versionId?: number; page: number }) =>
    (m.documentVersionId ?? m.versionId) === props.versionId && m.page === g().pageNumber;
  const kept = createMemo(() => props.store.markups.filter((m) => !m.deletedAt && here(m)));
  const live = createMemo(() => Object.values(props.store.strokes).filter(here));
  const active = () => props.drawing && props.board.tool() !== 'none';
  const draft = createMemo<Drawn | null>(() => {
    const d = props.board.draft();
    if (!d) return null;
    const measured = (d.tool === 'distance' || (d.tool === 'area' && d.points.length > 2)) && props.scale;
    return { kind: d.tool, color: props.board.color(), points: d.points, ...(measured ? { measurement: measure(d.tool as 'distance' | 'area', d.points, props.scale!.metresPerPoint) } : {}) };
  });

  const down = (e: PointerEvent) => {
    if (!active() || e.button !== 0) return;
    e.preventDefault();
    svg.setPointerCapture(e.pointerId);
    props.board.start(toPage(e));
  };

  return (
    <svg ref={svg} class="markup-layer" classList={{ drawing: active() }} width={g().width} height={g().height} viewBox={`0 0 ${g().width} ${g().height}`}
      data-testid="markup-layer" data-box={`${g().box.x0} ${g().box.y0} ${g().box.x1} ${g().box.y1}`} data-rotation={g().rotation} data-px-per-pt={g().pxPerPt}
      data-tool={active() ? props.board.tool() : 'none'} role="img" aria-label={t('markups.list', { n: String(kept().length) })}
      onPointerDown={down} onPointerMove={(e) => active() && props.board.move(toPage(e))} onPointerUp={() => active() && props.board.end()}
      onDblClick={() => active() && props.board.finishArea()}>
      <For each={kept()}>{(m) => <Shape shape={m} toSheet={toSheet} pxPerPt={g().pxPerPt} />}</For>
      <For each={live()}>{(s) => <Shape shape={s} toSheet={toSheet} pxPerPt={g().pxPerPt} live />}</For>
      <Show when={draft()}>{(d) => <Shape shape={d()} toSheet={toSheet} pxPerPt={g().pxPerPt} live />}</Show>
    </svg>
  );
}

import { createSignal, onCleanup } from 'solid-js';
import { calibrationScale, lengthInPoints } from '../../../protocol/markupGeometry';
import { MARKUP_MAX_POINTS, STROKE_MAX_POINTS, type MarkupColor, type MarkupKind, type PagePoint } from '../../../protocol/markups';
import type { MeetingConnection } from '../MeetingConnection';
import type { Markups } from './store';

export type Tool = 'none' | MarkupKind | 'calibrate';
export const TOOLS: readonly Tool[] = ['none', 'pen', 'arrow', 'rectangle', 'cloud', 'text', 'distance', 'area', 'calibrate'];

/** Where the member draws: the version and page shown, if they may draw there. */
export interface DrawingPlace {
  versionId: number;
  page: number;
}

/** What is being drawn now: its tool and points in page coordinates. */
export interface Draft {
  tool: Exclude<Tool, 'none'>;
  points: PagePoint[];
  /** Waiting for what the member types (a note's text, a calibration's length). */
  asking?: 'text' | 'metres';
}

/** Strokes stream at this pace (points are batched between two sends). */
const STREAM_MS = 50;
/** A pen point closer than this to the last one (in points) adds nothing visible. */
const PEN_STEP_PT = 0.75;

const strokeId = () => Math.random().toString(36).slice(2, 12);

/**
 * One member's drawing on the shared page: the tool and colour chosen, the markup being
 * drawn, its stream to the others while drawing (a pen's new points, or a shape's latest
 * corners), and the requests that keep it (markupCreate, calibrate, markupUndo,
 * markupDelete). Points come in already in page coordinates (the overlay converts them).
 */
export function createBoard(c: MeetingConnection, markups: Markups, place: () => DrawingPlace | null) {
  const [tool, setTool] = createSignal<Tool>('none');
  const [color, setColor] = createSignal<MarkupColor>('red');
  const [draft, setDraft] = createSignal<Draft | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  let stroke = strokeId();
  let unsent: PagePoint[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  onCleanup(() => clearInterval(timer));

  const refused = (e: Error) => setError(e.message);

  function stream() {
    const d = draft(), at = place();
    if (!d || !at || d.tool === 'calibrate' || d.tool === 'text') return;
    const points = d.tool === 'pen' ? unsent.splice(0, STROKE_MAX_POINTS) : d.points.slice(-STROKE_MAX_POINTS);
    if (points.length === 0) return;
    c.request('markupStroke', { stroke, ...at, kind: d.tool, color: color(), points }).catch(() => undefined);
  }

  function start(p: PagePoint) {
    const t = tool();
    if (t === 'none' || !place()) return;
    setError(null);
    const d = draft();
    if (t === 'area' && d?.tool === 'area' && !d.asking) return void setDraft({ ...d, points: [...d.points, p] });
    if (d?.asking) return;
    stroke = strokeId();
    if (t === 'text') return void setDraft({ tool: t, points: [p], asking: 'text' });
    setDraft({ tool: t, points: t === 'pen' || t === 'area' ? [p] : [p, p] });
    unsent = [p];
    clearInterval(timer);
    timer = setInterval(stream, STREAM_MS);
  }

  function move(p: PagePoint) {
    const d = draft();
    if (!d || d.asking || d.tool === 'area') return;
    if (d.tool === 'pen') {
      const last = d.points[d.points.length - 1]!;
      if (d.points.length >= MARKUP_MAX_POINTS || Math.hypot(p[0] - last[0], p[1] - last[1]) < PEN_STEP_PT) return;
      unsent.push(p);
      setDraft({ ...d, points: [...d.points, p] });
    } else setDraft({ ...d, points: [d.points[0]!, p] });
  }

  function end() {
    const d = draft();
    if (!d || d.asking || d.tool === 'area') return;
    clearInterval(timer);
    stream();
    if (d.tool === 'calibrate') {
      if (calibrationScale([d.points[0]!, d.points[1]!], 1) === null) return void setDraft(null);
      return void setDraft({ ...d, asking: 'metres' });
    }
    if (lengthInPoints(d.points) < 1) return void setDraft(null);
    void keep(d.tool, d.points);
  }

  async function keep(kind: MarkupKind, points: PagePoint[], text?: string) {
    const at = place();
    setDraft(null);
    if (!at) return;
    try {
      markups.keep(await c.request('markupCreate', { stroke, ...at, kind, color: color(), points, ...(text ? { text } : {}) }));
    } catch (e) {
      refused(e as Error);
    }
  }

  /** Closes the polygon being drawn (Enter, a double click, or the button). */
  function finishArea() {
    const d = draft();
    clearInterval(timer);
    if (d?.tool !== 'area') return;
    if (d.points.length >= 3) void keep('area', d.points);
    else setDraft(null);
  }

  function submitText(text: string) {
    const d = draft();
    if (d?.tool === 'text' && text.trim()) void keep('text', d.points, text.trim());
  }

  async function submitCalibration(metres: number) {
    const d = draft(), at = place();
    setDraft(null);
    if (d?.tool !== 'calibrate' || !at || !(metres > 0)) return;
    try {
      markups.keepScale(await c.request('calibrate', { ...at, points: [d.points[0]!, d.points[1]!], metres }));
      setTool('none');
    } catch (e) {
      refused(e as Error);
    }
  }

  const cancel = () => {
    clearInterval(timer);
    setDraft(null);
  };

  const undo = () => c.request('markupUndo', {}).then(markups.keep, refused);
  const remove = (markupId: number) => c.request('markupDelete', { markupId }).then(markups.keep, refused);
  const choose = (t: Tool) => {
    cancel();
    setTool(t);
  };

  return { tool, choose, color, setColor, draft, error, start, move, end, finishArea, submitText, submitCalibration, cancel, undo, remove };
}
export type Board = ReturnType<typeof createBoard>;

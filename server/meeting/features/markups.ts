import { DocumentVersion } from '../../../db/models';
import { calibrationScale, measure } from '../../../protocol/markupGeometry';
import { KIND_POINTS, markupSchemas, type MarkupsSnapshot } from '../../../protocol/markups';
import { AppError, conflict, notFound } from '../../errors';
import type { Logger } from '../../log';
import {
  calibratePage, createMarkup, deleteMarkup, markupsOfItem, scaleOf, scalesOf, undoLastMarkup,
} from '../../services/markups';
import type { PdfMeasures } from '../../services/pdfMeasures';
import type { LivePresentation } from '../../services/presentation';
import { request, type MeetingFeature, type RequestContext } from '../feature';
import type { MeetingRoom } from '../MeetingRoom';
import type { PresentationFeature } from './presentation';

/** What a markup needs to know of the version it is drawn on (versions are immutable). */
interface VersionFacts {
  documentId: number;
  pageCount: number;
  sha256: string;
  storagePath: string;
}

const invalid = (message: string, path: string) => new AppError(400, 'invalid_payload', message, [{ path, message }]);

/**
 * One room's drawing board: who the chair lets draw (besides the presenter, who always
 * may), and the facts of the versions drawn on. Kept in memory: grants last while the
 * member is in the meeting; the markups themselves are in the database.
 */
class DrawingBoard {
  readonly drawers = new Set<number>();
  readonly #versions = new Map<number, VersionFacts>();

  constructor(readonly presentation: LivePresentation) {}

  mayDraw(userId: number): boolean {
    return this.presentation.isPresenter(userId) || this.drawers.has(userId);
  }

  /**
   * The open item and the presented version a request draws on, or its refusal: no rights,
   * no item open, another version than the presented one, a page the version lacks.
   */
  async place(userId: number, versionId: number, page: number): Promise<{ agendaItemId: number; facts: VersionFacts }> {
    if (!this.mayDraw(userId)) throw new AppError(403, 'no_drawing_rights', 'only the presenter, or whom the chair lets draw, may draw');
    const { currentItemId, view } = this.presentation.snapshot();
    if (currentItemId === null) throw conflict('the chair has not opened an agenda item');
    if (view?.versionId !== versionId) {
      throw new AppError(409, 'not_presented', 'this document version is not the one presented', { presentedVersionId: view?.versionId ?? null });
    }
    const facts = await this.facts(versionId);
    if (page > facts.pageCount) throw invalid(`the document has ${facts.pageCount} pages`, 'page');
    return { agendaItemId: currentItemId, facts };
  }

  async facts(versionId: number): Promise<VersionFacts> {
    const known = this.#versions.get(versionId);
    if (known) return known;
    const v = await DocumentVersion.findByPk(versionId, { attributes: ['id', 'documentId', 'pageCount', 'sha256', 'storagePath'] });
    if (!v) throw notFound('document version');
    const facts = { documentId: v.documentId, pageCount: v.pageCount, sha256: v.sha256, storagePath: v.storagePath };
    this.#versions.set(versionId, facts);
    return facts;
  }

  /** The open item's markups and the scales of its documents (and of the version presented, if older). */
  async snapshot(): Promise<MarkupsSnapshot> {
    const { currentItemId, view, agenda } = this.presentation.snapshot();
    const drawers = [...this.drawers];
    if (currentItemId === null) return { agendaItemId: null, markups: [], scales: [], drawers };
    const files = (agenda.find((i) => i.id === currentItemId)?.documents ?? []).map((d) => d.sha256);
    if (view) files.push((await this.facts(view.versionId)).sha256);
    const [markups, scales] = await Promise.all([markupsOfItem(currentItemId), scalesOf(files)]);
    return { agendaItemId: currentItemId, markups, scales, drawers };
  }
}

/**
 * Markups and measurements on the shared page (issue 16): the presenter (and members the
 * chair lets draw) stream strokes to the others as they draw, then keep each markup,
 * numbered per agenda item and tied to the presented version; a distance or area is
 * measured here with the page's scale (a member's calibration or the file's /Measure).
 * Undo takes back one's own last markup, the chair deletes any. Join snapshots carry the
 * open item's markups and scales, from the database, so late joiners and a restarted
 * server show them.
 */
export function markupsFeature(presentation: PresentationFeature, measures: PdfMeasures, log: Logger): MeetingFeature {
  const boards = new WeakMap<MeetingRoom, Promise<DrawingBoard>>();
  const board = (room: MeetingRoom) => boards.get(room) ?? Promise.reject(conflict('the meeting has no presentation'));
  const s = markupSchemas;
  const inSession = { inSession: true } as const;
  const chairOnly = { seats: ['chair'], refusal: 'only the chair may do this', inSession: true } as const;
  const failed = (what: string) => (e: Error) => log.error({ err: e }, what);

  /** The scales a presented file declares, read the first time it is shown, to everyone. */
  const scan = (room: MeetingRoom, b: DrawingBoard, versionId: number) =>
    void b.facts(versionId)
      .then((f) => measures.scan(f.sha256, f.storagePath))
      .then((scales) => scales.forEach((scale) => room.broadcast('pageScale', scale)), failed('measure scan failed'));

  /** Everyone's snapshot again when the open item or the presented version changes (not on page turns). */
  function follow(room: MeetingRoom, b: DrawingBoard): void {
    let shown = '';
    b.presentation.on('changed', ({ currentItemId, view }) => {
      const key = `${currentItemId}:${view?.versionId}`;
      if (key === shown) return;
      shown = key;
      b.snapshot().then((snapshot) => room.broadcast('markups', snapshot), failed('markups snapshot failed'));
      if (view) scan(room, b, view.versionId);
    });
    const { currentItemId, view } = b.presentation.snapshot();
    shown = `${currentItemId}:${view?.versionId}`;
    if (view) scan(room, b, view.versionId);
    room.on('participantleft', (userId) => {
      if (b.drawers.delete(userId)) room.broadcast('drawers', { userIds: [...b.drawers] });
    });
  }

  const drawn = async (ctx: RequestContext, versionId: number, page: number) => (await board(ctx.room)).place(ctx.userId, versionId, page);

  return {
    name: 'markups',

    roomCreated(room) {
      const loading = presentation.live(room).then((p) => new DrawingBoard(p));
      boards.set(room, loading);
      loading.then((b) => follow(room, b), failed('markups board failed'));
    },

    snapshot: { name: 'markups', of: async (room) => (await board(room)).snapshot() },

    requests: [
      request('setDrawing', s.setDrawing, async ({ userId, allowed }, { room }) => {
        const b = await board(room);
        if (allowed && !room.participants.has(userId)) throw notFound('participant');
        if (allowed) b.drawers.add(userId);
        else b.drawers.delete(userId);
        room.broadcast('drawers', { userIds: [...b.drawers] });
        return null;
      }, chairOnly),

      request('markupStroke', s.markupStroke, async (p, ctx) => {
        await drawn(ctx, p.versionId, p.page);
        ctx.room.broadcastExcept(ctx.socket.id, 'markupStroke', { ...p, userId: ctx.userId });
        return null;
      }, inSession),

      request('markupCreate', s.markupCreate, async ({ stroke, versionId, page, kind, color, points, text }, ctx) => {
        const { agendaItemId, facts } = await drawn(ctx, versionId, page);
        const [min, max] = KIND_POINTS[kind];
        if (points.length < min || points.length > max) throw invalid(`a ${kind} has ${min === max ? min : `${min} to ${max}`} points`, 'points');
        if ((kind === 'text') !== (text !== undefined)) throw invalid(kind === 'text' ? 'a text note needs its text' : 'only a text note has text', 'text');
        let measurement;
        if (kind === 'distance' || kind === 'area') {
          const scale = await scaleOf(facts.sha256, page);
          if (!scale) throw new AppError(409, 'no_scale', 'the page has no scale: calibrate it first');
          measurement = measure(kind, points, scale.metresPerPoint);
        }
        const markup = await createMarkup({
          agendaItemId, documentVersionId: versionId, sha256: facts.sha256, page, kind, color, points, text, measurement, authorId: ctx.userId,
        });
        ctx.room.broadcastExcept(ctx.socket.id, 'markupCreated', { markup, ...(stroke ? { stroke } : {}) });
        return markup;
      }, inSession),

      request('markupUndo', s.markupUndo, async (_p, { room, userId, socket }) => {
        const itemId = (await board(room)).presentation.snapshot().currentItemId;
        const undone = itemId === null ? null : await undoLastMarkup(itemId, userId);
        if (!undone) throw notFound('markup of yours on this item');
        room.broadcastExcept(socket.id, 'markupDeleted', undone);
        return undone;
      }, inSession),

      request('markupDelete', s.markupDelete, async ({ markupId }, { room, userId, socket }) => {
        const itemId = (await board(room)).presentation.snapshot().currentItemId;
        const deleted = itemId === null ? null : await deleteMarkup(itemId, markupId, userId);
        if (!deleted) throw notFound('markup on this item');
        room.broadcastExcept(socket.id, 'markupDeleted', deleted);
        return deleted;
      }, chairOnly),

      request('calibrate', s.calibrate, async ({ versionId, page, points, metres }, ctx) => {
        const { facts } = await drawn(ctx, versionId, page);
        const metresPerPoint = calibrationScale(points, metres);
        if (metresPerPoint === null) throw invalid('draw the calibration along a longer line', 'points');
        const scale = await calibratePage(facts.sha256, page, metresPerPoint, ctx.userId);
        ctx.room.broadcastExcept(ctx.socket.id, 'pageScale', scale);
        return scale;
      }, inSession),
    ],
  };
}

import { z } from 'zod';
import { Id } from './ids';
import type { AckFn } from './meeting';
import { proseText } from './text';

/**
 * Markups and measurements on the shared page (issue 16). Everything is in PDF user space
 * of the page, unrotated (pdf.js's `viewport.convertToPdfPoint`: the MediaBox's origin and
 * units), so a markup stays on the same spot of the drawing at any zoom, rotation, window
 * size or pixel density. Markups belong to the agenda item (numbered 1, 2 … per item) and
 * to the document version they were drawn on: they are never shown on another version.
 */

/** A point of the page in PDF user space: [x, y], y upwards as in the PDF. */
export type PagePoint = [x: number, y: number];

export const MARKUP_KINDS = ['pen', 'arrow', 'rectangle', 'cloud', 'text', 'distance', 'area'] as const;
export type MarkupKind = (typeof MARKUP_KINDS)[number];
/** The few colours a markup may have (named: each client picks its own shade for contrast). */
export const MARKUP_COLORS = ['red', 'blue', 'green', 'orange', 'purple'] as const;
export type MarkupColor = (typeof MARKUP_COLORS)[number];

/** Points one `markupStroke` message may carry (a stroke is streamed in pieces). */
export const STROKE_MAX_POINTS = 64;
/** Points one markup may have in all (a freehand stroke of a minute, sampled at 30 Hz). */
export const MARKUP_MAX_POINTS = 2000;
/** Longest text note, in characters once cleaned. */
export const MARKUP_TEXT_MAX_CHARS = 500;
/** Largest coordinate accepted: PDF pages are at most 14,400 units a side (times a UserUnit). */
export const PAGE_COORD_MAX = 200_000;
/** Longest known length a calibration may be given, in metres (a site plan of a few km). */
export const CALIBRATION_MAX_METRES = 100_000;

/** The points each kind needs: [min, max]. */
export const KIND_POINTS: Readonly<Record<MarkupKind, readonly [number, number]>> = {
  pen: [2, MARKUP_MAX_POINTS],
  arrow: [2, 2],
  rectangle: [2, 2],
  cloud: [2, 2],
  text: [1, 1],
  distance: [2, 2],
  area: [3, 500],
};

const coord = z.number().finite().min(-PAGE_COORD_MAX).max(PAGE_COORD_MAX);
export const PagePointSchema = z.tuple([coord, coord]);
const page = z.number().int().min(1).max(100_000);
/** A client's name for a stroke in progress (its markup's `stroke` when created). */
const strokeId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _ (at most 32)');

/** Where a markup is drawn: the document version (the presented one) and its page. */
const place = { versionId: Id, page };

export const markupSchemas = {
  /** Chair only: gives (or takes back) drawing rights to a participant; the presenter always has them. */
  setDrawing: z.object({ userId: Id, allowed: z.boolean() }).strict(),
  /** Points of a markup being drawn, sent on to the others as they come (not kept): a pen's new points, another shape's latest corners. */
  markupStroke: z
    .object({
      stroke: strokeId,
      ...place,
      kind: z.enum(MARKUP_KINDS),
      color: z.enum(MARKUP_COLORS),
      points: z.array(PagePointSchema).min(1).max(STROKE_MAX_POINTS),
    })
    .strict(),
  /** A finished markup, kept and numbered. A distance or area is measured by the server with the page's scale. */
  markupCreate: z
    .object({
      stroke: strokeId.optional(),
      ...place,
      kind: z.enum(MARKUP_KINDS),
      color: z.enum(MARKUP_COLORS),
      points: z.array(PagePointSchema).min(1).max(MARKUP_MAX_POINTS),
      text: proseText(MARKUP_TEXT_MAX_CHARS).min(1, 'an empty note').optional(),
    })
    .strict(),
  /** Takes back the sender's own last markup of the open item. */
  markupUndo: z.object({}).strict(),
  /** Chair only: deletes any markup of the open item. */
  markupDelete: z.object({ markupId: Id }).strict(),
  /** Sets the page's scale: a line drawn along a known dimension and its length in metres. */
  calibrate: z
    .object({
      ...place,
      points: z.tuple([PagePointSchema, PagePointSchema]),
      metres: z.number().finite().positive().max(CALIBRATION_MAX_METRES),
    })
    .strict(),
} as const;
export type MarkupRequest<K extends keyof typeof markupSchemas> = z.input<(typeof markupSchemas)[K]>;

export interface PersonNames {
  ar: string;
  fr: string;
}

export interface Measurement {
  value: number;
  unit: 'm' | 'm2';
}

/** A kept markup, as every client, the opinion and the minutes read it. */
export interface Markup {
  id: number;
  agendaItemId: number;
  /** Per agenda item, from 1, never reused (a deleted markup keeps its number). */
  number: number;
  documentId: number;
  documentVersionId: number;
  /** The version it was drawn on: shown only over that content. */
  documentSha256: string;
  /** 1-based. */
  page: number;
  kind: MarkupKind;
  color: MarkupColor;
  points: PagePoint[];
  text?: string;
  /** Distance (m) or area (m²), measured with the page's scale when drawn. */
  measurement?: Measurement;
  authorId: number;
  authorName: PersonNames;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601, when undone or deleted (null: shown). */
  deletedAt: string | null;
}

/** The scale of a page of a document version (by content, sha256). */
export interface PageScale {
  documentSha256: string;
  page: number;
  /** Metres on the ground per PDF unit of the page. */
  metresPerPoint: number;
  /** 'pdf': declared in the file (/VP /Measure); 'calibration': drawn and typed by a member (wins over the file's). */
  source: 'pdf' | 'calibration';
  /** The drawing's ratio when it is a round one at a 72-dpi print (100 for 1:100). */
  ratio?: number;
  by?: PersonNames;
  /** ISO 8601. */
  at?: string;
}

/** `MeetingSnapshot.features.markups`: what a joiner needs to draw the open item's page. */
export interface MarkupsSnapshot {
  agendaItemId: number | null;
  /** Every markup of the open item, deleted ones included (numbers stay meaningful). */
  markups: Markup[];
  /** The scales of the open item's documents. */
  scales: PageScale[];
  /** Who may draw besides the presenter (the chair's grants). */
  drawers: number[];
}

/** A piece of a stroke in progress, as the others receive it. */
export interface StrokeEvent extends z.output<typeof markupSchemas.markupStroke> {
  userId: number;
}

declare module './meeting' {
  interface MeetingFeatureSnapshots {
    markups: MarkupsSnapshot;
  }
  interface MeetingClientEvents {
    setDrawing(p: MarkupRequest<'setDrawing'>, ack: AckFn<null>): void;
    markupStroke(p: MarkupRequest<'markupStroke'>, ack: AckFn<null>): void;
    markupCreate(p: MarkupRequest<'markupCreate'>, ack: AckFn<Markup>): void;
    markupUndo(p: MarkupRequest<'markupUndo'>, ack: AckFn<Markup>): void;
    markupDelete(p: MarkupRequest<'markupDelete'>, ack: AckFn<Markup>): void;
    calibrate(p: MarkupRequest<'calibrate'>, ack: AckFn<PageScale>): void;
  }
  interface MeetingServerEvents {
    /** The open item changed: its markups and scales (also sent after a version is presented). */
    markups(snapshot: MarkupsSnapshot): void;
    /** Points of someone's markup in progress. */
    markupStroke(p: StrokeEvent): void;
    /** A markup was kept (persisted before it is sent); `stroke` names the stroke it ends. */
    markupCreated(p: { markup: Markup; stroke?: string }): void;
    /** A markup was undone or deleted. */
    markupDeleted(markup: Markup): void;
    /** A page's scale was set by calibration. */
    pageScale(scale: PageScale): void;
    /** The chair's grants changed. */
    drawers(p: { userIds: number[] }): void;
  }
}

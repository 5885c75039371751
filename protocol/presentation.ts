import { z } from 'zod';
import { Id } from './ids';
import type { AckFn } from './meeting';

/**
 * The shared dossier viewer on the `/meeting` namespace: the chair opens an agenda item,
 * one presenter at a time (the chair, or whom the chair hands it to) broadcasts where they
 * are in which document; members follow by default. The server keeps the state, so a
 * member who joins late or reconnects opens at the presenter's place.
 */

const id = Id;
const fraction = z.number().min(0).max(1);
export const PointSchema = z.object({ x: fraction, y: fraction }).strict();

export const ZoomSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('fit-width') }).strict(),
  z.object({ mode: z.literal('fit-page') }).strict(),
  z.object({ mode: z.literal('scale'), scale: z.number().min(0.25).max(8) }).strict(),
]);

/** What the presenter shows: a document version, a page, a zoom, a rotation, and the page point at the viewport's centre. */
export const PresentedViewSchema = z
  .object({
    versionId: id,
    page: z.number().int().min(1).max(100_000),
    zoom: ZoomSchema,
    rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
    /** Normalised to the displayed page (0…1 on each axis), never pixels: screens differ. */
    scroll: PointSchema,
  })
  .strict();
export type PresentedView = z.infer<typeof PresentedViewSchema>;

export const presentationSchemas = {
  /** Chair only: the agenda item under discussion. */
  openItem: z.object({ agendaItemId: id }).strict(),
  /** Chair only: hands the presentation to a participant (or takes it back with their own id). */
  setPresenter: z.object({ userId: id }).strict(),
  /** Presenter only: the document and place everyone follows; the version must belong to the current item's dossier. */
  present: z.object({ view: PresentedViewSchema }).strict(),
  /** Presenter only: the pointer over the page (fractions of the unrotated page), null when it leaves. */
  pointer: z.object({ at: PointSchema.nullable() }).strict(),
} as const;
export type PresentationRequest<K extends keyof typeof presentationSchemas> = z.input<(typeof presentationSchemas)[K]>;

/** A document of an agenda item's dossier, in its current version. */
export interface AgendaDocument {
  documentId: number;
  itemCode: string;
  /** The checklist item's name, as the committee knows the document ("Architect's plans"). */
  labelAr: string;
  labelFr: string;
  labelEn: string;
  versionId: number;
  version: number;
  fileName: string;
  pageCount: number;
  sha256: string;
}

/** An agenda item as the meeting room lists it (reference, not the applicant's name). */
export interface AgendaItemInfo {
  id: number;
  position: number;
  dossierId: number;
  reference: string;
  dossierStatus: string;
  type: { code: string; nameAr: string; nameFr: string; nameEn: string };
  address: string;
  documents: AgendaDocument[];
}

export interface PresentationState {
  currentItemId: number | null;
  presenterId: number | null;
  view: PresentedView | null;
}

/** The feature's part of the join snapshot: `MeetingSnapshot.features.presentation`. */
export interface PresentationSnapshot extends PresentationState {
  agenda: AgendaItemInfo[];
}

declare module './meeting' {
  interface MeetingFeatureSnapshots {
    presentation: PresentationSnapshot;
  }
  interface MeetingClientEvents {
    openItem(p: PresentationRequest<'openItem'>, ack: AckFn<null>): void;
    setPresenter(p: PresentationRequest<'setPresenter'>, ack: AckFn<null>): void;
    present(p: PresentationRequest<'present'>, ack: AckFn<null>): void;
    pointer(p: PresentationRequest<'pointer'>, ack: AckFn<null>): void;
  }
  interface MeetingServerEvents {
    /** The item, presenter or view changed (persisted before it is sent). */
    presentation(state: PresentationState): void;
    /** The presenter's pointer (not persisted). */
    pointer(p: { userId: number; at: { x: number; y: number } | null }): void;
    /** The agenda changed (e.g. a dossier's status after its vote). */
    agenda(items: AgendaItemInfo[]): void;
  }
}

import { EventEmitter } from 'node:events';
import { AgendaItem, ChecklistItem, CommitteeSeat, Dossier, DossierDocument, DossierType, DocumentVersion, SessionPresentation, ShownDocument } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import type { Transaction } from 'sequelize';
import type { ShownDocumentRecord } from '../../protocol/opinions';
import type { AgendaItemInfo, PresentationSnapshot, PresentationState, PresentedView } from '../../protocol/presentation';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { documentsOf } from './dossiers';

/** The names of a dossier type's checklist items by code (the code itself for an item no longer listed). */
async function checklistLabels(dossierTypeId: number, transaction?: Transaction): Promise<(itemCode: string) => { labelAr: string; labelFr: string; labelEn: string }> {
  const labels = new Map((await ChecklistItem.findAll({ where: { dossierTypeId }, transaction })).map((c) => [c.code, c]));
  return (itemCode) => {
    const label = labels.get(itemCode);
    return { labelAr: label?.labelAr ?? itemCode, labelFr: label?.labelFr ?? itemCode, labelEn: label?.labelEn ?? itemCode };
  };
}

/** A session's agenda as the meeting room lists it: reference, type, address, status, current documents; never the applicant. */
export async function agendaOf(sessionId: number): Promise<AgendaItemInfo[]> {
  const items = await AgendaItem.findAll({ where: { sessionId }, include: [{ model: Dossier, include: [DossierType] }], order: [['position', 'ASC']] });
  return Promise.all(items.map(async (a) => {
    const d = a.Dossier!;
    const type = d.DossierType!;
    const labelOf = await checklistLabels(type.id);
    return {
      id: a.id,
      position: a.position,
      dossierId: d.id,
      reference: d.reference ?? '',
      dossierStatus: d.status,
      type: { code: type.code, nameAr: type.nameAr, nameFr: type.nameFr, nameEn: type.nameEn },
      address: d.address,
      documents: (await documentsOf(d.id)).map(({ id, itemCode, currentVersion: v }) => ({
        documentId: id, itemCode, ...labelOf(itemCode), versionId: v.id, version: v.version, fileName: v.fileName, pageCount: v.pageCount, sha256: v.sha256,
      })),
    };
  }));
}

/** The document versions shown to the committee for an item, in the order first shown: what its opinion and minutes cite. */
export async function shownDocumentsOf(agendaItemId: number, transaction?: Transaction): Promise<ShownDocumentRecord[]> {
  const rows = await ShownDocument.findAll({
    where: { agendaItemId }, include: [{ model: DocumentVersion, include: [DossierDocument] }], order: [['id', 'ASC']], transaction,
  }) as (ShownDocument & { DocumentVersion: DocumentVersion & { DossierDocument: DossierDocument } })[];
  if (!rows.length) return [];
  const item = await AgendaItem.findByPk(agendaItemId, { include: [Dossier], transaction });
  const labelOf = await checklistLabels(item!.Dossier!.dossierTypeId, transaction);
  return rows.map((r) => ({
    documentVersionId: r.documentVersionId, itemCode: r.DocumentVersion.DossierDocument.itemCode, ...labelOf(r.DocumentVersion.DossierDocument.itemCode),
    fileName: r.DocumentVersion.fileName, version: r.DocumentVersion.version, sha256: r.sha256,
  }));
}

/** What `present` needs to know of a version. */
interface VersionFacts {
  dossierId: number;
  pageCount: number;
  sha256: string;
}

export interface LivePresentationEvents {
  /** The item, presenter or view changed; already persisted. */
  changed: [state: PresentationState];
}

/**
 * The presentation of one live session: the agenda item under discussion, who presents,
 * and where the presenter is. Loaded from `session_presentations` when the meeting room is
 * created (a restarted server reopens at the presenter's place); every change is written
 * first, then announced by `changed`. Changes run one at a time in arrival order, so what
 * is checked (who presents, which item is open) is still true when it is written, and
 * followers see the changes in the order they were persisted.
 */
export class LivePresentation extends EventEmitter<LivePresentationEvents> {
  #state: PresentationState;
  #agenda: AgendaItemInfo[];
  /** `${agendaItemId}:${versionId}` already in shown_documents: later page turns skip that write. */
  readonly #shown = new Set<string>();
  /** Versions are immutable: looked up once per meeting, not on every page turn. */
  readonly #versions = new Map<number, VersionFacts>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly sessionId: number,
    /** Who holds the chair's seat: the presenter by default and whenever a presenter leaves. */
    readonly chairId: number | null,
    state: PresentationState,
    agenda: AgendaItemInfo[],
  ) {
    super();
    this.#state = state;
    this.#agenda = agenda;
  }

  static async load(sessionId: number, committeeId: number): Promise<LivePresentation> {
    const [row, chair, agenda] = await Promise.all([
      SessionPresentation.findByPk(sessionId),
      CommitteeSeat.findOne({ where: { committeeId, kind: 'chair' } }),
      agendaOf(sessionId),
    ]);
    const chairId = chair?.userId ?? null;
    const state = row ? { currentItemId: row.currentItemId, presenterId: row.presenterId, view: row.view } : { currentItemId: null, presenterId: chairId, view: null };
    return new LivePresentation(sessionId, chairId, state, agenda);
  }

  snapshot(): PresentationSnapshot {
    return { agenda: this.#agenda, ...this.#state };
  }

  /** The agenda item under discussion; the presenter then opens one of its documents. */
  openItem(agendaItemId: number): Promise<void> {
    return this.#serial(async () => {
      const item = this.#agenda.find((i) => i.id === agendaItemId);
      if (!item) throw notFound('agenda item');
      if (item.dossierStatus === 'withdrawn') throw new AppError(409, 'invalid_transition', 'the applicant withdrew this dossier', { dossierId: item.dossierId });
      await this.#write({ currentItemId: agendaItemId, view: null });
    });
  }

  /**
   * The applicant withdrew a dossier: the agenda shows it withdrawn, and if it is the item
   * under discussion, the item is closed (nobody looks at its documents any more). Gives the
   * agenda when it changed.
   */
  dossierWithdrawn(dossierId: number): Promise<AgendaItemInfo[] | undefined> {
    return this.#serial(async () => {
      if (!this.#agenda.some((i) => i.dossierId === dossierId)) return undefined;
      this.#agenda = await agendaOf(this.sessionId);
      const current = this.#agenda.find((i) => i.id === this.#state.currentItemId);
      if (current?.dossierId === dossierId) await this.#write({ currentItemId: null, view: null });
      return this.#agenda;
    });
  }

  /** Hands the presentation to `userId` (the caller checked that they are in the room). */
  setPresenter(userId: number): Promise<void> {
    return this.#serial(async () => {
      if (this.#state.presenterId !== userId) await this.#write({ presenterId: userId });
    });
  }

  /** The presenter's place: a version of the current item's dossier, a page it has. */
  present(actorId: number, view: PresentedView): Promise<void> {
    return this.#serial(async () => {
      if (actorId !== this.#state.presenterId) throw forbidden('only the presenter may present');
      const item = this.#agenda.find((i) => i.id === this.#state.currentItemId);
      if (!item) throw conflict('the chair has not opened an agenda item');
      const facts = await this.#facts(view.versionId);
      if (!facts || facts.dossierId !== item.dossierId) throw notFound("document version of this item's dossier");
      if (view.page > facts.pageCount) {
        throw new AppError(400, 'invalid_payload', `the document has ${facts.pageCount} pages`, [{ path: 'view.page', message: `at most ${facts.pageCount}` }]);
      }
      const shownKey = `${item.id}:${view.versionId}`;
      const record = this.#shown.has(shownKey)
        ? undefined
        : { agendaItemId: item.id, documentVersionId: view.versionId, sha256: facts.sha256, shownById: actorId };
      await this.#write({ view }, record);
      this.#shown.add(shownKey);
    });
  }

  /** Only the presenter points; the caller checks it with this before relaying (pointers are not persisted). */
  isPresenter(userId: number): boolean {
    return this.#state.presenterId === userId;
  }

  /** A member left the meeting for good: if they were presenting, the chair takes the presentation back. */
  participantLeft(userId: number): Promise<void> {
    return this.#serial(async () => {
      if (this.#state.presenterId === userId && userId !== this.chairId) await this.#write({ presenterId: this.chairId });
    });
  }

  /** Re-reads the agenda (dossier statuses change when a vote closes). */
  refreshAgenda(): Promise<AgendaItemInfo[]> {
    return this.#serial(async () => (this.#agenda = await agendaOf(this.sessionId)));
  }

  async #facts(versionId: number): Promise<VersionFacts | null> {
    const known = this.#versions.get(versionId);
    if (known) return known;
    const v = await DocumentVersion.findByPk(versionId, { attributes: ['id', 'pageCount', 'sha256'], include: [{ model: DossierDocument, attributes: ['dossierId'] }] });
    if (!v) return null;
    const facts = { dossierId: v.DossierDocument!.dossierId, pageCount: v.pageCount, sha256: v.sha256 };
    this.#versions.set(versionId, facts);
    return facts;
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Persists the new state (and the first showing of a version for an item) in one write
   * transaction, then announces it. One upsert per page turn: the cheap path.
   */
  async #write(patch: Partial<PresentationState>, shown?: { agendaItemId: number; documentVersionId: number; sha256: string; shownById: number }): Promise<void> {
    const next = { ...this.#state, ...patch };
    await writeTransaction(SessionPresentation.sequelize!, async (transaction) => {
      await SessionPresentation.upsert({ sessionId: this.sessionId, ...next, updatedAt: new Date() }, { transaction });
      if (shown) {
        await ShownDocument.findOrCreate({
          where: { agendaItemId: shown.agendaItemId, documentVersionId: shown.documentVersionId },
          defaults: { ...shown, firstShownAt: new Date() },
          transaction,
        });
      }
    });
    this.#state = next;
    this.emit('changed', next);
  }
}

import { Op, type Transaction } from 'sequelize';
import { DocumentVersion, MarkupRow, PageScaleRow, PdfMeasureScan, User } from '../../db/models';
import { exclusive, forUpdate, writeTransaction } from '../../db/transactions';
import { ratioOf } from '../../protocol/markupGeometry';
import type { Markup, PageScale } from '../../protocol/markups';

const withParts = [
  { model: User, as: 'author', attributes: ['nameAr', 'nameFr'] },
  { model: DocumentVersion, attributes: ['documentId'] },
];

function viewOf(m: MarkupRow): Markup {
  return {
    id: m.id, agendaItemId: m.agendaItemId, number: m.number,
    documentId: m.DocumentVersion!.documentId, documentVersionId: m.documentVersionId, documentSha256: m.sha256,
    page: m.page, kind: m.kind, color: m.color, points: m.points,
    ...(m.text === null ? {} : { text: m.text }),
    ...(m.measurement === null ? {} : { measurement: m.measurement }),
    authorId: m.authorId, authorName: { ar: m.author?.nameAr ?? '', fr: m.author?.nameFr ?? '' },
    createdAt: m.createdAt.toISOString(), deletedAt: m.deletedAt ? m.deletedAt.toISOString() : null,
  };
}

/** Every markup of an agenda item, by number, the undone and deleted ones included (their `deletedAt` set). */
export async function markupsOfItem(agendaItemId: number, transaction?: Transaction): Promise<Markup[]> {
  const rows = await MarkupRow.findAll({ where: { agendaItemId }, include: withParts, order: [['number', 'ASC']], transaction });
  return rows.map(viewOf);
}

/**
 * The markups of an item with these numbers, by number; numbers the item does not have are
 * absent from the answer, deleted markups are there with `deletedAt` (the caller decides).
 */
export async function markupsByNumbers(agendaItemId: number, numbers: readonly number[], transaction?: Transaction): Promise<Markup[]> {
  if (numbers.length === 0) return [];
  const rows = await MarkupRow.findAll({ where: { agendaItemId, number: { [Op.in]: [...new Set(numbers)] } }, include: withParts, order: [['number', 'ASC']], transaction });
  return rows.map(viewOf);
}

async function viewById(id: number, transaction: Transaction): Promise<Markup> {
  return viewOf((await MarkupRow.findByPk(id, { include: withParts, transaction }))!);
}

/** What a new markup is made of: its number, time and names are the service's. */
export type NewMarkup = Pick<Markup, 'agendaItemId' | 'documentVersionId' | 'page' | 'kind' | 'color' | 'points' | 'text' | 'measurement' | 'authorId'> & { sha256: string };

/**
 * Keeps a markup under the item's next number. Numbering and insert are one write
 * transaction, the item taken exclusively across nodes (PostgreSQL) and the unique index
 * (item, number) behind it: concurrent creates get distinct numbers.
 */
export function createMarkup(m: NewMarkup): Promise<Markup> {
  return writeTransaction(MarkupRow.sequelize!, async (transaction) => {
    await exclusive(transaction, `markups:${m.agendaItemId}`);
    const last = (await MarkupRow.max('number', { where: { agendaItemId: m.agendaItemId }, transaction })) as number | null;
    const row = await MarkupRow.create({ ...m, text: m.text ?? null, measurement: m.measurement ?? null, number: (last ?? 0) + 1, createdAt: new Date(), deletedAt: null, deletedById: null }, { transaction });
    return viewById(row.id, transaction);
  });
}

/** Takes back `authorId`'s last markup still shown on the item; null when there is none. */
export function undoLastMarkup(agendaItemId: number, authorId: number): Promise<Markup | null> {
  return writeTransaction(MarkupRow.sequelize!, async (transaction) => {
    const row = await MarkupRow.findOne({ where: { agendaItemId, authorId, deletedAt: null }, order: [['number', 'DESC']], ...forUpdate(transaction) });
    if (!row) return null;
    await row.update({ deletedAt: new Date(), deletedById: authorId }, { transaction });
    return viewById(row.id, transaction);
  });
}

/** Deletes one markup of the item (the chair's); null when the item has no such markup. Deleting twice keeps the first time. */
export function deleteMarkup(agendaItemId: number, markupId: number, byId: number): Promise<Markup | null> {
  return writeTransaction(MarkupRow.sequelize!, async (transaction) => {
    const row = await MarkupRow.findOne({ where: { id: markupId, agendaItemId }, ...forUpdate(transaction) });
    if (!row) return null;
    if (!row.deletedAt) await row.update({ deletedAt: new Date(), deletedById: byId }, { transaction });
    return viewById(row.id, transaction);
  });
}

function scaleView(s: PageScaleRow): PageScale {
  const by = s.calibratedBy ? { by: { ar: s.calibratedBy.nameAr, fr: s.calibratedBy.nameFr } } : {};
  return {
    documentSha256: s.sha256, page: s.page, metresPerPoint: s.metresPerPoint, source: s.source,
    ...(s.ratio === null ? {} : { ratio: s.ratio }), ...by, at: s.setAt.toISOString(),
  };
}

/** The scale of each page of these files that has one: a calibration where a member made one, else the file's own. */
export async function scalesOf(sha256s: readonly string[]): Promise<PageScale[]> {
  if (sha256s.length === 0) return [];
  const rows = await PageScaleRow.findAll({
    where: { sha256: { [Op.in]: [...new Set(sha256s)] } },
    include: [{ model: User, as: 'calibratedBy', attributes: ['nameAr', 'nameFr'] }],
    order: [['sha256', 'ASC'], ['page', 'ASC']],
  });
  const best = new Map<string, PageScaleRow>();
  for (const r of rows) {
    const key = `${r.sha256}:${r.page}`;
    if (!best.has(key) || r.source === 'calibration') best.set(key, r);
  }
  return [...best.values()].map(scaleView);
}

/** The scale a page has now (see scalesOf), or null. */
export async function scaleOf(sha256: string, page: number): Promise<PageScale | null> {
  return (await scalesOf([sha256])).find((s) => s.page === page) ?? null;
}

/** A member's calibration of a page: replaces the previous one of that page, for every version with that content. */
export async function calibratePage(sha256: string, page: number, metresPerPoint: number, byId: number): Promise<PageScale> {
  await writeTransaction(PageScaleRow.sequelize!, async (transaction) => {
    const where = { sha256, page, source: 'calibration' as const };
    const values = { metresPerPoint, ratio: ratioOf(metresPerPoint), calibratedById: byId, setAt: new Date() };
    const existing = await PageScaleRow.findOne({ where, ...forUpdate(transaction) });
    if (existing) await existing.update(values, { transaction });
    else await PageScaleRow.create({ ...where, ...values }, { transaction });
  });
  return (await scaleOf(sha256, page))!;
}

/** Whether the file's measure dictionaries were already read. */
export async function measureScanned(sha256: string): Promise<boolean> {
  return (await PdfMeasureScan.count({ where: { sha256 } })) > 0;
}

/** Keeps the scales a file declares (page → metres per point), once per content. */
export function recordPdfScales(sha256: string, pages: ReadonlyMap<number, number>): Promise<void> {
  return writeTransaction(PdfMeasureScan.sequelize!, async (transaction) => {
    const [, created] = await PdfMeasureScan.findOrCreate({ where: { sha256 }, defaults: { sha256, scannedAt: new Date() }, transaction });
    if (!created) return;
    const setAt = new Date();
    for (const [page, metresPerPoint] of pages) {
      await PageScaleRow.create({ sha256, page, source: 'pdf', metresPerPoint, ratio: ratioOf(metresPerPoint), calibratedById: null, setAt }, { transaction });
    }
  });
}

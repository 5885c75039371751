import { Op, type Sequelize } from 'sequelize';
import { CaseDocument, ComplaintPhoto, DocumentVersion, MinutesRecord } from '../../db/models';
import type { Logger } from '../log';
import { ABANDONED_AFTER_MS } from '../domain/attendance';
import { closeAbandonedStretches } from './AttendanceHeartbeat';
import type { DocumentStore } from './documentStore';

/**
 * When several nodes share the store (SHARED_STORE): a pending mark younger than this may be
 * another node's write still on its way to commit, and is left for a later start.
 */
const SHARED_STORE_PENDING_MS = 10 * 60_000;

/**
 * Whether a committed record refers to the stored content with this sha256: a dossier's
 * document version, a case's document, a complaint's photo, or a finalized minutes PDF. (A new kind of record
 * kept with `keepFor` is added here.)
 */
export async function contentReferenced(sha256: string): Promise<boolean> {
  if ((await DocumentVersion.count({ where: { sha256 } })) > 0) return true;
  if ((await CaseDocument.count({ where: { sha256 } })) > 0) return true;
  if ((await ComplaintPhoto.count({ where: { sha256 } })) > 0) return true;
  return (await MinutesRecord.count({ where: { [Op.or]: [{ pdfSha256Ar: sha256 }, { pdfSha256Fr: sha256 }] } })) > 0;
}

/**
 * What a start does before it serves anyone, after a crash as after a clean stop: the
 * files kept for records that never committed are removed, and the attendance stretches a
 * crash left open are closed at their last heartbeat (the only node: all of them; nodes
 * sharing the store, SHARED_STORE: those no live node has stamped lately).
 */
export async function recoverAtStart(sequelize: Sequelize, store: DocumentStore, log: Logger, shared: boolean): Promise<void> {
  const removed = await store.sweepUncommitted(contentReferenced, shared ? SHARED_STORE_PENDING_MS : 0);
  if (removed.length) log.warn({ removed }, 'removed stored files whose record never committed');
  const closed = await closeAbandonedStretches(sequelize, shared ? ABANDONED_AFTER_MS : 0);
  if (closed) log.warn({ closed }, 'closed the attendance stretches a stop left open, at their last heartbeat');
}

import fs from 'node:fs/promises';
import { Op } from 'sequelize';
import {
  CaseMessage, Complaint, ComplaintPhoto, DocumentVersion, Dossier, DossierDocument, DossierEvent, DossierMessage, Municipality,
} from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import { CLOSED_COMPLAINT_STATUSES } from '../domain/complaints';
import { retentionVerdict, type RetentionPeriods } from '../domain/retention';
import type { Logger } from '../log';
import { appendAudit } from './audit';
import { caseSettingsOf } from './caseRecords';
import { DocumentStore } from './documentStore';
import { contentReferenced } from './recovery';

const DAY = 86_400_000;

export interface RetentionPass {
  deletedDrafts: number;
  anonymisedComplaints: number;
}

/**
 * The daily retention job (Law 2004-63): in each municipality, by its periods
 * (case_settings.retention, else DEFAULT_RETENTION), deletes the dossiers never submitted
 * and anonymises the complaints closed long ago, each in its own write with an audit entry
 * saying what went and why. Archives (submitted dossiers, minutes, opinions, decisions,
 * requests for information) are never touched: server/domain/retention.ts decides.
 * Stored files no row refers to any more are removed after the writes.
 */
export class RetentionJob {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();

  private constructor(private readonly store: DocumentStore, private readonly log: Logger) {}

  /** Runs a first pass a minute after start, then every day. */
  static create(store: DocumentStore, log: Logger, everyMs = DAY, firstAfterMs = 60_000): RetentionJob {
    const job = new RetentionJob(store, log);
    const tick = () => {
      job.#running = job.runOnce().catch((error: unknown) => log.error({ error: (error as Error).message }, 'retention pass failed; retried tomorrow'));
      job.#timer = setTimeout(tick, everyMs);
      job.#timer.unref();
    };
    job.#timer = setTimeout(tick, firstAfterMs);
    job.#timer.unref();
    return job;
  }

  /** One pass over every municipality at `now`. */
  async runOnce(now = new Date()): Promise<RetentionPass> {
    const pass: RetentionPass = { deletedDrafts: 0, anonymisedComplaints: 0 };
    const files = new Set<string>();
    for (const m of await Municipality.findAll({ attributes: ['id'] })) {
      const periods: RetentionPeriods = (await caseSettingsOf(m.id)).retention;
      const drafts = await Dossier.findAll({ where: { municipalityId: m.id, status: 'draft' } });
      for (const d of drafts.filter((x) => retentionVerdict({ kind: 'dossier', status: x.status, updatedAt: x.updatedAt }, periods, now) === 'delete')) {
        for (const f of await this.#deleteDraft(d.id, periods, now)) files.add(f);
        pass.deletedDrafts++;
      }
      const closed = await Complaint.findAll({ where: { municipalityId: m.id, status: { [Op.in]: [...CLOSED_COMPLAINT_STATUSES] }, anonymisedAt: null } });
      for (const c of closed.filter((x) => retentionVerdict({ kind: 'complaint', status: x.status, closedAt: x.closedAt ?? null, anonymised: false }, periods, now) === 'anonymise')) {
        for (const f of await this.#anonymiseComplaint(c.id, periods, now)) files.add(f);
        pass.anonymisedComplaints++;
      }
    }
    await this.#removeUnreferenced(files);
    if (pass.deletedDrafts || pass.anonymisedComplaints) this.log.info(pass, 'retention pass');
    return pass;
  }

  /** Stops the schedule and waits for a pass under way. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#running;
  }

  async #deleteDraft(dossierId: number, periods: RetentionPeriods, now: Date): Promise<string[]> {
    return writeTransaction(Dossier.sequelize!, async (transaction) => {
      const d = await Dossier.findByPk(dossierId, { transaction });
      // Re-checked under the write lock: the applicant may have just submitted it.
      if (!d || retentionVerdict({ kind: 'dossier', status: d.status, updatedAt: d.updatedAt }, periods, now) !== 'delete') return [];
      const documents = await DossierDocument.findAll({ where: { dossierId }, transaction });
      const versions = await DocumentVersion.findAll({ where: { documentId: { [Op.in]: documents.map((x) => x.id) } }, transaction });
      await DocumentVersion.destroy({ where: { id: { [Op.in]: versions.map((v) => v.id) } }, transaction });
      await DossierDocument.destroy({ where: { dossierId }, transaction });
      await DossierEvent.destroy({ where: { dossierId }, transaction });
      await DossierMessage.destroy({ where: { dossierId }, transaction });
      await d.destroy({ transaction });
      await appendAudit(transaction, {
        at: now, actorId: null, action: 'retention.deleted', subject: `dossier:${dossierId}`,
        payload: { kind: 'dossier_draft', lastChange: d.updatedAt.toISOString(), afterMonths: periods.draftMonths, documents: versions.length },
      });
      return versions.map((v) => v.sha256);
    });
  }

  async #anonymiseComplaint(complaintId: number, periods: RetentionPeriods, now: Date): Promise<string[]> {
    return writeTransaction(Complaint.sequelize!, async (transaction) => {
      const c = await Complaint.findByPk(complaintId, { transaction });
      if (!c || c.anonymisedAt) return [];
      const photos = await ComplaintPhoto.findAll({ where: { complaintId }, transaction });
      await ComplaintPhoto.destroy({ where: { complaintId }, transaction });
      await CaseMessage.destroy({ where: { caseType: 'complaint', caseId: complaintId }, transaction });
      // What stays serves the public statistics: category, neighbourhood, status and dates.
      await c.update({ reporterId: null, description: '', address: '', lat: null, lng: null, rejectionReason: null, anonymisedAt: now }, { transaction });
      await appendAudit(transaction, {
        at: now, actorId: null, action: 'retention.anonymised', subject: `complaint:${complaintId}`,
        payload: { kind: 'closed_complaint', closedAt: c.closedAt!.toISOString(), afterYears: periods.closedComplaintYears, photos: photos.length },
      });
      return photos.map((p) => p.sha256);
    });
  }

  /** Removes stored content no record refers to any more (content is shared by sha256: another record may hold the same file). */
  async #removeUnreferenced(sha256s: Set<string>): Promise<void> {
    for (const sha256 of sha256s) {
      if (!(await contentReferenced(sha256))) await fs.rm(this.store.absolute(DocumentStore.relativePath(sha256)), { force: true });
    }
  }
}

import { AgendaItem, CommitteeSeat, CommitteeSession, Committee, Dossier, DocumentVersion, DossierDocument } from '../../db/models';
import type { DossierViewer } from '../../protocol/dossiers';
import { hasRole, type Principal } from '../domain/access';
import { notFound } from '../errors';

/**
 * The one authorization rule for dossiers and their documents, for HTTP routes and the
 * meeting room alike: the applicant who owns it; the secretary or admin of its municipality;
 * a chair or member who sits on a committee of that municipality whose session has the
 * dossier on its agenda. Anyone else: null (routes answer 404, so ids leak nothing).
 */
export async function dossierViewer(principal: Principal | undefined, dossier: Pick<Dossier, 'id' | 'municipalityId' | 'applicantId'>): Promise<DossierViewer | null> {
  if (!principal) return null;
  if (hasRole(principal, ['secretary'], dossier.municipalityId)) return 'office';
  if (dossier.applicantId === principal.userId) return 'applicant';
  if (!hasRole(principal, ['chair', 'member'], dossier.municipalityId)) return null;
  const onAgenda = await AgendaItem.count({
    where: { dossierId: dossier.id },
    include: [{
      model: CommitteeSession, required: true, attributes: [],
      include: [{ model: Committee, required: true, attributes: [], where: { municipalityId: dossier.municipalityId },
        include: [{ model: CommitteeSeat, required: true, attributes: [], where: { userId: principal.userId } }] }],
    }],
  });
  return onAgenda > 0 ? 'committee' : null;
}

/** The dossier if `principal` may see it; otherwise 404 not_found (also for an unknown id). */
export async function dossierFor(principal: Principal | undefined, dossierId: number): Promise<{ dossier: Dossier; viewer: DossierViewer }> {
  const dossier = await Dossier.findByPk(dossierId);
  const viewer = dossier && (await dossierViewer(principal, dossier));
  if (!dossier || !viewer) throw notFound('dossier');
  return { dossier, viewer };
}

/** A document version with its dossier, if `principal` may read it; otherwise 404. */
export async function documentVersionFor(principal: Principal | undefined, versionId: number): Promise<{ version: DocumentVersion; dossier: Dossier; viewer: DossierViewer }> {
  const version = await DocumentVersion.findByPk(versionId, { include: [{ model: DossierDocument, include: [Dossier] }] });
  const dossier = version?.DossierDocument?.Dossier;
  const viewer = dossier && (await dossierViewer(principal, dossier));
  if (!version || !dossier || !viewer) throw notFound('document');
  return { version, dossier, viewer };
}

/** Whether `principal` may read this document version (for the meeting room's viewer and other callers). */
export async function mayReadDocument(principal: Principal | undefined, versionId: number): Promise<boolean> {
  return documentVersionFor(principal, versionId).then(() => true, () => false);
}

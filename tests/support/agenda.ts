import fs from 'node:fs';
import path from 'node:path';
import { AgendaItem } from '../../db/models';
import { cachedPlanPdf } from './fixtures/planPdf';
import { ApiClient } from './http';
import { createRemoteSession } from './meeting';

/** The checklist of a new building, in upload order (the order the meeting room lists the documents). */
const REQUIRED = ['signed_request', 'property_certificate', 'tax_receipts', 'topographic_survey', 'architect_plans'];

/** A one-page A4 sheet for the documents a test does not look at. */
export const smallPdf = () => cachedPlanPdf({ pages: 1, paths: 10, segments: 10, seed: 1, width: 595, height: 842 });

export interface ExaminedDossier {
  dossierId: number;
  reference: string;
  /** The current version of each document, in the order the meeting room lists them. */
  documents: { itemCode: string; versionId: number; pageCount: number; sha256: string }[];
}

async function upload(client: ApiClient, dossierId: number, itemCode: string, file: string) {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)], { type: 'application/pdf' }), path.basename(file));
  const res = await client.request('PUT', `/api/dossiers/${dossierId}/documents/${itemCode}`, { raw: form });
  if (res.status !== 201) throw new Error(`upload ${itemCode}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Dossiers as the real flow makes them, through the HTTP API: `applicant` (amina@) creates one per entry
 * of `files` (PDF paths by checklist item code; a small sheet for the items not given),
 * submits it, the secretary marks it complete and puts them all on the planned session's
 * agenda in that order.
 */
export async function agendaOfDossiers(baseUrl: string, sessionId: number, files: Partial<Record<string, string>>[], applicant = 'amina@example.tn'): Promise<ExaminedDossier[]> {
  const [amina, secretary] = await Promise.all([ApiClient.loggedIn(baseUrl, applicant), ApiClient.loggedIn(baseUrl, 'secretary@ain-draham.tn')]);
  const dossiers: ExaminedDossier[] = [];
  for (const own of files) {
    const created = await amina.post('/api/dossiers', {
      municipalityId: 1, typeCode: 'new_building',
      location: { address: `Rue des Pins ${dossiers.length + 1}, Aïn Draham`, parcelRef: 'TF 4242/Jendouba' },
      coveredAreaM2: 150, levels: 2, nearProtectedSite: false,
    });
    if (created.status !== 201) throw new Error(`create dossier: ${created.status} ${JSON.stringify(created.body)}`);
    const id = created.body.id as number;
    for (const item of REQUIRED) await upload(amina, id, item, own[item] ?? smallPdf());
    const submitted = await amina.post(`/api/dossiers/${id}/submit`);
    if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    const complete = await secretary.post(`/api/dossiers/${id}/complete`, {});
    if (complete.status !== 200) throw new Error(`complete: ${complete.status} ${JSON.stringify(complete.body)}`);
    dossiers.push({
      dossierId: id,
      reference: complete.body.reference,
      documents: complete.body.documents.map((d: any) => ({ itemCode: d.itemCode, versionId: d.currentVersion.id, pageCount: d.currentVersion.pageCount, sha256: d.currentVersion.sha256 })),
    });
  }
  const agenda = await secretary.put(`/api/sessions/${sessionId}/agenda`, { dossierIds: dossiers.map((d) => d.dossierId) });
  if (agenda.status !== 200) throw new Error(`agenda: ${agenda.status} ${JSON.stringify(agenda.body)}`);
  return dossiers;
}

/**
 * A planned remote session with `count` dossiers on its agenda (the i-th with the PDFs of
 * `files[i]`, as agendaOfDossiers takes them): the session, the dossiers and their agenda items, in order.
 */
export async function sessionWithDossiers(baseUrl: string, count: number, files: Partial<Record<string, string>>[] = []): Promise<{ sessionId: number; dossiers: ExaminedDossier[]; items: number[] }> {
  const sessionId = await createRemoteSession();
  const dossiers = await agendaOfDossiers(baseUrl, sessionId, Array.from({ length: count }, (_, i) => files[i] ?? {}));
  const items = (await AgendaItem.findAll({ where: { sessionId }, order: [['position', 'ASC']] })).map((a) => a.id);
  return { sessionId, dossiers, items };
}

/** A planned remote session with one dossier on its agenda: the session, the dossier and its agenda item. */
export async function sessionWithOneDossier(baseUrl: string): Promise<{ sessionId: number; dossier: ExaminedDossier; itemId: number }> {
  const sessionId = await createRemoteSession();
  const [dossier] = await agendaOfDossiers(baseUrl, sessionId, [{}]);
  const itemId = (await AgendaItem.findOne({ where: { sessionId, dossierId: dossier!.dossierId } }))!.id;
  return { sessionId, dossier: dossier!, itemId };
}

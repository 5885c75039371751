import PDFDocument from 'pdfkit';
import type { DossierView } from '../../protocol/dossiers';

/**
 * The submission receipt: reference, date, applicant, location and every document with
 * its sha256, so the applicant can later prove exactly what was filed. Latin text only
 * (pdfkit's standard fonts have no Arabic shaping); names are given in their French form.
 */
export function receiptPdf(dossier: DossierView, submittedAt: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Récépissé ${dossier.reference}`, Author: 'Lajna' } });
  doc.fontSize(16).text(`${dossier.municipality.nameFr}`, { align: 'center' });
  doc.fontSize(13).text('Récépissé de dépôt de demande de permis de bâtir', { align: 'center' }).moveDown();
  doc.fontSize(11);
  doc.text(`Référence : ${dossier.reference}`);
  doc.text(`Déposé le : ${submittedAt.replace('T', ' ').slice(0, 16)} UTC`);
  if (dossier.applicant) doc.text(`Demandeur : ${dossier.applicant.nameFr} <${dossier.applicant.email}>`);
  doc.text(`Type : ${dossier.type.nameFr}`);
  doc.text(`Adresse : ${dossier.location.address} — parcelle ${dossier.location.parcelRef}`);
  doc.text(`Surface couverte : ${dossier.coveredAreaM2} m² — niveaux : ${dossier.levels}`).moveDown();
  doc.fontSize(12).text('Pièces déposées').moveDown(0.5);
  for (const d of dossier.documents) {
    const item = dossier.checklist.find((c) => c.code === d.itemCode);
    const v = d.currentVersion;
    doc.fontSize(10).text(`${item?.labelFr ?? d.itemCode} — ${v.fileName} (v${v.version}, ${v.pageCount} p., ${v.size} octets)`);
    doc.font('Courier').fontSize(8).text(`sha256 ${v.sha256}`).font('Helvetica').moveDown(0.4);
  }
  doc.end();
  return doc;
}

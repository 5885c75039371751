import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Sequelize } from 'sequelize';
import {
  AgendaItem, ChecklistItem, Committee, CommitteeSeat, CommitteeSession, Dossier, DossierDocument, DossierEvent, DossierMessage, DossierType,
  DocumentVersion, Membership, Municipality, ReferenceCounter, User,
} from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import type { DossierStatus } from '../../protocol/dossiers';
import type { CommitteeRules, CommitteeSeatKind, Role } from '../../protocol/enums';
import { hashPassword } from '../services/accounts';
import { DocumentStore } from '../services/documentStore';

/** The password of every demo account (printed in the README). */
export const DEMO_PASSWORD = 'lajna-demo';

export const DEFAULT_RULES: CommitteeRules = {
  quorum: { kind: 'fraction', fraction: 0.5 },
  majority: 'simple',
  abstentionsInBase: false,
  chairCastingVote: true,
  allowBallotChange: true,
  tallyHiddenUntilClose: true,
};

interface DemoPerson {
  email: string;
  nameAr: string;
  nameFr: string;
  role: Role;
  seat?: { kind: CommitteeSeatKind; titleAr: string; titleFr: string; vetoHolder?: boolean };
}

const AIN_DRAHAM: DemoPerson[] = [
  { email: 'admin@ain-draham.tn', nameAr: 'مدير المنصة', nameFr: 'Administrateur', role: 'admin' },
  { email: 'chair@ain-draham.tn', nameAr: 'محمد الهادي العياري', nameFr: 'Mohamed Hédi Ayari', role: 'chair',
    seat: { kind: 'chair', titleAr: 'رئيس البلدية', titleFr: 'Président de la commune' } },
  { email: 'secretary@ain-draham.tn', nameAr: 'سلمى الجندوبي', nameFr: 'Salma Jendoubi', role: 'secretary',
    seat: { kind: 'secretary', titleAr: 'كاتبة اللجنة', titleFr: 'Secrétaire de la commission' } },
  { email: 'architect@ain-draham.tn', nameAr: 'ليلى بن صالح', nameFr: 'Leila Ben Salah', role: 'member',
    seat: { kind: 'voting', titleAr: 'مهندسة معمارية', titleFr: 'Architecte' } },
  { email: 'engineer@ain-draham.tn', nameAr: 'كريم الطرابلسي', nameFr: 'Karim Trabelsi', role: 'member',
    seat: { kind: 'voting', titleAr: 'مهندس مدني', titleFr: 'Ingénieur civil' } },
  { email: 'urbanism@ain-draham.tn', nameAr: 'نادية الشابي', nameFr: 'Nadia Chebbi', role: 'member',
    seat: { kind: 'voting', titleAr: 'ممثلة وزارة التجهيز', titleFr: "Représentante du ministère de l'Équipement", vetoHolder: true } },
  { email: 'steg@ain-draham.tn', nameAr: 'سامي الفرجاني', nameFr: 'Sami Ferjani', role: 'member',
    seat: { kind: 'voting', titleAr: 'ممثل الشركة التونسية للكهرباء والغاز', titleFr: 'Délégué STEG' } },
  { email: 'protection@ain-draham.tn', nameAr: 'هشام المرزوقي', nameFr: 'Hichem Marzouki', role: 'member',
    seat: { kind: 'voting', titleAr: 'ممثل الحماية المدنية', titleFr: 'Délégué de la protection civile' } },
  { email: 'sonede@ain-draham.tn', nameAr: 'فاطمة الزهراء العبيدي', nameFr: 'Fatma Zahra Abidi', role: 'member',
    seat: { kind: 'consultative', titleAr: 'ممثلة الشركة الوطنية لاستغلال وتوزيع المياه', titleFr: 'Déléguée SONEDE (consultative)' } },
  { email: 'amina@example.tn', nameAr: 'أمينة الحمامي', nameFr: 'Amina Hammami', role: 'applicant' },
  { email: 'youssef@example.tn', nameAr: 'يوسف القاسمي', nameFr: 'Youssef Gasmi', role: 'applicant' },
  // Answers the access-to-information requests (Law 2016-22).
  { email: 'information@ain-draham.tn', nameAr: 'سنية البوغانمي', nameFr: 'Sonia Boughanmi', role: 'information_officer' },
];

// A second municipality, so that access across municipalities can be shown and tested.
const TABARKA: DemoPerson[] = [
  { email: 'chair@tabarka.tn', nameAr: 'رضا الحداد', nameFr: 'Ridha Haddad', role: 'chair',
    seat: { kind: 'chair', titleAr: 'رئيس البلدية', titleFr: 'Président de la commune' } },
  { email: 'secretary@tabarka.tn', nameAr: 'منية الدريدي', nameFr: 'Monia Dridi', role: 'secretary',
    seat: { kind: 'secretary', titleAr: 'كاتبة اللجنة', titleFr: 'Secrétaire de la commission' } },
  { email: 'member@tabarka.tn', nameAr: 'أنيس الكعبي', nameFr: 'Anis Kaabi', role: 'member',
    seat: { kind: 'voting', titleAr: 'مهندس', titleFr: 'Ingénieur' } },
];

/** Seeds the demo municipalities once; a database that has any municipality is left alone. */
export async function seedDemo(sequelize: Sequelize, dataDir?: string): Promise<boolean> {
  if ((await Municipality.count()) > 0) return false;
  // One hash for the one documented demo password: seeding stays fast (scrypt is slow on purpose).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // Queries join the transaction only when passed it (no CLS): pass `transaction` everywhere.
  await writeTransaction(sequelize, async (transaction) => {
    const towns = [
      { code: 'ADR', nameAr: 'بلدية عين دراهم', nameFr: 'Commune de Aïn Draham', people: AIN_DRAHAM },
      { code: 'TBK', nameAr: 'بلدية طبرقة', nameFr: 'Commune de Tabarka', people: TABARKA },
    ];
    for (const town of towns) {
      const municipality = await Municipality.create({
        code: town.code, nameAr: town.nameAr, nameFr: town.nameFr, governorateAr: 'جندوبة', governorateFr: 'Jendouba',
      }, { transaction });
      const committee = await Committee.create({
        municipalityId: municipality.id,
        nameAr: 'اللجنة الفنية لرخص البناء',
        nameFr: 'Commission technique des permis de bâtir',
        rules: DEFAULT_RULES,
      }, { transaction });
      for (const p of town.people) {
        const user = await User.create({ email: p.email, passwordHash, nameAr: p.nameAr, nameFr: p.nameFr }, { transaction });
        await Membership.create({ userId: user.id, municipalityId: municipality.id, role: p.role }, { transaction });
        if (p.seat) {
          await CommitteeSeat.create({ committeeId: committee.id, userId: user.id, ...p.seat }, { transaction });
        }
      }
    }
  });
  await seedIntakeDemo(sequelize, dataDir);
  return true;
}

// ---- Intake (dossier types, checklists, demo dossiers) ----

const DOSSIER_TYPES = [
  { code: 'new_building', nameAr: 'بناء جديد', nameFr: 'Construction nouvelle', nameEn: 'New building' },
  { code: 'extension', nameAr: 'توسعة', nameFr: 'Extension', nameEn: 'Extension' },
  { code: 'restoration', nameAr: 'ترميم', nameFr: 'Restauration', nameEn: 'Restoration' },
  { code: 'demolition', nameAr: 'هدم', nameFr: 'Démolition', nameEn: 'Demolition' },
];

const CHECKLIST = [
  { code: 'signed_request', labelAr: 'مطلب ممضى', labelFr: 'Demande signée', labelEn: 'Signed request', requiredAboveAreaM2: null },
  { code: 'property_certificate', labelAr: 'شهادة ملكية لا يتجاوز تاريخها 3 أشهر', labelFr: 'Certificat de propriété de moins de 3 mois', labelEn: 'Property certificate under 3 months old', requiredAboveAreaM2: null },
  { code: 'tax_receipts', labelAr: 'وصولات الأداءات', labelFr: 'Quittances fiscales', labelEn: 'Tax receipts', requiredAboveAreaM2: null },
  { code: 'topographic_survey', labelAr: 'رفع طوبوغرافي', labelFr: 'Levé topographique', labelEn: 'Topographic survey', requiredAboveAreaM2: null },
  { code: 'architect_plans', labelAr: 'أمثلة المهندس المعماري', labelFr: "Plans de l'architecte", labelEn: "Architect's plans", requiredAboveAreaM2: null },
  { code: 'energy_study', labelAr: 'دراسة طاقية (أكثر من 500 م²)', labelFr: 'Étude énergétique (plus de 500 m²)', labelEn: 'Energy study (above 500 m²)', requiredAboveAreaM2: 500 },
];

/** The sheets of the demo architect's plans: a set the committee can page through in the shared viewer. */
const PLAN_SHEETS = ['Plan de situation', 'Plan du rez-de-chaussée', "Plan de l'étage", 'Façade principale', 'Coupe A-A'];

/**
 * A PDF standing in for a scanned document in the demo dossiers: one page, or for the
 * architect's plans an A3 landscape sheet per plan with a simple drawing.
 */
function demoPdf(title: string, sheets: readonly string[] = []): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: sheets.length ? 'A3' : 'A4', layout: sheets.length ? 'landscape' : 'portrait', info: { Title: title }, autoFirstPage: false });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    if (!sheets.length) {
      doc.addPage().fontSize(20).text(title).moveDown().fontSize(11).text('Document de démonstration — Lajna');
    }
    for (const [i, sheet] of sheets.entries()) {
      doc.addPage().fontSize(18).text(`${title} — ${sheet}`, 40, 30).fontSize(10).text(`Planche ${i + 1}/${sheets.length} — démonstration Lajna`, 40, 56);
      // A building outline with rooms, different on each sheet.
      doc.lineWidth(2).rect(120, 110, 900, 560).stroke();
      for (let r = 1; r <= i + 2; r++) doc.lineWidth(1).moveTo(120 + (900 * r) / (i + 3), 110).lineTo(120 + (900 * r) / (i + 3), 670).stroke();
      doc.moveTo(120, 390).lineTo(1020, 390).dash(6, { space: 4 }).stroke().undash();
    }
    doc.end();
  });
}

/**
 * Seeds every municipality's dossier types and checklists, and in Aïn Draham a few demo
 * dossiers of amina@ and youssef@ in several statuses (with generated PDFs when the
 * document folder is known).
 */
async function seedIntakeDemo(sequelize: Sequelize, dataDir: string | undefined): Promise<void> {
  const day = 86_400_000;
  const now = Date.now();
  const files = new Map<string, { sha256: string; size: number; storagePath: string }>();
  if (dataDir) {
    for (const item of CHECKLIST) {
      const bytes = await demoPdf(item.labelFr, item.code === 'architect_plans' ? PLAN_SHEETS : []);
      const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
      const storagePath = DocumentStore.relativePath(sha256);
      const target = path.join(dataDir, 'documents', storagePath);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
      files.set(item.code, { sha256, size: bytes.length, storagePath });
    }
  }
  await writeTransaction(sequelize, async (transaction) => {
    for (const municipality of await Municipality.findAll({ transaction })) {
      for (const [i, t] of DOSSIER_TYPES.entries()) {
        const type = await DossierType.create({ municipalityId: municipality.id, ...t, position: i + 1 }, { transaction });
        // Demolition needs no energy study; everything else takes the full list.
        const items = t.code === 'demolition' ? CHECKLIST.filter((c) => c.code !== 'energy_study') : CHECKLIST;
        await ChecklistItem.bulkCreate(items.map((c, j) => ({ dossierTypeId: type.id, ...c, position: j + 1 })), { transaction });
      }
    }
    const adr = await Municipality.findOne({ where: { code: 'ADR' }, transaction });
    const secretary = await User.findOne({ where: { email: 'secretary@ain-draham.tn' }, transaction });
    const types = new Map((await DossierType.findAll({ where: { municipalityId: adr!.id }, transaction })).map((t) => [t.code, t]));
    const demo: { email: string; type: string; status: DossierStatus; address: string; parcel: string; area: number; levels: number; protectedSite?: boolean; daysAgo: number }[] = [
      // On the agenda of the demo session below.
      { email: 'amina@example.tn', type: 'new_building', status: 'scheduled', address: 'Rue de la Forêt 5, Aïn Draham', parcel: 'TF 40118/Jendouba', area: 210, levels: 2, daysAgo: 15 },
      { email: 'youssef@example.tn', type: 'extension', status: 'scheduled', address: 'Cité El Amel 21, Aïn Draham', parcel: 'TF 38820/Jendouba', area: 75, levels: 1, daysAgo: 12 },
      { email: 'amina@example.tn', type: 'new_building', status: 'draft', address: 'Rue des Chênes 12, Aïn Draham', parcel: 'TF 12345/Jendouba', area: 180, levels: 2, daysAgo: 1 },
      { email: 'amina@example.tn', type: 'extension', status: 'submitted', address: 'Avenue Habib Bourguiba 40, Aïn Draham', parcel: 'TF 22871/Jendouba', area: 95, levels: 1, daysAgo: 6 },
      { email: 'amina@example.tn', type: 'restoration', status: 'complete', address: 'Place de la Mairie 3, Aïn Draham', parcel: 'TF 9021/Jendouba', area: 620, levels: 3, protectedSite: true, daysAgo: 30 },
      { email: 'youssef@example.tn', type: 'new_building', status: 'incomplete', address: 'Route de Tabarka km 2, Aïn Draham', parcel: 'TF 30442/Jendouba', area: 240, levels: 2, daysAgo: 20 },
      { email: 'youssef@example.tn', type: 'demolition', status: 'complete', address: 'Rue Ibn Khaldoun 7, Aïn Draham', parcel: 'TF 15503/Jendouba', area: 120, levels: 1, daysAgo: 60 },
    ];
    let sequence = 0;
    const scheduled: number[] = [];
    const year = new Date(now).getFullYear();
    for (const d of demo) {
      const applicant = await User.findOne({ where: { email: d.email }, transaction });
      const type = types.get(d.type)!;
      const start = now - d.daysAgo * day;
      const at = (days: number) => new Date(start + days * day);
      const reference = d.status === 'draft' ? null : `ADR-${year}-${String(++sequence).padStart(4, '0')}`;
      const dossier = await Dossier.create({
        municipalityId: adr!.id, applicantId: applicant!.id, dossierTypeId: type.id, reference, status: d.status,
        address: d.address, parcelRef: d.parcel, lat: null, lng: null, coveredAreaM2: d.area, levels: d.levels,
        nearProtectedSite: d.protectedSite ?? false, localPlanInDrafting: false, createdAt: at(0), updatedAt: at(3),
      }, { transaction });
      const events: [string, DossierStatus | null, DossierStatus, number, number, string][] = [['create', null, 'draft', applicant!.id, 0, '']];
      if (d.status !== 'draft') events.push(['submit', 'draft', 'submitted', applicant!.id, 1, '']);
      if (d.status === 'incomplete') events.push(['request_documents', 'submitted', 'incomplete', secretary!.id, 3, 'Le levé topographique est illisible ; merci de le déposer à nouveau.']);
      if (d.status === 'complete' || d.status === 'scheduled') events.push(['mark_complete', 'submitted', 'complete', secretary!.id, 3, '']);
      if (d.status === 'scheduled') {
        events.push(['schedule', 'complete', 'scheduled', secretary!.id, 4, '']);
        scheduled.push(dossier.id);
      }
      for (const [action, fromStatus, toStatus, actorId, days, note] of events) {
        const details = action === 'request_documents' ? { items: ['topographic_survey'] } : null;
        await DossierEvent.create({ dossierId: dossier.id, action, fromStatus, toStatus, actorId, note, details, at: at(days) }, { transaction });
      }
      if (d.status === 'incomplete') {
        await DossierMessage.create({ dossierId: dossier.id, authorId: secretary!.id, body: events[events.length - 1]![5], createdAt: at(3) }, { transaction });
      }
      if (d.status === 'draft' || files.size === 0) continue;
      const items = await ChecklistItem.findAll({ where: { dossierTypeId: type.id }, transaction });
      for (const item of items) {
        if (item.requiredAboveAreaM2 !== null && d.area <= item.requiredAboveAreaM2) continue;
        const file = files.get(item.code)!;
        const document = await DossierDocument.create({ dossierId: dossier.id, itemCode: item.code, createdAt: at(1) }, { transaction });
        const pageCount = item.code === 'architect_plans' ? PLAN_SHEETS.length : 1;
        await DocumentVersion.create({ documentId: document.id, version: 1, ...file, pageCount, fileName: `${item.code}.pdf`, uploadedById: applicant!.id, createdAt: at(1) }, { transaction });
      }
    }
    if (sequence) await ReferenceCounter.create({ municipalityId: adr!.id, year, last: sequence }, { transaction });
    // A session planned for tomorrow at 09:30 (Tunis) with the scheduled dossiers: the committee can meet at once.
    const committee = await Committee.findOne({ where: { municipalityId: adr!.id }, transaction });
    const tomorrow = new Date(now + day);
    const startsAt = new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), 8, 30));
    const session = await CommitteeSession.create({ committeeId: committee!.id, startsAt, mode: 'remote', location: 'Salle du conseil municipal' }, { transaction });
    for (const [i, dossierId] of scheduled.entries()) await AgendaItem.create({ sessionId: session.id, dossierId, position: i + 1 }, { transaction });
  });
}

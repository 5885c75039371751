import type { ExportedMessage, ExportedStep, PersonalDataExport } from '../../protocol/personalData';
import { formatDateTime } from '../../protocol/municipalTime';
import { isolate, Typesetter } from '../pdf';

const SIDE = { you: 'vous — أنتم', municipality: 'la commune — البلدية' } as const;

/**
 * The person's data as a document to read (the JSON export, set out by section, French and
 * Arabic headings): the account, each case with its steps and messages, seats, attendance,
 * ballots, the steps they took, their logins. Text they typed is set in its own direction.
 */
export function personalDataPdf(data: PersonalDataExport): Promise<Buffer> {
  const t = Typesetter.create({ lang: 'fr', direction: 'ltr', created: new Date(data.generatedAt), margin: 48, title: `Mes données — معطياتي الشخصية — ${data.account.email}` });
  const heading = (fr: string, ar: string) => {
    t.gap(6);
    t.table([[fr, ar]], [{ bold: true, size: 13 }, { bold: true, size: 13, direction: 'rtl', align: 'end' }], { gapAfter: 4 });
  };
  const line = (text: string, size = 10) => t.paragraph(text, { size, direction: 'auto', gapAfter: 2 });
  const thread = (timeline: ExportedStep[], messages: ExportedMessage[]) => {
    for (const s of timeline) line(`${formatDateTime(s.at)} · ${s.action} → ${s.toStatus}${s.by ? ` (${SIDE[s.by]})` : ''}${s.note ? ` : ${isolate(s.note)}` : ''}`, 9);
    for (const m of messages) line(`${formatDateTime(m.at)} · ${SIDE[m.from]} : ${isolate(m.body)}`, 9);
  };

  t.paragraph('Données personnelles détenues par Lajna', { size: 15, bold: true, align: 'center', gapAfter: 2 });
  t.paragraph('المعطيات الشخصية التي تحتفظ بها منصة لجنة', { size: 15, bold: true, align: 'center', direction: 'rtl', gapAfter: 4 });
  t.paragraph(`Loi organique 2004-63 — ${formatDateTime(data.generatedAt)}`, { size: 9, align: 'center', gapAfter: 10 });

  heading('Compte', 'الحساب');
  line(`${isolate(data.account.nameFr)} — ${isolate(data.account.nameAr)}`);
  line(data.account.email);
  line(`Créé le ${formatDateTime(data.account.createdAt)} · ${data.account.roles.map((r) => `${r.municipality}: ${r.role}`).join(', ')}`);

  heading(`Dossiers de permis (${data.dossiers.length})`, 'ملفات رخص البناء');
  for (const d of data.dossiers) {
    line(`${d.reference ?? '(brouillon — مسودة)'} · ${d.status} · ${isolate(d.address)} · ${isolate(d.parcelRef)}`, 10.5);
    for (const doc of d.documents) line(`${doc.itemCode} v${doc.version} · ${isolate(doc.fileName)} · sha256 ${doc.sha256}`, 8.5);
    thread(d.timeline, d.messages);
  }
  heading(`Demandes d'accès à l'information (${data.informationRequests.length})`, 'مطالب النفاذ إلى المعلومة');
  for (const r of data.informationRequests) {
    line(`${r.reference} · ${r.status} · ${isolate(r.subject)}`, 10.5);
    line(isolate(r.description), 9);
    thread(r.timeline, r.messages);
  }
  heading(`Signalements (${data.complaints.length})`, 'الإشعارات والتشكيات');
  for (const c of data.complaints) {
    line(`${c.reference} · ${c.category} · ${c.status}${c.anonymous ? ' · anonyme — دون هوية' : ''} · ${isolate(c.neighbourhood || c.address)}`, 10.5);
    line(`${isolate(c.description)}${c.lat !== null ? ` (${c.lat}, ${c.lng})` : ''} · ${c.photos} photo(s)`, 9);
    thread(c.timeline, c.messages);
  }
  if (data.committeeSeats.length || data.attendance.length || data.ballots.length) {
    heading('Commission', 'اللجنة');
    for (const s of data.committeeSeats) line(`${s.municipality} · ${s.kind} · ${s.titleFr} — ${isolate(s.titleAr)}`);
    for (const a of data.attendance) line(`Séance ${a.sessionId} · ${a.mode} · ${formatDateTime(a.joinedAt)} → ${a.leftAt ? formatDateTime(a.leftAt) : '…'}`, 9);
    for (const b of data.ballots) line(`Vote ${b.voteId} · ${b.choice} · ${formatDateTime(b.castAt)}`, 9);
  }
  heading(`Actions enregistrées (${data.actions.length})`, 'العمليات المسجلة');
  for (const a of data.actions) line(`${formatDateTime(a.at)} · ${a.action} · ${a.subject}`, 8.5);
  heading(`Connexions (${data.loginSessions.length})`, 'جلسات الدخول');
  for (const l of data.loginSessions) line(`${formatDateTime(l.createdAt)} → ${formatDateTime(l.expiresAt)}`, 8.5);
  t.pageNumbers((n, of) => `Page ${n} / ${of} — صفحة ${n} من ${of}`);
  return t.finish();
}

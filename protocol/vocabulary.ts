import type { CommitteeSeatKind, Locale, SessionMode } from './enums';
import type { DossierStatus } from './dossiers';
import type { MarkupKind } from './markups';
import type { AttendanceMode } from './minutes';
import type { PermitOutcome } from './opinions';
import type { BallotChoice, Opinion, VoteDecidedBy } from './voting';

/**
 * The committee's words, in each language, written once: the live vote, the minutes page,
 * both PDFs (minutes, receipt), the emails and the SMS all name a ballot, an opinion, a
 * seat or a dossier's status with these. The client's dictionaries take them as the
 * `words` namespace; the server reads them directly.
 *
 * The veto holder is the representative of the ministry in charge of urbanism (CATU
 * art. 69): both halves of the name, where the live vote and the minutes had one each.
 * (A type, not an interface: the client's dictionary flattens it.)
 */
export type Vocabulary = {
  ballot: Record<BallotChoice, string>;
  opinion: Record<Opinion, string>;
  decidedBy: Record<VoteDecidedBy, string>;
  /** A vote closed without quorum: no outcome. */
  quorumLost: string;
  seat: Record<CommitteeSeatKind, string>;
  attendance: Record<AttendanceMode, string>;
  sessionMode: Record<SessionMode, string>;
  status: Record<DossierStatus, string>;
  /** The municipality's decision on the permit (the arrêté). */
  permit: Record<PermitOutcome, string>;
  /** The headings and phrases of the minutes (the page, the meeting's panel and the PDFs); `{{name}}` marks a value. */
  markupKind: Record<MarkupKind, string>;
  minutes: Record<'markups' | 'cited' | 'page' | 'citedPage' | 'attendance' | 'absent' | 'quorum' | 'quorumMet' | 'quorumNotMet' | 'documents' | 'recusals' | 'heard' | 'ballots' | 'tally' | 'outcome'
    | 'opinion' | 'noOpinion' | 'conditions' | 'reasons' | 'remarks' | 'hash' | 'signatures', string>;
};

const fr: Vocabulary = {
  ballot: { favourable: 'Favorable', favourable_with_conditions: 'Favorable sous conditions', unfavourable: 'Défavorable', deferred: 'Ajournement', abstain: 'Abstention' },
  opinion: { favourable: 'Avis favorable', favourable_with_conditions: 'Avis favorable sous conditions', unfavourable: 'Avis défavorable', deferred: 'Dossier ajourné' },
  decidedBy: {
    majority: 'à la majorité', casting_vote: 'voix prépondérante du président',
    veto: 'veto du représentant du ministère chargé de l’urbanisme', no_majority: 'faute de majorité',
  },
  quorumLost: 'Vote sans effet : quorum perdu avant la clôture',
  seat: { chair: 'Président', voting: 'Membre votant', consultative: 'Membre consultatif', secretary: 'Secrétaire' },
  attendance: { video: 'vidéo', audio: 'audio seul' },
  sessionMode: { remote: 'à distance', hybrid: 'hybride' },
  status: {
    draft: 'Brouillon', submitted: 'Déposé', incomplete: 'Incomplet', complete: 'Complet', scheduled: 'Inscrit à une séance',
    favourable: 'Avis favorable', favourable_with_conditions: 'Avis favorable sous conditions', unfavourable: 'Avis défavorable',
    deferred: 'Ajourné', permit_granted: 'Permis accordé', permit_refused: 'Permis refusé', withdrawn: 'Retiré',
  },
  permit: { granted: 'Permis de bâtir accordé', refused: 'Permis de bâtir refusé' },
  markupKind: { pen: 'trait libre', arrow: 'flèche', rectangle: 'rectangle', cloud: 'nuage', text: 'note', distance: 'distance', area: 'surface' },
  minutes: {
    markups: 'Annotations sur les plans',
    cited: 'citée par les conditions',
    page: 'p.',
    citedPage: '{{file}} (sha256 {{sha}}…), page {{page}} — annotations {{numbers}}',
    attendance: 'Présences',
    absent: 'absent',
    quorum: 'Quorum : {{present}} membres votants présents sur {{total}} (requis : {{required}})',
    quorumMet: 'atteint',
    quorumNotMet: 'non atteint',
    documents: 'Documents présentés',
    recusals: 'Récusations',
    heard: 'Entendu(e) par la commission (avant la délibération)',
    ballots: 'Votes nominatifs',
    tally: 'Décompte',
    outcome: 'Résultat',
    opinion: 'Avis de la commission',
    noOpinion: 'Aucun avis',
    conditions: 'Conditions',
    reasons: 'Motifs',
    remarks: 'Observations générales',
    hash: 'Empreinte SHA-256 du contenu',
    signatures: 'Signatures',
  },
};

const ar: Vocabulary = {
  ballot: { favourable: 'موافقة', favourable_with_conditions: 'موافقة بشروط', unfavourable: 'رفض', deferred: 'تأجيل', abstain: 'احتفاظ' },
  opinion: { favourable: 'رأي بالموافقة', favourable_with_conditions: 'رأي بالموافقة بشروط', unfavourable: 'رأي بالرفض', deferred: 'تأجيل الملف' },
  decidedBy: {
    majority: 'بالأغلبية', casting_vote: 'بصوت الرئيس المرجح',
    veto: 'باعتراض ممثل الوزارة المكلفة بالتعمير', no_majority: 'لعدم توفر الأغلبية',
  },
  quorumLost: 'تصويت ملغى: فقدان النصاب قبل الختم',
  seat: { chair: 'الرئيس', voting: 'عضو له حق التصويت', consultative: 'عضو استشاري', secretary: 'الكاتب' },
  attendance: { video: 'فيديو', audio: 'صوت فقط' },
  sessionMode: { remote: 'عن بعد', hybrid: 'مختلطة' },
  status: {
    draft: 'مسودة', submitted: 'مودع', incomplete: 'غير مكتمل', complete: 'مكتمل', scheduled: 'مدرج في جلسة',
    favourable: 'رأي بالموافقة', favourable_with_conditions: 'رأي بالموافقة بشروط', unfavourable: 'رأي بالرفض',
    deferred: 'مؤجل', permit_granted: 'تم منح الرخصة', permit_refused: 'تم رفض الرخصة', withdrawn: 'مسحوب',
  },
  permit: { granted: 'تم منح رخصة البناء', refused: 'تم رفض رخصة البناء' },
  markupKind: { pen: 'خط حر', arrow: 'سهم', rectangle: 'مستطيل', cloud: 'سحابة', text: 'ملاحظة', distance: 'مسافة', area: 'مساحة' },
  minutes: {
    markups: 'العلامات على المخططات',
    cited: 'مذكورة في الشروط',
    page: 'ص',
    citedPage: '{{file}} (sha256 {{sha}}…)، الصفحة {{page}} — العلامات {{numbers}}',
    attendance: 'الحضور',
    absent: 'غائب',
    quorum: 'النصاب: {{present}} من {{total}} أعضاء لهم حق التصويت حاضرون (المطلوب: {{required}})',
    quorumMet: 'متوفر',
    quorumNotMet: 'غير متوفر',
    documents: 'الوثائق المعروضة',
    recusals: 'حالات التجريح',
    heard: 'استمعت إليه اللجنة (قبل المداولة)',
    ballots: 'التصويت الاسمي',
    tally: 'النتيجة العددية',
    outcome: 'النتيجة',
    opinion: 'رأي اللجنة',
    noOpinion: 'لا رأي',
    conditions: 'الشروط',
    reasons: 'الأسباب',
    remarks: 'ملاحظات عامة',
    hash: 'البصمة SHA-256 للمحتوى',
    signatures: 'الإمضاءات',
  },
};

const en: Vocabulary = {
  ballot: { favourable: 'Favourable', favourable_with_conditions: 'Favourable with conditions', unfavourable: 'Unfavourable', deferred: 'Deferral', abstain: 'Abstention' },
  opinion: { favourable: 'Favourable opinion', favourable_with_conditions: 'Favourable with conditions', unfavourable: 'Unfavourable opinion', deferred: 'Dossier deferred' },
  decidedBy: {
    majority: 'by majority', casting_vote: 'by the chair’s casting vote',
    veto: 'by the veto of the representative of the ministry in charge of urbanism', no_majority: 'no majority reached',
  },
  quorumLost: 'Vote void: quorum lost before closing',
  seat: { chair: 'Chair', voting: 'Voting member', consultative: 'Consultative member', secretary: 'Secretary' },
  attendance: { video: 'video', audio: 'audio only' },
  sessionMode: { remote: 'remote', hybrid: 'hybrid' },
  status: {
    draft: 'Draft', submitted: 'Submitted', incomplete: 'Incomplete', complete: 'Complete', scheduled: 'On a session agenda',
    favourable: 'Favourable opinion', favourable_with_conditions: 'Favourable with conditions', unfavourable: 'Unfavourable opinion',
    deferred: 'Deferred', permit_granted: 'Permit granted', permit_refused: 'Permit refused', withdrawn: 'Withdrawn',
  },
  permit: { granted: 'Building permit granted', refused: 'Building permit refused' },
  markupKind: { pen: 'freehand', arrow: 'arrow', rectangle: 'rectangle', cloud: 'cloud', text: 'note', distance: 'distance', area: 'area' },
  minutes: {
    markups: 'Markups on the plans',
    cited: 'cited by the conditions',
    page: 'p.',
    citedPage: '{{file}} (sha256 {{sha}}…), page {{page}} — markups {{numbers}}',
    attendance: 'Attendance',
    absent: 'absent',
    quorum: 'Quorum: {{present}} of {{total}} voting members present (required: {{required}})',
    quorumMet: 'met',
    quorumNotMet: 'not met',
    documents: 'Documents shown',
    recusals: 'Recusals',
    heard: 'Heard by the committee (before deliberating)',
    ballots: 'Named ballots',
    tally: 'Tally',
    outcome: 'Outcome',
    opinion: 'Committee’s opinion',
    noOpinion: 'No opinion',
    conditions: 'Conditions',
    reasons: 'Reasons',
    remarks: 'General remarks',
    hash: 'SHA-256 fingerprint of the content',
    signatures: 'Signatures',
  },
};

export const VOCABULARY: Record<Locale, Vocabulary> = { ar, fr, en };

/** A phrase with its `{{name}}` values filled in (the client's translator does the same). */
export function fill(phrase: string, values: Record<string, string | number>): string {
  return phrase.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

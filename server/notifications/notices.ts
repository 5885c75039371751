import { MUNICIPAL_TIME_ZONE, type SessionMode } from '../../protocol/enums';
import { formatDay, formatTime, MUNICIPAL_ZONE_NAME } from '../../protocol/municipalTime';
import type { AppealOutcome } from '../../protocol/informationRequests';
import type { PermitOutcome } from '../../protocol/opinions';
import { VOCABULARY } from '../../protocol/vocabulary';
import type { Opinion } from '../../protocol/voting';
import { isolate } from '../pdf/isolate';

/**
 * What Lajna tells people by email, in Arabic and French (the administration's two
 * languages; Arabic first), with every time in the municipality's zone and the zone named.
 * Pure: a notice and its values in, subject, plain text and HTML out.
 */

/** Both names of something: a committee, a municipality, a checklist item, a dossier type. */
export interface Names {
  ar: string;
  fr: string;
}

export interface ConvocationAgendaLine {
  position: number;
  reference: string | null;
  type: Names;
  address: string;
}

export type Notice =
  | { kind: 'documents_requested'; reference: string; message: string; items: Names[] }
  | { kind: 'dossier_complete'; reference: string; legalDays: number; /** yyyy-mm-dd the legal clock runs to. */ dueOn: string }
  | { kind: 'office_message'; reference: string; message: string }
  | { kind: 'opinion'; reference: string; opinion: Opinion; conditions: string; reasons: string; givenAt: Date }
  | { kind: 'decision'; reference: string; outcome: PermitOutcome; arreteNumber: string; signedOn: string; notes: string }
  | {
      kind: 'convocation'; committee: Names; municipality: Names; startsAt: Date; mode: SessionMode; location: string;
      agenda: ConvocationAgendaLine[]; url?: string;
    }
  | {
      kind: 'hearing_invitation'; reference: string; committee: Names; startsAt: Date; position: number;
      /** The person invited, as the secretary typed the name. */
      name: string; url: string; expiresAt: Date;
    }
  | CaseNotice;

/**
 * What a person is told about their request for information (Law 2016-22) or their complaint.
 * `dueAt` is the instant the answer is due (the 48 hours) or the end of its last day.
 */
export type CaseNotice =
  | { kind: 'information_received'; reference: string; subject: string; urgent: boolean; dueAt: Date; /** yyyy-mm-dd */ dueOn: string }
  | { kind: 'information_extended'; reference: string; dueOn: string; reason: string }
  | { kind: 'information_redirected'; reference: string; referredTo: string }
  | { kind: 'information_answered'; reference: string; note: string }
  | { kind: 'information_refused'; reference: string; reasons: string }
  | { kind: 'information_appeal_decided'; reference: string; outcome: AppealOutcome; reasons: string }
  | { kind: 'complaint_received'; reference: string }
  | { kind: 'complaint_assigned'; reference: string; service: string }
  | { kind: 'complaint_resolved'; reference: string; note: string }
  | { kind: 'complaint_rejected'; reference: string; reason: string }
  | { kind: 'case_message'; reference: string; message: string };

export type NoticeKind = Notice['kind'];

/** A piece of a paragraph: our own words, or what somebody typed (set apart in its own direction). */
type Piece = string | { user: string };
/** A paragraph; `own` marks one made of a user's text alone (its direction is its own first letter's). */
interface Paragraph {
  pieces: Piece[];
  own?: boolean;
}

interface Written {
  subject: string;
  paragraphs: Paragraph[];
}

type Lang = keyof Names;

const p = (...pieces: Piece[]): Paragraph => ({ pieces });
const own = (text: string): Paragraph[] => (text.trim() ? [{ pieces: [{ user: text }], own: true }] : []);
const user = (text: string): Piece => ({ user: text });

/** A time as the municipality reads it: day, hour and the zone's name. */
function when(instant: Date, lang: Lang): string {
  const weekday = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: MUNICIPAL_TIME_ZONE }).format(instant);
  return lang === 'ar'
    ? `${weekday} ${formatDay(instant)} على الساعة ${formatTime(instant)} (${MUNICIPAL_ZONE_NAME.ar})`
    : `${weekday} ${formatDay(instant)} à ${formatTime(instant)} (${MUNICIPAL_ZONE_NAME.fr})`;
}

/** Arabic or French words, by the language being written. */
const say = (lang: Lang, ar: string, fr: string) => (lang === 'ar' ? ar : fr);

/** The writers of the case notices (requests for information, complaints). */
const CASE_WRITERS: { [K in CaseNotice['kind']]: (n: Extract<Notice, { kind: K }>, lang: Lang) => Written } = {
  information_received: (n, lang) => ({
    subject: say(lang, 'تم تلقي مطلب النفاذ إلى المعلومة', 'Demande d’accès à l’information reçue'),
    paragraphs: [
      p(say(lang, 'تم تلقي مطلبكم ', 'Votre demande '), user(n.subject), say(lang, ` (${n.reference}).`, ` (${n.reference}) est reçue.`)),
      n.urgent
        ? p(say(lang, `يجب الرد في أجل 48 ساعة، أي قبل ${when(n.dueAt, 'ar')} (القانون 2016-22، الفصل 16).`, `Réponse due dans les 48 heures, avant le ${when(n.dueAt, 'fr')} (loi 2016-22, art. 16).`))
        : p(say(lang, `يجب الرد في أجل أقصاه ${formatDay(n.dueOn)} (القانون 2016-22؛ أيام تقويمية).`, `Réponse due au plus tard le ${formatDay(n.dueOn)} (loi 2016-22 ; jours calendaires).`)),
    ],
  }),
  information_extended: (n, lang) => ({
    subject: say(lang, 'تمديد الأجل', 'Délai prolongé'),
    paragraphs: [p(say(lang, `تم تمديد أجل الرد على مطلبكم ${n.reference} بعشرة أيام إلى ${formatDay(n.dueOn)}.`, `Le délai de réponse à votre demande ${n.reference} est prolongé de 10 jours, jusqu’au ${formatDay(n.dueOn)}.`)), ...own(n.reason)],
  }),
  information_redirected: (n, lang) => ({
    subject: say(lang, 'المعلومة غير متوفرة', 'Information non détenue'),
    paragraphs: [p(say(lang, `لا تمتلك البلدية المعلومة موضوع مطلبكم ${n.reference}؛ تمت إحالته إلى: `, `La commune ne détient pas l’information demandée (${n.reference}) ; votre demande est transmise à : `), user(n.referredTo))],
  }),
  information_answered: (n, lang) => ({
    subject: say(lang, 'الرد على مطلبكم', 'Réponse à votre demande'),
    paragraphs: [p(say(lang, `ردت البلدية على مطلبكم ${n.reference}؛ الرد والوثائق في فضائكم.`, `La commune a répondu à votre demande ${n.reference} ; la réponse et ses documents sont dans votre espace.`)), ...own(n.note)],
  }),
  information_refused: (n, lang) => ({
    subject: say(lang, 'رفض معلل', 'Refus motivé'),
    paragraphs: [
      p(say(lang, `تم رفض مطلبكم ${n.reference}:`, `Votre demande ${n.reference} est refusée :`)), ...own(n.reasons),
      p(say(lang, 'يمكنكم التظلم لدى رئيس الهيكل في أجل 20 يوما، أو الطعن لدى هيئة النفاذ إلى المعلومة.', 'Vous pouvez former un recours auprès du chef de l’organisme dans les 20 jours, ou saisir l’INAI.')),
    ],
  }),
  information_appeal_decided: (n, lang) => ({
    subject: say(lang, 'قرار في تظلمكم', 'Décision sur votre recours'),
    paragraphs: [
      n.outcome === 'overturned'
        ? p(say(lang, `تم قبول تظلمكم (${n.reference}): ستتولى البلدية الرد على مطلبكم.`, `Votre recours (${n.reference}) est accepté : la commune vous répondra.`))
        : p(say(lang, `تم رفض تظلمكم (${n.reference}). يمكنكم الطعن لدى هيئة النفاذ إلى المعلومة في أجل 20 يوما.`, `Votre recours (${n.reference}) est rejeté. Vous pouvez saisir l’INAI dans les 20 jours.`)),
      ...own(n.reasons),
    ],
  }),
  complaint_received: (n, lang) => ({
    subject: say(lang, 'تم تلقي الإشعار', 'Signalement reçu'),
    paragraphs: [p(say(lang, `تم تلقي إشعاركم ${n.reference}؛ يمكنكم متابعته في فضائكم.`, `Votre signalement ${n.reference} est reçu ; vous pouvez le suivre dans votre espace.`))],
  }),
  complaint_assigned: (n, lang) => ({
    subject: say(lang, 'الإشعار قيد المعالجة', 'Signalement pris en charge'),
    paragraphs: [p(say(lang, `تمت إحالة إشعاركم ${n.reference} إلى المصلحة: `, `Votre signalement ${n.reference} est confié au service : `), user(n.service))],
  }),
  complaint_resolved: (n, lang) => ({
    subject: say(lang, 'تمت معالجة الإشعار', 'Signalement résolu'),
    paragraphs: [p(say(lang, `تمت معالجة المشكل الذي أشرتم إليه (${n.reference}).`, `Le problème signalé (${n.reference}) est résolu.`)), ...own(n.note)],
  }),
  complaint_rejected: (n, lang) => ({
    subject: say(lang, 'تم رفض الإشعار', 'Signalement rejeté'),
    paragraphs: [p(say(lang, `تم رفض إشعاركم ${n.reference}:`, `Votre signalement ${n.reference} est rejeté :`)), ...own(n.reason)],
  }),
  case_message: (n, lang) => ({
    subject: say(lang, 'رسالة من البلدية', 'Message de la commune'),
    paragraphs: [p(say(lang, `رسالة من البلدية بخصوص ${n.reference}:`, `Message de la commune au sujet de ${n.reference} :`)), ...own(n.message)],
  }),
};

const WRITERS: { [K in NoticeKind]: (n: Extract<Notice, { kind: K }>, lang: Lang) => Written } = {
  documents_requested: (n, lang) => ({
    subject: lang === 'ar' ? 'وثائق مطلوبة' : 'Pièces demandées',
    paragraphs: [
      lang === 'ar'
        ? p(`ملفكم ${n.reference} غير مكتمل؛ الأجل القانوني معلّق إلى أن تودعوا الوثائق المطلوبة.`)
        : p(`Votre dossier ${n.reference} est incomplet ; le délai légal est suspendu jusqu’au dépôt des pièces demandées.`),
      ...(n.items.length ? [p(lang === 'ar' ? 'الوثائق المطلوبة:' : 'Pièces demandées :'), ...n.items.map((i) => p(`– ${i[lang]}`))] : []),
      p(lang === 'ar' ? 'رسالة الكتابة:' : 'Message du secrétariat :'),
      ...own(n.message),
    ],
  }),
  dossier_complete: (n, lang) => ({
    subject: lang === 'ar' ? 'ملف مكتمل' : 'Dossier complet',
    paragraphs: [lang === 'ar'
      ? p(`ملفكم ${n.reference} مكتمل؛ يسري الأجل القانوني لدراسة المطلب (${n.legalDays} يومًا) إلى غاية ${formatDay(n.dueOn)}.`)
      : p(`Votre dossier ${n.reference} est complet ; le délai légal d’instruction (${n.legalDays} jours) court jusqu’au ${formatDay(n.dueOn)}.`)],
  }),
  office_message: (n, lang) => ({
    subject: lang === 'ar' ? 'رسالة من الكتابة' : 'Message du secrétariat',
    paragraphs: [p(lang === 'ar' ? `رسالة من كتابة اللجنة بخصوص ملفكم ${n.reference}:` : `Message du secrétariat au sujet de votre dossier ${n.reference} :`), ...own(n.message)],
  }),
  opinion: (n, lang) => {
    const words = VOCABULARY[lang];
    return {
      subject: lang === 'ar' ? 'رأي اللجنة' : 'Avis de la commission',
      paragraphs: [
        lang === 'ar'
          ? p(`نظرت اللجنة الفنية لرخص البناء في ملفكم ${n.reference} يوم ${when(n.givenAt, 'ar')}.`)
          : p(`La commission technique des permis de bâtir a examiné votre dossier ${n.reference} le ${when(n.givenAt, 'fr')}.`),
        p(`${words.minutes.opinion}${lang === 'ar' ? ':' : ' :'} ${words.opinion[n.opinion]}`),
        ...(n.conditions.trim() ? [p(`${words.minutes.conditions}${lang === 'ar' ? ':' : ' :'}`), ...own(n.conditions)] : []),
        ...(n.reasons.trim() ? [p(`${words.minutes.reasons}${lang === 'ar' ? ':' : ' :'}`), ...own(n.reasons)] : []),
        p(lang === 'ar' ? 'يصدر قرار البلدية في رخصة البناء لاحقًا بقرار.' : 'La décision de la municipalité sur le permis suivra par arrêté.'),
      ],
    };
  },
  decision: (n, lang) => {
    const granted = n.outcome === 'granted';
    return {
      subject: VOCABULARY[lang].permit[n.outcome],
      paragraphs: [
        lang === 'ar'
          ? p('القرار عدد ', user(n.arreteNumber), ` بتاريخ ${formatDay(n.signedOn)}: ${granted ? 'تم منح' : 'تم رفض'} رخصة البناء للملف ${n.reference}.`)
          : p('Arrêté n° ', user(n.arreteNumber), ` du ${formatDay(n.signedOn)} : le permis de bâtir du dossier ${n.reference} est ${granted ? 'accordé' : 'refusé'}.`),
        ...own(n.notes),
      ],
    };
  },
  convocation: (n, lang) => {
    const words = VOCABULARY[lang];
    return {
      subject: `${lang === 'ar' ? 'استدعاء' : 'Convocation'} ${formatDay(n.startsAt)}`,
      paragraphs: [
        p(`${n.committee[lang]} — ${n.municipality[lang]}`),
        lang === 'ar'
          ? p(`أنتم مدعوون إلى جلسة اللجنة يوم ${when(n.startsAt, 'ar')}، ${words.sessionMode[n.mode]}.`)
          : p(`Vous êtes convoqué(e) à la séance de la commission le ${when(n.startsAt, 'fr')}, ${words.sessionMode[n.mode]}.`),
        ...(n.location.trim() ? [p(lang === 'ar' ? 'المكان: ' : 'Lieu : ', user(n.location))] : []),
        p(lang === 'ar' ? 'جدول الأعمال:' : 'Ordre du jour :'),
        ...n.agenda.map((a) => p(`${a.position}. ${a.reference ?? ''} — ${a.type[lang]} — `, user(a.address))),
        ...(n.url ? [p(lang === 'ar' ? 'رابط الجلسة: ' : 'Lien de la séance : ', n.url)] : []),
        p(lang === 'ar' ? 'دعوة التقويم مرفقة (invite.ics).' : 'L’invitation d’agenda est jointe (invite.ics).'),
      ],
    };
  },
  hearing_invitation: (n, lang) => ({
    subject: say(lang, 'دعوة للاستماع', 'Invitation à être entendu(e)'),
    paragraphs: [
      lang === 'ar' ? p(user(n.name), '،') : p('Madame, Monsieur ', user(n.name), ','),
      p(say(lang,
        `تدعوكم ${n.committee.ar} إلى الاستماع إليكم بخصوص الملف ${n.reference} (النقطة ${n.position} من جدول الأعمال) خلال جلستها يوم ${when(n.startsAt, 'ar')}.`,
        `La ${n.committee.fr} vous invite à être entendu(e) sur le dossier ${n.reference} (point ${n.position} de l’ordre du jour) lors de sa séance du ${when(n.startsAt, 'fr')}.`)),
      p(say(lang,
        'تنتظرون في قاعة الانتظار إلى أن يأذن لكم الرئيس بالدخول عند تناول ملفكم؛ تغادرون قبل المداولة والتصويت.',
        'Vous attendrez en salle d’attente jusqu’à ce que le président vous admette quand votre dossier est appelé ; vous quitterez la séance avant la délibération et le vote.')),
      p(say(lang, 'رابطكم الشخصي (لاستعمال واحد): ', 'Votre lien personnel (à usage unique) : '), n.url),
      p(say(lang, `صالح لهذه الجلسة فقط، إلى غاية ${when(n.expiresAt, 'ar')} على أقصى تقدير.`, `Valable pour cette séance seulement, jusqu’au ${when(n.expiresAt, 'fr')} au plus tard.`)),
    ],
  }),
  ...CASE_WRITERS,
};

/** Arabic first, then French. */
const LANGS: readonly Lang[] = ['ar', 'fr'];

export interface ComposedNotice {
  subject: string;
  text: string;
  html: string;
}

/** Text as HTML content or a double-quoted attribute (our attributes are all double-quoted). */
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function textOf(paragraph: Paragraph): string {
  // A paragraph of the user's own starts its own direction; a piece inside ours is isolated.
  if (paragraph.own) return paragraph.pieces.map((x) => (typeof x === 'string' ? x : x.user)).join('');
  return paragraph.pieces.map((x) => (typeof x === 'string' ? x : isolate(x.user))).join('');
}

function htmlOf(paragraph: Paragraph): string {
  const body = paragraph.pieces.map((x) => (typeof x === 'string' ? escapeHtml(x) : paragraph.own ? escapeHtml(x.user) : `<bdi>${escapeHtml(x.user)}</bdi>`)).join('');
  return `<p${paragraph.own ? ' dir="auto" style="white-space:pre-wrap"' : ''}>${body}</p>`;
}

/** The notice written out: `[reference] French — Arabic` as the subject, both languages in the body. */
export function composeNotice(notice: Notice): ComposedNotice {
  const write = WRITERS[notice.kind] as (n: Notice, lang: Lang) => Written;
  const written = { ar: write(notice, 'ar'), fr: write(notice, 'fr') };
  const reference = 'reference' in notice ? `[${notice.reference}] ` : '';
  const subject = `${reference}${written.fr.subject} — ${written.ar.subject}`;
  const text = LANGS.map((l) => written[l].paragraphs.map(textOf).join('\n\n')).join('\n\n— — —\n\n');
  const html = [
    '<!doctype html><html><head><meta charset="utf-8"></head><body>',
    ...LANGS.map((l) => `<div lang="${l}" dir="${l === 'ar' ? 'rtl' : 'ltr'}" style="text-align:${l === 'ar' ? 'right' : 'left'}">${written[l].paragraphs.map(htmlOf).join('')}</div>`)
      .join('<hr>'),
    '</body></html>',
  ].join('');
  return { subject, text, html };
}

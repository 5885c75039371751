import { formatDay, formatTime } from '../../protocol/municipalTime';
import { VOCABULARY } from '../../protocol/vocabulary';
import { fitSms } from '../domain/sms';
import type { Names, Notice } from './notices';

/** A notice in a line per language: what happened and to which dossier; the email and the portal say the rest. */
const SHORT: { [K in Notice['kind']]: (n: Extract<Notice, { kind: K }>) => Names } = {
  documents_requested: (n) => ({ ar: `ملفكم ${n.reference}: وثائق مطلوبة، الأجل معلّق.`, fr: `Dossier ${n.reference} : pièces demandées.` }),
  dossier_complete: (n) => ({ ar: `ملفكم ${n.reference} مكتمل، الأجل إلى ${formatDay(n.dueOn)}.`, fr: `Dossier ${n.reference} complet, délai au ${formatDay(n.dueOn)}.` }),
  office_message: (n) => ({ ar: `رسالة من الكتابة بخصوص ملفكم ${n.reference}.`, fr: `Message du secrétariat, dossier ${n.reference}.` }),
  opinion: (n) => ({ ar: `رأي اللجنة في ملفكم ${n.reference}: ${VOCABULARY.ar.opinion[n.opinion]}`, fr: `Avis, dossier ${n.reference} : ${VOCABULARY.fr.opinion[n.opinion]}` }),
  decision: (n) => ({ ar: `ملفكم ${n.reference}: ${VOCABULARY.ar.permit[n.outcome]}`, fr: `Dossier ${n.reference} : ${VOCABULARY.fr.permit[n.outcome]}` }),
  // Tunis time, as in the email (formatTime is the municipality's zone).
  hearing_invitation: (n) => ({ ar: `دعوة للاستماع: الملف ${n.reference}، جلسة ${formatDay(n.startsAt)} ${formatTime(n.startsAt)}`, fr: `Audition : dossier ${n.reference}, séance ${formatDay(n.startsAt)} ${formatTime(n.startsAt)}` }),
  information_received: (n) => ({ ar: `تم تلقي مطلبكم ${n.reference}، الرد قبل ${formatDay(n.dueOn)}.`, fr: `Demande ${n.reference} reçue, réponse au ${formatDay(n.dueOn)}.` }),
  information_extended: (n) => ({ ar: `مطلبكم ${n.reference}: تمديد الأجل إلى ${formatDay(n.dueOn)}.`, fr: `Demande ${n.reference} : délai prolongé au ${formatDay(n.dueOn)}.` }),
  information_redirected: (n) => ({ ar: `مطلبكم ${n.reference}: تمت الإحالة.`, fr: `Demande ${n.reference} : transmise.` }),
  information_answered: (n) => ({ ar: `مطلبكم ${n.reference}: تم الرد.`, fr: `Demande ${n.reference} : répondue.` }),
  information_refused: (n) => ({ ar: `مطلبكم ${n.reference}: رفض معلل.`, fr: `Demande ${n.reference} : refus motivé.` }),
  information_appeal_decided: (n) => ({ ar: `مطلبكم ${n.reference}: قرار في التظلم.`, fr: `Demande ${n.reference} : recours décidé.` }),
  complaint_received: (n) => ({ ar: `تم تلقي إشعاركم ${n.reference}.`, fr: `Signalement ${n.reference} reçu.` }),
  complaint_assigned: (n) => ({ ar: `إشعاركم ${n.reference} قيد المعالجة.`, fr: `Signalement ${n.reference} pris en charge.` }),
  complaint_resolved: (n) => ({ ar: `إشعاركم ${n.reference}: تمت المعالجة.`, fr: `Signalement ${n.reference} résolu.` }),
  complaint_rejected: (n) => ({ ar: `إشعاركم ${n.reference}: مرفوض.`, fr: `Signalement ${n.reference} rejeté.` }),
  case_message: (n) => ({ ar: `رسالة من البلدية بخصوص ${n.reference}.`, fr: `Message de la commune, ${n.reference}.` }),
  convocation: (n) => ({ ar: `استدعاء: جلسة اللجنة ${formatDay(n.startsAt)} ${formatTime(n.startsAt)}`, fr: `Convocation : séance ${formatDay(n.startsAt)} ${formatTime(n.startsAt)}` }),
};

/** The SMS for a notice: Arabic first, French after it when both fit in two parts, else Arabic alone. */
export function smsText(notice: Notice): string {
  const short = (SHORT[notice.kind] as (n: Notice) => Names)(notice);
  return fitSms([`لجنة: ${short.ar}\n${short.fr}`, `لجنة: ${short.ar}`]);
}

import { describe, expect, it } from 'vitest';
import { composeNotice, type Notice } from '../../server/notifications/notices';

const ARABIC = /[\u0600-\u06FF]/;
const FSI = '\u2068';
const PDI = '\u2069';

// 18:45 UTC is 19:45 in Tunis (UTC+1 all year, no summer time since 2009).
const EVENING = new Date('2026-12-01T18:45:00Z');
// 23:30 UTC on 28 February is already 1 March in Tunis: the day must follow the zone, not UTC.
const MIDNIGHT = new Date('2027-02-28T23:30:00Z');

const convocation = (startsAt: Date): Notice => ({
  kind: 'convocation', startsAt, mode: 'remote', location: 'Salle du conseil (1er étage).',
  committee: { ar: 'اللجنة الفنية لرخص البناء', fr: 'Commission technique des permis de bâtir' },
  municipality: { ar: 'بلدية عين دراهم', fr: 'Commune d’Aïn Draham' },
  agenda: [{ position: 1, reference: 'ADR-2026-0001', type: { ar: 'بناء جديد', fr: 'Construction neuve' }, address: 'نهج الصنوبر 17، عين دراهم' }],
  url: 'https://lajna.example.tn/meeting/7',
});

const NOTICES: [string, Notice, string[]][] = [
  // [case, notice, what both the text and the HTML must say]
  ['request for documents', { kind: 'documents_requested', reference: 'ADR-2026-0001', message: 'Le levé est illisible (page 2).', items: [{ ar: 'رفع طبوغرافي', fr: 'Levé topographique' }] },
    ['ADR-2026-0001', 'Levé topographique', 'رفع طبوغرافي', 'Le levé est illisible (page 2).', 'الأجل القانوني معلّق', 'délai légal est suspendu']],
  ['dossier complete, due on 12 January', { kind: 'dossier_complete', reference: 'ADR-2026-0001', legalDays: 45, dueOn: '2027-01-12' },
    ['12/01/2027', '45 jours', '45 يومًا']],
  ['office message', { kind: 'office_message', reference: 'ADR-2026-0002', message: 'شكرا، الملف قيد الدراسة.' }, ['ADR-2026-0002', 'شكرا، الملف قيد الدراسة.', 'Message du secrétariat']],
  ['opinion with French conditions, given in the evening', {
    kind: 'opinion', reference: 'ADR-2026-0003', opinion: 'favourable_with_conditions', conditions: 'Façade en pierre locale.', reasons: '', givenAt: EVENING,
  }, ['01/12/2026', '19:45', 'heure de Tunis', 'بتوقيت تونس', 'Avis favorable sous conditions', 'رأي بالموافقة بشروط', 'Façade en pierre locale.', 'mardi', 'الثلاثاء']],
  ['decision on 1 March', { kind: 'decision', reference: 'ADR-2026-0004', outcome: 'refused', arreteNumber: 'ADR/2027/12', signedOn: '2027-03-01', notes: '' },
    ['01/03/2027', 'ADR/2027/12', 'refusé', 'تم رفض']],
  ['convocation in the evening', convocation(EVENING), ['01/12/2026', '19:45', 'heure de Tunis', 'بتوقيت تونس', 'à distance', 'عن بعد', 'ADR-2026-0001', 'https://lajna.example.tn/meeting/7']],
  ['convocation past midnight in Tunis (UTC still on 28 February)', convocation(MIDNIGHT), ['01/03/2027', '00:30', 'lundi', 'الاثنين']],
  ['request for information received, 20 days', {
    kind: 'information_received', reference: 'ADR-AI-2026-0001', subject: 'Budget 2026', urgent: false, dueAt: new Date('2027-01-12T23:00:00Z'), dueOn: '2027-01-12',
  }, ['ADR-AI-2026-0001', 'Budget 2026', '12/01/2027', 'loi 2016-22', 'jours calendaires', 'أيام تقويمية']],
  ['request for information received, life or liberty: 48 hours to an instant, Tunis time', {
    kind: 'information_received', reference: 'ADR-AI-2026-0002', subject: 'Dossier médical', urgent: true, dueAt: EVENING, dueOn: '2026-12-01',
  }, ['48 heures', '48 ساعة', '01/12/2026', '19:45', 'heure de Tunis', 'بتوقيت تونس']],
  ['request extended', { kind: 'information_extended', reference: 'ADR-AI-2026-0003', dueOn: '2027-01-22', reason: 'Plusieurs pièces à réunir.' },
    ['22/01/2027', '10 jours', 'Plusieurs pièces à réunir.', 'بعشرة أيام']],
  ['request redirected', { kind: 'information_redirected', reference: 'ADR-AI-2026-0004', referredTo: 'Gouvernorat de Jendouba' }, ['Gouvernorat de Jendouba', 'تمت إحالته']],
  ['request answered', { kind: 'information_answered', reference: 'ADR-AI-2026-0005', note: 'Le budget est joint.' }, ['Le budget est joint.', 'ردت البلدية']],
  ['request refused', { kind: 'information_refused', reference: 'ADR-AI-2026-0006', reasons: 'Données personnelles de tiers.' }, ['Données personnelles de tiers.', 'INAI', '20 jours', '20 يوما']],
  ['appeal rejected', { kind: 'information_appeal_decided', reference: 'ADR-AI-2026-0007', outcome: 'upheld', reasons: 'Exception confirmée.' }, ['rejeté', 'تم رفض تظلمكم', 'Exception confirmée.']],
  ['complaint received', { kind: 'complaint_received', reference: 'ADR-RC-2026-0001' }, ['ADR-RC-2026-0001', 'est reçu', 'تم تلقي إشعاركم']],
  ['complaint assigned', { kind: 'complaint_assigned', reference: 'ADR-RC-2026-0002', service: 'Éclairage public' }, ['Éclairage public', 'إلى المصلحة']],
  ['complaint resolved', { kind: 'complaint_resolved', reference: 'ADR-RC-2026-0003', note: 'Lampe remplacée.' }, ['Lampe remplacée.', 'est résolu', 'تمت معالجة']],
  ['complaint rejected', { kind: 'complaint_rejected', reference: 'ADR-RC-2026-0004', reason: 'Fête autorisée.' }, ['Fête autorisée.', 'rejeté', 'تم رفض']],
  ['message on a case', { kind: 'case_message', reference: 'ADR-RC-2026-0005', message: 'Une équipe passe jeudi.' }, ['Une équipe passe jeudi.', 'Message de la commune', 'رسالة من البلدية']],
];

describe('every notification in Arabic and French, in Tunis time with the zone named', () => {
  it.each(NOTICES)('%s', (_case, notice, says) => {
    const { subject, text, html } = composeNotice(notice);
    const plain = text.replaceAll(FSI, '').replaceAll(PDI, '');
    for (const s of says) {
      expect(plain).toContain(s);
      expect(html.replace(/<\/?bdi>/g, '')).toContain(s);
    }
    // Both languages, Arabic first, in the body and the subject.
    expect(ARABIC.test(subject) && /[A-Za-z]{4}/.test(subject)).toBe(true);
    expect(plain.search(ARABIC)).toBeLessThan(plain.search(/Votre|Message d|La commission|Arrêté n°|Commission technique|Le délai|Le problème|La commune/));
    expect(html).toMatch(/<div lang="ar" dir="rtl"[^>]*>.*<hr><div lang="fr" dir="ltr"/s);
    expect(`${subject}${text}${html}`).not.toMatch(/UTC|\d{4}-\d{2}-\d{2}/);
  });

  it('a convocation\'s subject carries the Tunis day, not the UTC one', () => {
    expect(composeNotice(convocation(MIDNIGHT)).subject).toBe('Convocation 01/03/2027 — استدعاء 01/03/2027');
  });

  it('sets what people typed apart in its own direction: an isolate inside our sentence, <bdi> and dir="auto" in HTML', () => {
    const { text, html } = composeNotice(convocation(EVENING));
    // The Arabic address inside the French agenda line, and the French place inside the Arabic line.
    expect(text).toContain(`Construction neuve — ${FSI}نهج الصنوبر 17، عين دراهم${PDI}`);
    expect(text).toContain(`المكان: ${FSI}Salle du conseil (1er étage).${PDI}`);
    expect(html).toContain('<bdi>Salle du conseil (1er étage).</bdi>');
    const message = composeNotice({ kind: 'office_message', reference: 'R', message: 'Merci.\nLigne 2' }).html;
    expect(message).toContain('<p dir="auto" style="white-space:pre-wrap">Merci.\nLigne 2</p>');
  });

  it.each([
    ['markup in a message is text, not HTML', '<script>alert(1)</script> & co', '&#60;script&#62;alert(1)&#60;/script&#62; &#38; co'],
    ['quotes cannot leave an attribute', '" onmouseover="x', '&#34; onmouseover=&#34;x'],
  ])('%s', (_case, message, escaped) => {
    const { html, text } = composeNotice({ kind: 'office_message', reference: 'R', message });
    expect(html).toContain(escaped);
    expect(html).not.toContain(message);
    expect(text).toContain(message);
  });
});

/** Strings of the one list of cases (the applicant's home, the office's queue), in each language; French is the shape the others follow. */
const fr = {
  mine: 'Mes démarches',
  none: 'Aucune démarche pour le moment.',
  kindFilter: 'Type',
  allKinds: 'Tous les types',
  kind: { dossier: 'Permis de bâtir', information_request: 'Accès à l’information', complaint: 'Signalement' },
  lastActivity: 'Dernière activité : {{at}}',
  noClock: 'Sans délai légal',
  hoursLeft: '{{n}} heures restantes',
  impliedRefusal: 'Sans réponse dans le délai : refus implicite',
  more: 'Voir plus',
  count: '{{shown}} sur {{total}}',
  person: 'Personne',
  anonymous: 'Anonyme',
  what: 'Objet',
};

type Strings = typeof fr;

const ar: Strings = {
  mine: 'مطالبي',
  none: 'لا توجد مطالب حاليا.',
  kindFilter: 'النوع',
  allKinds: 'كل الأنواع',
  kind: { dossier: 'رخصة بناء', information_request: 'النفاذ إلى المعلومة', complaint: 'إشعار' },
  lastActivity: 'آخر نشاط: {{at}}',
  noClock: 'دون أجل قانوني',
  hoursLeft: 'بقيت {{n}} ساعة',
  impliedRefusal: 'دون رد في الأجل: رفض ضمني',
  more: 'عرض المزيد',
  count: '{{shown}} من {{total}}',
  person: 'الشخص',
  anonymous: 'دون هوية',
  what: 'الموضوع',
};

const en: Strings = {
  mine: 'My cases',
  none: 'No cases yet.',
  kindFilter: 'Type',
  allKinds: 'All types',
  kind: { dossier: 'Building permit', information_request: 'Access to information', complaint: 'Report' },
  lastActivity: 'Last activity: {{at}}',
  noClock: 'No legal delay',
  hoursLeft: '{{n}} hours left',
  impliedRefusal: 'No answer within the delay: implied refusal',
  more: 'Show more',
  count: '{{shown}} of {{total}}',
  person: 'Person',
  anonymous: 'Anonymous',
  what: 'Subject',
};

export const caseListStrings = { fr, ar, en };

import type { RefusalGround } from '../../protocol/informationRequests';

/**
 * The lists a municipality may set for itself, with the defaults it has until it does.
 * The refusal grounds are the exceptions of Law 2016-22 (art. 24: harm to public security or
 * national defence, to international relations bound with them, or to a third party's
 * privacy, personal data or intellectual property; art. 25: the identity of whoever reported
 * corruption). A refusal must name one of them.
 */
export const DEFAULT_REFUSAL_GROUNDS: readonly RefusalGround[] = [
  { code: 'public_security', nameAr: 'الأمن العام', nameFr: 'Sécurité publique', nameEn: 'Public security' },
  { code: 'national_defence', nameAr: 'الدفاع الوطني', nameFr: 'Défense nationale', nameEn: 'National defence' },
  { code: 'international_relations', nameAr: 'العلاقات الدولية', nameFr: 'Relations internationales', nameEn: 'International relations' },
  { code: 'privacy', nameAr: 'حماية الحياة الخاصة', nameFr: 'Vie privée d\u2019autrui', nameEn: 'Another person\u2019s privacy' },
  { code: 'personal_data', nameAr: 'المعطيات الشخصية', nameFr: 'Données personnelles', nameEn: 'Personal data' },
  { code: 'intellectual_property', nameAr: 'الملكية الفكرية', nameFr: 'Propriété intellectuelle', nameEn: 'Intellectual property' },
  { code: 'whistleblower_identity', nameAr: 'هوية المبلّغين عن الفساد', nameFr: 'Identité des lanceurs d\u2019alerte', nameEn: 'Identity of whistleblowers' },
];

/** The ground of this code in the municipality's list, or null when it has none such. */
export function findGround(grounds: readonly RefusalGround[], code: string): RefusalGround | null {
  return grounds.find((g) => g.code === code) ?? null;
}

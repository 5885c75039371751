import type { ComplaintCategory } from '../../protocol/complaints';
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

/** The entry of this code in one of the municipality's lists (grounds, categories), or null when it has none such. */
export function findCode<T extends { code: string }>(list: readonly T[], code: string): T | null {
  return list.find((g) => g.code === code) ?? null;
}

/** The entry of this code, or the code as its own name in every language (an entry the municipality has since removed from its list). */
export function namedCode<T extends { code: string; nameAr: string; nameFr: string; nameEn: string }>(list: readonly T[], code: string): T | { code: string; nameAr: string; nameFr: string; nameEn: string } {
  return findCode(list, code) ?? { code, nameAr: code, nameFr: code, nameEn: code };
}

/** The report categories a municipality has until it sets its own. */
export const DEFAULT_COMPLAINT_CATEGORIES: readonly ComplaintCategory[] = [
  { code: 'waste_collection', nameAr: 'رفع الفضلات', nameFr: 'Collecte des déchets', nameEn: 'Waste collection' },
  { code: 'public_lighting', nameAr: 'التنوير العمومي', nameFr: 'Éclairage public', nameEn: 'Public lighting' },
  { code: 'roads', nameAr: 'الطرقات', nameFr: 'Voirie', nameEn: 'Roads' },
  { code: 'water_sewers', nameAr: 'الماء والتطهير', nameFr: 'Eau et assainissement', nameEn: 'Water and sewers' },
  { code: 'noise', nameAr: 'الضجيج', nameFr: 'Bruit', nameEn: 'Noise' },
  { code: 'administrative_delay', nameAr: 'تأخير إداري', nameFr: 'Retard administratif', nameEn: 'Administrative delay' },
  { code: 'other', nameAr: 'أخرى', nameFr: 'Autre', nameEn: 'Other' },
];

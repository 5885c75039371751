import type { Sequelize } from 'sequelize';
import type { CommitteeRules, CommitteeSeatKind, Role } from '../protocol/enums';
import { hashPassword } from '../server/services/accounts';
import { Committee, CommitteeSeat, Membership, Municipality, User } from './models';

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
export async function seedDemo(sequelize: Sequelize): Promise<boolean> {
  if ((await Municipality.count()) > 0) return false;
  // One hash for the one documented demo password: seeding stays fast (scrypt is slow on purpose).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // Queries join the transaction only when passed it (no CLS): pass `transaction` everywhere.
  await sequelize.transaction(async (transaction) => {
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
  return true;
}

import { Committee, CommitteeSeat, Municipality, User } from '../../db/models';
import type { CommitteeView, MunicipalityView } from '../../protocol/municipalities';
import { notFound } from '../errors';

type SeatWithUser = CommitteeSeat & { User?: User };

/** Every municipality on the platform, by French name. */
export async function municipalityList(): Promise<MunicipalityView[]> {
  const all = await Municipality.findAll({ order: [['nameFr', 'ASC']] });
  return all.map((m) => ({ id: m.id, code: m.code, nameAr: m.nameAr, nameFr: m.nameFr, governorateAr: m.governorateAr, governorateFr: m.governorateFr }));
}

/** The municipality's committee with its rules and seats, in seat order; 404 when it has none. */
export async function committeeOf(municipalityId: number): Promise<CommitteeView> {
  const committee = await Committee.findOne({
    where: { municipalityId },
    include: [{ model: CommitteeSeat, include: [{ model: User, attributes: ['id', 'nameAr', 'nameFr', 'email'] }] }],
    order: [[CommitteeSeat, 'id', 'ASC']],
  });
  if (!committee) throw notFound('committee');
  const seats = (committee as Committee & { CommitteeSeats?: SeatWithUser[] }).CommitteeSeats ?? [];
  return {
    id: committee.id, municipalityId: committee.municipalityId, nameAr: committee.nameAr, nameFr: committee.nameFr, rules: committee.rules,
    seats: seats.map((s) => ({
      id: s.id, kind: s.kind, titleAr: s.titleAr, titleFr: s.titleFr, vetoHolder: s.vetoHolder,
      user: { id: s.User!.id, nameAr: s.User!.nameAr, nameFr: s.User!.nameFr, email: s.User!.email },
    })),
  };
}

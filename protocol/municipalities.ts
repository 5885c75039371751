import type { CommitteeRules, CommitteeSeatKind } from './enums';

/** A municipality, as anyone may list it (GET /api/municipalities). */
export interface MunicipalityView {
  id: number;
  code: string;
  nameAr: string;
  nameFr: string;
  governorateAr: string;
  governorateFr: string;
}

export interface CommitteeSeatView {
  id: number;
  kind: CommitteeSeatKind;
  titleAr: string;
  titleFr: string;
  vetoHolder: boolean;
  user: { id: number; nameAr: string; nameFr: string; email: string };
}

/** A municipality's committee, its rules and seats, for its own staff and members (GET /api/municipalities/:id/committee). */
export interface CommitteeView {
  id: number;
  municipalityId: number;
  nameAr: string;
  nameFr: string;
  rules: CommitteeRules;
  seats: CommitteeSeatView[];
}

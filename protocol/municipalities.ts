import { z } from 'zod';
import { COMMITTEE_SEAT_KINDS, type CommitteeRules, type CommitteeSeatKind } from './enums';
import { lineText } from './text';

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

/** A seat given or changed (PUT /api/municipalities/:id/committee/seats/:userId, by its secretary or admin). */
export const SeatBody = z
  .object({ kind: z.enum(COMMITTEE_SEAT_KINDS), titleAr: lineText(200).default(''), titleFr: lineText(200).default(''), vetoHolder: z.boolean().default(false) })
  .strict();
export type SeatBody = z.output<typeof SeatBody>;

/**
 * A municipality's SMS this calendar month in Tunis time (GET /api/municipalities/:id/sms-quota,
 * its admin): the quota (null: no limit), the SMS queued to go and those dropped over the quota.
 */
export interface SmsQuotaView {
  quota: number | null;
  /** yyyy-mm */
  month: string;
  used: number;
  dropped: number;
}

/** The admin sets the monthly quota (PUT …/sms-quota); null removes the limit. */
export const SmsQuotaBody = z.object({ quota: z.number().int().min(0).max(1_000_000).nullable() }).strict();
export type SmsQuotaBody = z.output<typeof SmsQuotaBody>;

import { z } from 'zod';
import { normaliseEmail } from './auth';
import { lineText } from './text';

/** A person corrects their contact data (Law 2004-63): their names, their email. */
export const UpdateContactBody = z.object({
  nameAr: lineText(200).min(1).optional(),
  nameFr: lineText(200).min(1).optional(),
  email: z.string().max(1024).overwrite(normaliseEmail).email().max(254).optional(),
}).strict().refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

/**
 * A person's SMS settings: their mobile number as they write it (Tunisian; the server stores
 * it as +216 and 8 digits) or null to remove it, and whether notices also go by SMS.
 */
export const SmsSettingsBody = z.object({
  number: z.string().max(40).nullable(),
  optIn: z.boolean(),
}).strict();
export type SmsSettings = z.infer<typeof SmsSettingsBody>;
/** A person's SMS settings as stored (GET and PUT /api/me/sms): the number in E.164. */
export interface SmsSettingsView { smsNumber: string | null; smsOptIn: boolean }
/** Why a number was refused (400 invalid_phone, details.reason). */
export type InvalidPhoneReason = 'not_tunisian' | 'wrong_length' | 'not_digits' | 'missing';

/** Who wrote a line of a thread, as the person's own export says it: them, or the municipality (never another person's name). */
export type Side = 'you' | 'municipality';

export interface ExportedMessage {
  at: string;
  from: Side;
  body: string;
}

export interface ExportedStep {
  at: string;
  action: string;
  toStatus: string;
  by: Side | null;
  note: string;
}

/** Everything Lajna holds about one person (GET /api/me/data), and nothing about anyone else. */
export interface PersonalDataExport {
  generatedAt: string;
  account: { id: number; email: string; nameAr: string; nameFr: string; smsNumber: string | null; smsOptIn: boolean; createdAt: string; roles: { municipality: string; role: string }[] };
  dossiers: {
    reference: string | null; status: string; address: string; parcelRef: string; lat: number | null; lng: number | null;
    coveredAreaM2: number; levels: number; createdAt: string; updatedAt: string;
    documents: { itemCode: string; version: number; fileName: string; sha256: string; uploadedAt: string }[];
    timeline: ExportedStep[]; messages: ExportedMessage[];
  }[];
  informationRequests: {
    reference: string; subject: string; description: string; accessForm: string; lifeOrLiberty: boolean; status: string; receivedAt: string;
    answerNote: string | null; refusalReasons: string | null; appealGrounds: string | null; timeline: ExportedStep[]; messages: ExportedMessage[];
  }[];
  complaints: {
    reference: string; category: string; description: string; lat: number | null; lng: number | null; address: string; neighbourhood: string;
    anonymous: boolean; status: string; createdAt: string; photos: number; timeline: ExportedStep[]; messages: ExportedMessage[];
  }[];
  committeeSeats: { municipality: string; kind: string; titleFr: string; titleAr: string }[];
  attendance: { sessionId: number; mode: string; joinedAt: string; leftAt: string | null }[];
  ballots: { voteId: number; choice: string; castAt: string }[];
  /** Steps this person took as staff on other people's cases: when and what, not the other people's data. */
  actions: { at: string; action: string; subject: string }[];
  loginSessions: { createdAt: string; expiresAt: string }[];
}

const code = lineText(32).min(1);
const names = { nameAr: lineText(200).min(1), nameFr: lineText(200).min(1), nameEn: lineText(200).min(1) };

/** A municipality's own lists and periods (PUT /api/case-settings/:municipalityId, an admin); a field left out keeps its value, null restores the default. */
export const CaseSettingsBody = z.object({
  refusalGrounds: z.array(z.object({ code, ...names }).strict()).min(1).max(50).nullable().optional(),
  complaintCategories: z.array(z.object({ code, ...names }).strict()).min(1).max(50).nullable().optional(),
  retention: z.object({ draftMonths: z.number().int().min(1).max(120), closedComplaintYears: z.number().int().min(1).max(50) }).strict().nullable().optional(),
}).strict();

/** An admin's answer to a person's deletion request: each record, what may be done with it, and why (server/domain/erasure.ts). */
export interface ErasureAnswer {
  userId: number;
  account: { how: 'delete' | 'anonymise' | 'keep'; reason: string };
  items: { kind: string; reference: string | null; status: string; how: 'delete' | 'anonymise' | 'keep'; reason: string }[];
}

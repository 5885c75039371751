import { z } from 'zod';
import type { Role } from './enums';

/**
 * The one normalisation of an email address, for the login lookup, the stored accounts and the
 * login limiter alike: NFKC (fullwidth ｃｈａｉｒ@ is chair@), trimmed, lower-cased. Any other
 * spelling of the same address is the same account, and the same limit.
 */
export const normaliseEmail = (email: string): string => email.normalize('NFKC').trim().toLowerCase();

export const LoginBody = z.object({
  email: z.string().max(1024).overwrite(normaliseEmail).email().max(254),
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof LoginBody>;

/** What the client knows of the logged-in user. */
export interface Me {
  userId: number;
  email: string;
  nameAr: string;
  nameFr: string;
  memberships: { municipalityId: number; role: Role }[];
}

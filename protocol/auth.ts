import { z } from 'zod';
import type { Role } from './enums';

export const LoginBody = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
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

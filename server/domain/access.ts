import type { Role } from '../../protocol/enums';

/** Who is asking: the user and the roles they hold, per municipality. */
export interface Principal {
  userId: number;
  email: string;
  nameAr: string;
  nameFr: string;
  memberships: { municipalityId: number; role: Role }[];
}

/**
 * The one rule for role checks, used by HTTP routes and socket events alike:
 * the principal holds one of `roles` in `municipalityId` (or in any municipality
 * when none is given). An admin of a municipality may do anything there.
 */
export function hasRole(principal: Principal | undefined, roles: readonly Role[], municipalityId?: number): boolean {
  if (!principal) return false;
  return principal.memberships.some(
    (m) =>
      (municipalityId === undefined || m.municipalityId === municipalityId) &&
      (m.role === 'admin' || roles.includes(m.role)),
  );
}

/** The municipalities in which the principal holds one of `roles`. */
export function municipalitiesWithRole(principal: Principal, roles: readonly Role[]): number[] {
  return [...new Set(principal.memberships.filter((m) => m.role === 'admin' || roles.includes(m.role)).map((m) => m.municipalityId))];
}

import { describe, expect, it } from 'vitest';
import type { Role } from '../../protocol/enums';
import { hasRole, municipalitiesWithRole, type Principal } from '../../server/domain/access';

const principal = (...memberships: [number, Role][]): Principal => ({
  userId: 1, email: 'x@y.tn', nameAr: 'س', nameFr: 'S',
  memberships: memberships.map(([municipalityId, role]) => ({ municipalityId, role })),
});

describe('hasRole', () => {
  it.each<[string, Principal | undefined, Role[], number | undefined, boolean]>([
    ['anonymous', undefined, ['applicant'], undefined, false],
    ['applicant asking as applicant', principal([1, 'applicant']), ['applicant'], 1, true],
    ['applicant asking as secretary', principal([1, 'applicant']), ['secretary'], 1, false],
    ['secretary of the municipality', principal([1, 'secretary']), ['secretary'], 1, true],
    ['secretary of another municipality', principal([2, 'secretary']), ['secretary'], 1, false],
    ['member of another municipality', principal([2, 'member']), ['member', 'chair'], 1, false],
    ['chair among several roles', principal([1, 'member'], [1, 'chair']), ['chair'], 1, true],
    ['admin does anything in their municipality', principal([1, 'admin']), ['secretary'], 1, true],
    ['admin of another municipality', principal([2, 'admin']), ['secretary'], 1, false],
    ['any municipality when none is given', principal([3, 'member']), ['member'], undefined, true],
    ['no memberships', principal(), ['applicant'], undefined, false],
  ])('%s', (_name, who, roles, municipalityId, expected) => {
    expect(hasRole(who, roles, municipalityId)).toBe(expected);
  });
});

describe('municipalitiesWithRole', () => {
  it('lists each municipality once', () => {
    expect(municipalitiesWithRole(principal([1, 'member'], [1, 'chair'], [2, 'applicant'], [3, 'admin']), ['member', 'chair'])).toEqual([1, 3]);
  });
});

import { Committee, CommitteeSeat, Membership, Municipality, User } from '../../db/models';
import { DEMO_PASSWORD } from '../../server/demo/seed';
import { hashPassword } from '../../server/services/accounts';

/**
 * Adds `count` voting members to a municipality's committee (users with the demo password,
 * a member's role, a voting seat), so that more members than the demo's can vote at once.
 * Returns their emails.
 */
export async function addVotingMembers(count: number, code = 'ADR'): Promise<string[]> {
  const municipality = (await Municipality.findOne({ where: { code } }))!;
  const committee = (await Committee.findOne({ where: { municipalityId: municipality.id } }))!;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const emails: string[] = [];
  for (let i = 1; i <= count; i++) {
    const email = `voter${i}@${code.toLowerCase()}.test`;
    const user = await User.create({ email, passwordHash, nameAr: `عضو ${i}`, nameFr: `Membre ${i}` });
    await Membership.create({ userId: user.id, municipalityId: municipality.id, role: 'member' });
    await CommitteeSeat.create({ committeeId: committee.id, userId: user.id, kind: 'voting', titleAr: 'عضو', titleFr: 'Membre' });
    emails.push(email);
  }
  return emails;
}

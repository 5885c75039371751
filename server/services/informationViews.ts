import { Op } from 'sequelize';
import { InformationRequest, Municipality } from '../../db/models';
import type {
  InformationRegisterRow, InformationRequestRow, InformationRequestView, InformationStatistics, InformationStatus, InformationViewer,
} from '../../protocol/informationRequests';
import { municipalDay } from '../../protocol/municipalTime';
import { municipalitiesWithRole, type Principal } from '../domain/access';
import { namedCode } from '../domain/caseSettings';
import { requestClock } from '../domain/informationDelays';
import { caseDocuments, caseMessages, caseTimeline } from './caseRecords';
import { municipalityName } from './dossiers';
import { factsOf, INFORMATION_CASE, refusalGroundsOf } from './informationRequests';

/** Everything the request's page shows, to its requester or the officer. */
export async function informationRequestView(r: InformationRequest, viewer: InformationViewer, now = new Date()): Promise<InformationRequestView> {
  const [municipality, grounds, documents, timeline, messages] = await Promise.all([
    Municipality.findByPk(r.municipalityId), refusalGroundsOf(r.municipalityId),
    caseDocuments(INFORMATION_CASE, r.id), caseTimeline(INFORMATION_CASE, r.id), caseMessages(INFORMATION_CASE, r.id),
  ]);
  const ground = r.refusalGround ? namedCode(grounds, r.refusalGround) : null;
  return {
    id: r.id, reference: r.reference!, status: r.status,
    municipality: municipalityName(municipality!),
    requester: { name: r.requesterName, contact: r.requesterContact },
    subject: r.subject, description: r.description, accessForm: r.accessForm, lifeOrLiberty: r.lifeOrLiberty,
    receivedAt: r.receivedAt.toISOString(), clock: requestClock(factsOf(r), now),
    extensionReason: r.extensionReason ?? null, referredTo: r.referredTo ?? null, answerNote: r.answerNote ?? null,
    refusal: ground ? { ground, reasons: r.refusalReasons ?? '' } : null,
    appeal: r.appealFiledAt ? {
      grounds: r.appealGrounds ?? '', filedAt: r.appealFiledAt.toISOString(), outcome: r.appealOutcome ?? null, reasons: r.appealReasons ?? null,
      decidedAt: r.appealDecidedAt?.toISOString() ?? null,
    } : null,
    documents, timeline, messages, viewer,
  };
}

/** The officer's queue (their municipalities' requests, the most urgent first) or the requester's own. */
export async function informationRequestList(principal: Principal, status?: InformationStatus, now = new Date()): Promise<InformationRequestRow[]> {
  const offices = municipalitiesWithRole(principal, ['information_officer']);
  const where = offices.length ? { municipalityId: { [Op.in]: offices } } : { requesterId: principal.userId };
  const requests = await InformationRequest.findAll({ where: { ...where, ...(status ? { status } : {}) }, order: [['receivedAt', 'DESC']] });
  const rows = requests.map((r): InformationRequestRow => ({
    id: r.id, reference: r.reference!, status: r.status, subject: r.subject, requesterName: r.requesterName, lifeOrLiberty: r.lifeOrLiberty,
    clock: requestClock(factsOf(r), now), receivedAt: r.receivedAt.toISOString(),
  }));
  // Waiting ones by due time (overdue first), then the rest.
  const rank = (row: InformationRequestRow) => (row.clock.daysRemaining !== null || row.clock.impliedRefusal ? Date.parse(row.clock.dueAt) : Infinity);
  return rows.sort((a, b) => rank(a) - rank(b));
}

/** The public register: what was asked and what was answered, never who asked nor how to reach them. */
export async function informationRegister(municipalityId: number, now = new Date()): Promise<InformationRegisterRow[]> {
  const requests = await InformationRequest.findAll({ where: { municipalityId }, order: [['receivedAt', 'DESC']] });
  return requests.map((r) => {
    const clock = requestClock(factsOf(r), now);
    return {
      reference: r.reference!, subject: r.subject, accessForm: r.accessForm, receivedOn: municipalDay(r.receivedAt), status: r.status,
      impliedRefusal: clock.impliedRefusal, answeredOn: r.answeredAt ? municipalDay(r.answeredAt) : null,
      answerNote: r.answerNote ?? null, refusalGround: r.refusalGround ?? null,
    };
  });
}

/** The annual report's figures for requests received in `year` (Tunis calendar). */
export async function informationStatistics(municipalityId: number, year: number, now = new Date()): Promise<InformationStatistics> {
  const from = new Date(Date.UTC(year - 1, 11, 31)), until = new Date(Date.UTC(year + 1, 0, 2));
  const requests = (await InformationRequest.findAll({ where: { municipalityId, receivedAt: { [Op.between]: [from, until] } } }))
    .filter((r) => municipalDay(r.receivedAt).startsWith(`${year}-`));
  const stats: InformationStatistics = { year, received: requests.length, answeredInTime: 0, answeredLate: 0, impliedRefusals: 0, refusedByGround: {}, redirected: 0, appealed: 0, pending: 0 };
  for (const r of requests) {
    const clock = requestClock(factsOf(r), now);
    if (r.refusalGround) stats.refusedByGround[r.refusalGround] = (stats.refusedByGround[r.refusalGround] ?? 0) + 1;
    else if (r.referredTo) stats.redirected++;
    else if (clock.answeredInTime) stats.answeredInTime++;
    else if (clock.answeredLate) stats.answeredLate++;
    if (clock.impliedRefusal) stats.impliedRefusals++;
    else if (clock.daysRemaining !== null) stats.pending++;
    if (r.appealFiledAt) stats.appealed++;
  }
  return stats;
}

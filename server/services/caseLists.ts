import { Op, type WhereOptions } from 'sequelize';
import { CaseMessage, Complaint, Dossier, DossierMessage, DossierType, InformationRequest, User, type CaseType } from '../../db/models';
import type { CaseDue, CaseKind, CasePage, CaseRow, OfficeCasesQuery } from '../../protocol/cases';
import type { DeadlineView } from '../../protocol/dossiers';
import type { InformationClockView } from '../../protocol/informationRequests';
import { municipalitiesWithRole, type Principal } from '../domain/access';
import { namedCode } from '../domain/caseSettings';
import { requestClock } from '../domain/informationDelays';
import { forbidden } from '../errors';
import { caseSettingsOf } from './caseRecords';
import { COMPLAINT_CASE } from './complaints';
import { deadlinesOf, personName, typeName } from './dossiers';
import { factsOf, INFORMATION_CASE } from './informationRequests';

/**
 * One list over every kind of case: a person's own (the portal's home), or the office's
 * queue over what its roles give it (permits and complaints to the secretary, requests for
 * information to the information officer, everything to an admin), in its municipalities.
 * Built from the same rows and clocks as each kind's own pages.
 */

/** Which rows of each kind the list takes; a kind left out is not the asker's. */
type Scope = Partial<Record<CaseKind, WhereOptions>>;

const withName = { model: User, attributes: ['id', 'nameAr', 'nameFr'] };
const latest = (...dates: (Date | undefined)[]) => new Date(Math.max(...dates.map((d) => d?.getTime() ?? 0)));

/** The last message of each of `ids`, as `read` gives them (not read when there are none). */
async function lastMessages(ids: number[], read: () => Promise<{ id: number; createdAt: Date }[]>): Promise<Map<number, Date>> {
  const last = new Map<number, Date>();
  if (!ids.length) return last;
  for (const m of await read()) if ((last.get(m.id)?.getTime() ?? 0) < m.createdAt.getTime()) last.set(m.id, m.createdAt);
  return last;
}
const caseMessagesOf = (caseType: CaseType, ids: number[]) => lastMessages(ids, async () =>
  (await CaseMessage.findAll({ where: { caseType, caseId: { [Op.in]: ids } }, attributes: ['caseId', 'createdAt'] })).map((m) => ({ id: m.caseId, createdAt: m.createdAt })));
const dossierMessagesOf = (ids: number[]) => lastMessages(ids, async () =>
  (await DossierMessage.findAll({ where: { dossierId: { [Op.in]: ids } }, attributes: ['dossierId', 'createdAt'] })).map((m) => ({ id: m.dossierId, createdAt: m.createdAt })));

const dossierDue = (d: DeadlineView): CaseDue | null => (d.daysRemaining === null ? null : { ...d, hoursRemaining: null });

/** What is due on a request while it waits for its answer, or overdue (the implied refusal); nothing once answered. */
function requestDue(c: InformationClockView): CaseDue | null {
  if (c.daysRemaining === null && !c.overdue) return null;
  const days = c.delay.unit === 'days' ? c.delay.amount : c.delay.amount / 24;
  return { days, dueOn: c.dueOn, daysRemaining: c.daysRemaining, hoursRemaining: c.hoursRemaining, paused: false, overdue: c.overdue };
}

async function dossierRows(where: WhereOptions, office: boolean, now: Date): Promise<CaseRow[]> {
  const dossiers = await Dossier.findAll({ where, include: [DossierType, { ...withName, as: 'applicant' }] });
  const [deadlines, messages] = await Promise.all([deadlinesOf(dossiers, now), dossierMessagesOf(dossiers.map((d) => d.id))]);
  return dossiers.map((d) => ({
    kind: 'dossier', id: d.id, reference: d.reference, status: d.status, what: typeName(d.DossierType!), detail: d.address,
    due: dossierDue(deadlines.get(d.id)!), lastActivityAt: latest(d.updatedAt, messages.get(d.id)).toISOString(),
    person: office ? personName((d as Dossier & { applicant: User }).applicant) : null,
  }));
}

async function requestRows(where: WhereOptions, office: boolean, now: Date): Promise<CaseRow[]> {
  const requests = await InformationRequest.findAll({ where, include: [{ ...withName, as: 'requester' }] });
  const messages = await caseMessagesOf(INFORMATION_CASE, requests.map((r) => r.id));
  return requests.map((r) => {
    const requester = (r as InformationRequest & { requester: User | null }).requester;
    return {
      kind: 'information_request', id: r.id, reference: r.reference, status: r.status, what: null, detail: r.subject,
      due: requestDue(requestClock(factsOf(r), now)), lastActivityAt: latest(r.updatedAt, messages.get(r.id)).toISOString(),
      // A request made at the desk has no account: the office sees the name it entered.
      person: !office ? null : requester ? personName(requester) : { nameAr: r.requesterName, nameFr: r.requesterName },
    };
  });
}

async function complaintRows(where: WhereOptions, office: boolean): Promise<CaseRow[]> {
  const complaints = await Complaint.findAll({ where, include: [{ ...withName, as: 'reporter' }] });
  const [messages, categories] = await Promise.all([
    caseMessagesOf(COMPLAINT_CASE, complaints.map((c) => c.id)),
    Promise.all([...new Set(complaints.map((c) => c.municipalityId))].map(async (m) => [m, (await caseSettingsOf(m)).complaintCategories] as const)).then((e) => new Map(e)),
  ]);
  return complaints.map((c) => {
    const reporter = (c as Complaint & { reporter: User | null }).reporter;
    return {
      kind: 'complaint', id: c.id, reference: c.reference, status: c.status, what: namedCode(categories.get(c.municipalityId)!, c.category),
      detail: c.neighbourhood || c.address, due: null, lastActivityAt: latest(c.updatedAt, messages.get(c.id)).toISOString(),
      person: office && !c.anonymous && reporter ? personName(reporter) : null,
    };
  });
}

async function rowsOf(scope: Scope, office: boolean, now: Date): Promise<CaseRow[]> {
  const parts = await Promise.all([
    scope.dossier ? dossierRows(scope.dossier, office, now) : [],
    scope.information_request ? requestRows(scope.information_request, office, now) : [],
    scope.complaint ? complaintRows(scope.complaint, office) : [],
  ]);
  return parts.flat();
}

const byActivity = (a: CaseRow, b: CaseRow) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);
/** The office's order: overdue first, then by days (hours) left; cases with no clock running after them, each by last activity. */
const byUrgency = (a: CaseRow, b: CaseRow) => {
  const left = (r: CaseRow) => (r.due && !r.due.paused && r.due.daysRemaining !== null ? r.due.daysRemaining : r.due?.overdue ? -Infinity : Infinity);
  return left(a) - left(b) || byActivity(a, b);
};

const pageOf = (rows: CaseRow[], page: { limit: number; offset: number }): CasePage => ({ rows: rows.slice(page.offset, page.offset + page.limit), total: rows.length });

/** A person's own cases of every kind (or one), the most recently active first. */
export async function myCases(principal: Principal, query: { type?: CaseKind; limit: number; offset: number }, now = new Date()): Promise<CasePage> {
  const scope: Scope = {
    dossier: { applicantId: principal.userId },
    information_request: { requesterId: principal.userId },
    complaint: { reporterId: principal.userId },
  };
  const chosen: Scope = query.type ? { [query.type]: scope[query.type] } : scope;
  return pageOf((await rowsOf(chosen, false, now)).sort(byActivity), query);
}

/** Which kinds the office of `principal` works, in which municipalities. */
export function officeScope(principal: Principal): Scope {
  const scope: Scope = {};
  const secretariat = municipalitiesWithRole(principal, ['secretary']);
  const information = municipalitiesWithRole(principal, ['information_officer']);
  // Drafts are the applicant's own until submitted.
  if (secretariat.length) {
    scope.dossier = { municipalityId: { [Op.in]: secretariat }, status: { [Op.ne]: 'draft' } };
    scope.complaint = { municipalityId: { [Op.in]: secretariat } };
  }
  if (information.length) scope.information_request = { municipalityId: { [Op.in]: information } };
  return scope;
}

/** The office's queue of one kind or of all its kinds, the most urgent first; a kind its roles do not give → 403. */
export async function officeCases(principal: Principal, query: OfficeCasesQuery, now = new Date()): Promise<CasePage> {
  const scope = officeScope(principal);
  if (!Object.keys(scope).length) throw forbidden('no office role');
  if (query.type !== 'all' && !scope[query.type]) throw forbidden(`your roles do not give you the ${query.type} queue`);
  const chosen: Scope = query.type === 'all' ? scope
    : { [query.type]: query.status ? { [Op.and]: [scope[query.type]!, { status: query.status }] } : scope[query.type] };
  return pageOf((await rowsOf(chosen, true, now)).sort(byUrgency), query);
}

import { Complaint, ComplaintPhoto, Municipality } from '../../db/models';
import type { ComplaintCategoryStatistics, ComplaintRow, ComplaintStatus, ComplaintView, ComplaintViewer, PublicComplaintRow } from '../../protocol/complaints';
import { municipalDay } from '../../protocol/municipalTime';
import type { Principal } from '../domain/access';
import { namedCode } from '../domain/caseSettings';
import { complaintClosed, median } from '../domain/complaints';
import { caseMessages, caseTimeline } from './caseRecords';
import { municipalityName } from './dossiers';
import { COMPLAINT_CASE, complaintCategoriesOf, complaintsWhere, reporterOf } from './complaints';

const DAY = 86_400_000;

export async function complaintView(c: Complaint, viewer: ComplaintViewer): Promise<ComplaintView> {
  const [municipality, categories, photos, timeline, messages, reporter] = await Promise.all([
    Municipality.findByPk(c.municipalityId), complaintCategoriesOf(c.municipalityId),
    ComplaintPhoto.findAll({ where: { complaintId: c.id }, order: [['id', 'ASC']] }),
    caseTimeline(COMPLAINT_CASE, c.id), caseMessages(COMPLAINT_CASE, c.id), reporterOf(c, viewer),
  ]);
  return {
    id: c.id, reference: c.reference!, status: c.status,
    municipality: municipalityName(municipality!),
    category: namedCode(categories, c.category),
    description: c.description, point: c.lat !== null && c.lng !== null ? { lat: c.lat, lng: c.lng } : null,
    address: c.address, neighbourhood: c.neighbourhood, anonymous: c.anonymous, reporter,
    service: c.service ?? null, rejectionReason: c.rejectionReason ?? null,
    resolvedAt: c.status === 'resolved' && c.closedAt ? c.closedAt.toISOString() : null,
    photos: photos.map((p) => ({ id: p.id, width: p.width, height: p.height, size: p.size })),
    timeline, messages, viewer, createdAt: c.createdAt.toISOString(),
  };
}

/** The office's queue (open ones first, oldest first) or the reporter's own reports. */
export async function complaintList(principal: Principal, status?: ComplaintStatus): Promise<ComplaintRow[]> {
  const complaints = await Complaint.findAll({ where: { ...complaintsWhere(principal), ...(status ? { status } : {}) }, order: [['createdAt', 'ASC']] });
  const open = (c: Complaint) => (complaintClosed(c.status) ? 1 : 0);
  return complaints.sort((a, b) => open(a) - open(b)).map((c) => ({
    id: c.id, reference: c.reference!, status: c.status, category: c.category, neighbourhood: c.neighbourhood,
    description: c.description, service: c.service ?? null, createdAt: c.createdAt.toISOString(),
  }));
}

/** The public list: category, neighbourhood, status and dates; never the reporter, their words, or the exact point. */
export async function publicComplaints(municipalityId: number): Promise<PublicComplaintRow[]> {
  const complaints = await Complaint.findAll({ where: { municipalityId }, order: [['createdAt', 'DESC']] });
  return complaints.map((c) => ({
    reference: c.reference!, category: c.category, neighbourhood: c.neighbourhood, status: c.status,
    receivedOn: municipalDay(c.createdAt), closedOn: c.closedAt ? municipalDay(c.closedAt) : null,
  }));
}

/** Per category: open, resolved, rejected, and the median days from receipt to resolution. */
export async function complaintStatistics(municipalityId: number): Promise<ComplaintCategoryStatistics[]> {
  const categories = await complaintCategoriesOf(municipalityId);
  const complaints = await Complaint.findAll({ where: { municipalityId } });
  return categories.map((cat) => {
    const mine = complaints.filter((c) => c.category === cat.code);
    const resolved = mine.filter((c) => c.status === 'resolved' && c.closedAt);
    const days = resolved.map((c) => (c.closedAt!.getTime() - c.createdAt.getTime()) / DAY);
    const m = median(days);
    return {
      category: cat.code,
      open: mine.filter((c) => !complaintClosed(c.status)).length,
      resolved: resolved.length,
      rejected: mine.filter((c) => c.status === 'rejected').length,
      medianDaysToResolve: m === null ? null : Math.round(m * 10) / 10,
    };
  });
}

import type { GuestView, HearingInvitationView, InviteGuest } from '../../../protocol/hearings';
import { apiPath, request } from './request';

/** /api/hearings: invitations to be heard on an agenda item, and the guest's own side of them. */
export const hearings = {
  /** The secretary or the chair invites a guest: the email with the one-time link goes out. */
  invite: (body: InviteGuest) => request<HearingInvitationView>('POST', apiPath('/hearings'), body),
  list: (sessionId: number) => request<HearingInvitationView[]>('GET', apiPath('/hearings', { sessionId })),
  revoke: (id: number) => request<HearingInvitationView>('POST', apiPath(`/hearings/${id}/revoke`)),
  /** The guest follows their link once: the guest cookie is set. */
  redeem: (token: string) => request<GuestView>('POST', apiPath('/hearings/redeem'), { token }),
  /** The guest behind the guest cookie (401 without one). */
  guest: () => request<GuestView>('GET', apiPath('/hearings/guest')),
  /** A document of the guest's own dossier, for pdf.js. */
  documentUrl: (versionId: number) => apiPath(`/hearings/guest/documents/${versionId}/content`),
};

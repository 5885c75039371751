import type { PublishedSessionOpinions } from '../../../protocol/minutes';
import type { PublicSessionView } from '../../../protocol/sessions';
import { apiPath, request } from './request';

/** /api/public: what anyone may read, without personal data. */
export const publicRecords = {
  /** Upcoming sessions with their agenda by dossier reference. */
  sessions: () => request<PublicSessionView[]>('GET', apiPath('/public/sessions')),
  /** The opinions of finalized minutes, by dossier reference. */
  opinions: () => request<PublishedSessionOpinions[]>('GET', apiPath('/public/opinions')),
};

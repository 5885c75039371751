import { arretes } from './arretes';
import { auth } from './auth';
import { caseLists, complaints, informationRequests, municipalities } from './cases';
import { dossiers } from './dossiers';
import { hearings } from './hearings';
import { me } from './me';
import { minutes } from './minutes';
import { publicRecords } from './public';
import { apiPath } from './request';
import { sessions } from './sessions';
import { signing } from './signing';
import { verify } from './verify';

/**
 * The client's only way to the HTTP API: one typed function per route, each typed by the
 * protocol's views and bodies (`api.dossiers.get(id)` → DossierView). URLs that the
 * browser opens itself (PDF links) come from here too.
 */
export const api = {
  auth,
  dossiers,
  cases: caseLists,
  complaints,
  informationRequests,
  municipalities,
  sessions,
  hearings,
  minutes,
  arretes,
  signing,
  verify,
  me,
  public: publicRecords,
  documents: {
    /** A stored document version's bytes (ranges, ETag), for pdf.js or a link. */
    contentUrl: (versionId: number) => apiPath(`/documents/versions/${versionId}/content`),
  },
};

export { ApiError } from './request';

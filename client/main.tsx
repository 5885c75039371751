import { Route, Router } from '@solidjs/router';
import { render } from 'solid-js/web';
import { ProfilePage } from './account/ProfilePage';
import { ComplaintForm } from './cases/ComplaintForm';
import { ComplaintList } from './cases/ComplaintList';
import { ComplaintPage } from './cases/ComplaintPage';
import { InformationForm } from './cases/InformationForm';
import { InformationList } from './cases/InformationList';
import { InformationPage } from './cases/InformationPage';
import { HearingPage } from './hearing/HearingPage';
import { Layout } from './Layout';
import { Login } from './Login';
import { MeetingHome } from './meeting/MeetingHome';
import { MeetingRoomPage } from './meeting/MeetingRoomPage';
import { MinutesPage } from './minutes/MinutesPage';
import { OfficeDossier } from './office/OfficeDossier';
import { OfficeHome } from './office/OfficeHome';
import { PortalDossier } from './portal/PortalDossier';
import { PortalHome } from './portal/PortalHome';
import { PublicHome } from './public/PublicHome';
import { VerifyPage } from './public/VerifyPage';
import { ROLES } from '../protocol/enums';
import { RequireRole } from './RequireRole';

render(
  () => (
    <Router root={Layout}>
      <Route path="/" component={PublicHome} />
      <Route path="/public" component={PublicHome} />
      <Route path="/login" component={Login} />
      <Route path="/portal" component={() => <RequireRole roles={['applicant']}><PortalHome /></RequireRole>} />
      <Route path="/portal/dossiers/:id" component={() => <RequireRole roles={['applicant']}><PortalDossier /></RequireRole>} />
      <Route path="/portal/complaints" component={() => <RequireRole roles={['applicant']}><ComplaintList office={false} /></RequireRole>} />
      <Route path="/portal/complaints/new" component={() => <RequireRole roles={['applicant']}><ComplaintForm /></RequireRole>} />
      <Route path="/portal/complaints/:id" component={() => <RequireRole roles={['applicant']}><ComplaintPage /></RequireRole>} />
      <Route path="/portal/information" component={() => <RequireRole roles={['applicant']}><InformationList office={false} /></RequireRole>} />
      <Route path="/portal/information/new" component={() => <RequireRole roles={['applicant']}><InformationForm /></RequireRole>} />
      <Route path="/portal/information/:id" component={() => <RequireRole roles={['applicant']}><InformationPage /></RequireRole>} />
      <Route path="/office/information" component={() => <RequireRole roles={['information_officer']}><InformationList office /></RequireRole>} />
      <Route path="/office/information/:id" component={() => <RequireRole roles={['information_officer']}><InformationPage /></RequireRole>} />
      <Route path="/office/complaints" component={() => <RequireRole roles={['secretary']}><ComplaintList office /></RequireRole>} />
      <Route path="/office/complaints/:id" component={() => <RequireRole roles={['secretary']}><ComplaintPage /></RequireRole>} />
      <Route path="/office" component={() => <RequireRole roles={['secretary', 'information_officer']}><OfficeHome /></RequireRole>} />
      <Route path="/office/dossiers/:id" component={() => <RequireRole roles={['secretary', 'chair']}><OfficeDossier /></RequireRole>} />
      <Route path="/meeting" component={() => <RequireRole roles={['member', 'chair', 'secretary']}><MeetingHome /></RequireRole>} />
      <Route path="/meeting/:sessionId" component={() => <RequireRole roles={['member', 'chair', 'secretary']}><MeetingRoomPage /></RequireRole>} />
      <Route path="/minutes/:sessionId" component={() => <RequireRole roles={['secretary', 'chair', 'member']}><MinutesPage /></RequireRole>} />
      <Route path="/verify" component={VerifyPage} />
      <Route path="/hearing" component={HearingPage} />
      <Route path="/profile" component={() => <RequireRole roles={ROLES}><ProfilePage /></RequireRole>} />
    </Router>
  ),
  document.getElementById('root')!,
);

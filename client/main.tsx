import { Route, Router } from '@solidjs/router';
import { render } from 'solid-js/web';
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
import { RequireRole } from './RequireRole';

render(
  () => (
    <Router root={Layout}>
      <Route path="/" component={PublicHome} />
      <Route path="/public" component={PublicHome} />
      <Route path="/login" component={Login} />
      <Route path="/portal" component={() => <RequireRole roles={['applicant']}><PortalHome /></RequireRole>} />
      <Route path="/portal/dossiers/:id" component={() => <RequireRole roles={['applicant']}><PortalDossier /></RequireRole>} />
      <Route path="/office" component={() => <RequireRole roles={['secretary']}><OfficeHome /></RequireRole>} />
      <Route path="/office/dossiers/:id" component={() => <RequireRole roles={['secretary']}><OfficeDossier /></RequireRole>} />
      <Route path="/meeting" component={() => <RequireRole roles={['member', 'chair', 'secretary']}><MeetingHome /></RequireRole>} />
      <Route path="/meeting/:sessionId" component={() => <RequireRole roles={['member', 'chair', 'secretary']}><MeetingRoomPage /></RequireRole>} />
      <Route path="/minutes/:sessionId" component={() => <RequireRole roles={['secretary', 'chair', 'member']}><MinutesPage /></RequireRole>} />
      <Route path="/verify" component={VerifyPage} />
    </Router>
  ),
  document.getElementById('root')!,
);

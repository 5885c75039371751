import type { Sequelize } from 'sequelize';
import { initIdentity } from './identity';
import { initSessions } from './sessions';
import { initDossiers } from './dossiers';
import { initAttendance } from './attendance';
import { initAudit } from './audit';
import { initMinutes } from './minutes';
import { initVotes } from './votes';
import { initPresentation } from './presentation';
import { initOpinions } from './opinions';
import { initCases } from './cases';
import { initChat } from './chat';
import { initSigning } from './signing';
import { initLeases } from './leases';
import { initHearings } from './hearings';
import { initMarkups } from './markups';

export * from './identity';
export * from './sessions';
export * from './dossiers';
export * from './attendance';
export * from './audit';
export * from './minutes';
export * from './votes';
export * from './presentation';
export * from './opinions';
export * from './cases';
export * from './chat';
export * from './signing';
export * from './leases';
export * from './hearings';
export * from './markups';

/** Defines every model and association on a connection; each domain area adds its init here. */
export function defineModels(sequelize: Sequelize): void {
  initIdentity(sequelize);
  initSessions(sequelize);
  initDossiers(sequelize);
  initAttendance(sequelize);
  initAudit(sequelize);
  initMinutes(sequelize);
  initVotes(sequelize);
  initPresentation(sequelize);
  initOpinions(sequelize);
  initCases(sequelize);
  initChat(sequelize);
  initSigning(sequelize);
  initLeases(sequelize);
  initHearings(sequelize);
  initMarkups(sequelize);
}

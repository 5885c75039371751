import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type RunnableMigration } from 'umzug';
import { identity } from './0001-identity';
import { committeeSessions } from './0002-committee-sessions';
import { dossiers } from './0100-dossiers';
import { attendance } from './0200-attendance';
import { auditEntries } from './0300-audit-entries';
import { minutes } from './0301-minutes';
import { votes } from './0302-votes';
import { meetingRecords } from './0400-meeting-records';
import { attendanceHeartbeat } from './0500-attendance-heartbeat';
import { sessionTimes } from './0600-session-times';
import { informationRequests } from './1600-information-requests';
import { chatMessages } from './1400-chat-messages';
import { hearings } from './1410-hearings';
import { signing } from './1300-signing';
import { notices } from './1200-notices';
import { auditMac } from './1301-audit-mac';
import { sessionLeases } from './0900-session-leases';
import { socketIoAttachments } from './0901-socket-io-attachments';
import { eventDetails } from './1201-event-details';
import { complaints } from './1601-complaints';
import { arretes } from './1302-arretes';
import { sms } from './1250-sms';
import { markups } from './1500-markups';
import { citedMarkups } from './1510-cited-markups';
import { smsQuota } from './1260-sms-quota';
import { signingKeyLock } from './1350-signing-key-lock';

export type Migration = RunnableMigration<QueryInterface>;

/** Every migration, in order. Append; never edit one that has shipped. */
const MIGRATIONS: Migration[] = [
  identity,
  committeeSessions,
  dossiers,
  attendance,
  auditEntries,
  minutes,
  votes,
  meetingRecords,
  attendanceHeartbeat,
  sessionTimes,
  informationRequests,
  chatMessages,
  signing,
  notices,
  auditMac,
  sessionLeases,
  socketIoAttachments,
  eventDetails,
  complaints,
  arretes,
  sms,
  hearings,
  markups,
  citedMarkups,
  smsQuota,
  signingKeyLock,
];

/** Applies the pending migrations; returns their names. */
export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const umzug = new Umzug({
    migrations: MIGRATIONS,
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
  const applied = await umzug.up();
  return applied.map((m) => m.name);
}

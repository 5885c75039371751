import { EventEmitter } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Sequelize } from 'sequelize';
import type { Server as SocketServer } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import { openDatabase } from '../db/connection';
import { migrate } from '../db/migrations';
import { defineModels } from '../db/models';
import { underStartupLock } from '../db/startupLock';
import { transactionsOf, type TransactionsOptions } from '../db/transactions';
import { WorkerPool } from '../sfu/WorkerPool';
import { RightsRelay } from './cluster/RightsRelay';
import { SessionLeases } from './cluster/SessionLeases';
import type { Config } from './config';
import { seedDemo } from './demo/seed';
import { createHttpApp } from './http/app';
import { answerClientError } from './http/clientError';
import { authRouter } from './http/auth';
import { healthRouter } from './http/health';
import { municipalitiesRouter } from './http/municipalities';
import { documentsRouter } from './http/documents';
import { complaintsRouter } from './http/complaints';
import { dossiersRouter } from './http/dossiers';
import { informationRequestsRouter } from './http/informationRequests';
import { meRouter, peopleRouter } from './http/me';
import { officeRouter } from './http/office';
import { caseSettingsRouter } from './http/caseSettings';
import { minutesRouter } from './http/minutes';
import { opinionPagesRouter } from './http/opinionPages';
import { publicRouter } from './http/public';
import { registerRouter } from './http/register';
import { sessionsRouter } from './http/sessions';
import { signingRouter } from './http/signing';
import { verifyRouter } from './http/verify';
import { auditRouter } from './http/audit';
import { arretesRouter } from './http/arretes';
import { hearingsRouter } from './http/hearings';
import { HearingService } from './services/hearings';
import { Arretes } from './signing/Arretes';
import { loadAuditKey, useAuditKey } from './services/audit';
import { AuditWatch } from './services/AuditWatch';
import { DocumentSigner } from './signing/DocumentSigner';
import { timestampAuthority } from './signing/timestamp';
import { MinutesSigning } from './signing/MinutesSigning';
import { Reauthentication } from './signing/Reauthentication';
import { SigningAuthority } from './signing/SigningAuthority';
import { DocumentStore } from './services/documentStore';
import { ChatService } from './services/chat';
import { MinutesService } from './services/minutes';
import { OutboxWorker } from './services/OutboxWorker';
import { PasswordHasher } from './services/PasswordHasher';
import { PdfInspection } from './services/pdfInspection';
import { PdfMeasures } from './services/pdfMeasures';
import { MarkupRenderer } from './services/markupRender';
import { recoverAtStart } from './services/recovery';
import { RetentionJob } from './services/RetentionJob';
import { createLogger, type Logger } from './log';
import { createSocketServer } from './realtime/io';
import { attendanceFeature } from './meeting/features/attendance';
import { mediaFeature } from './meeting/features/media';
import { chatFeature } from './meeting/features/chat';
import { markupsFeature } from './meeting/features/markups';
import { minutesFeature } from './meeting/features/minutes';
import { presenceFeature } from './meeting/features/presence';
import { presentationFeature } from './meeting/features/presentation';
import { sessionFeature } from './meeting/features/session';
import { votingFeature } from './meeting/features/voting';
import { hearingFeature } from './meeting/features/hearing';
import { HearingGuests } from './meeting/HearingGuests';
import { MeetingServer } from './meeting/MeetingServer';
import { AttendanceHeartbeat } from './services/AttendanceHeartbeat';
import { CommitteeSeats } from './services/CommitteeSeats';
import { RightsFeed } from './services/RightsFeed';
import { SessionService } from './services/SessionService';
import { VoteService } from './services/votes';

/** Wrong passwords typed to sign before each further attempt waits (a signer mistyping a few times is not held). */
const SIGNING_MAX_FAILURES = 5;

/** Options of the process that are not product settings (benchmarks compare alternatives with them). */
export interface LajnaServerOptions {
  transactions?: TransactionsOptions;
}

export interface LajnaServerEvents {
  closed: [];
}

/**
 * The whole application in one process: database, mediasoup workers, HTTP API,
 * socket.io. `create` brings it up, `close` takes it down without losing a write.
 */
export class LajnaServer extends EventEmitter<LajnaServerEvents> {
  #closing: Promise<void> | undefined;
  /** The municipalities' CAs being made at start (close waits for them: no half-written key). */
  #signingCas: Promise<void> = Promise.resolve();
  /** Sends queued notifications over SMTP (set once in create). */
  outbox!: OutboxWorker;
  smsOutbox!: OutboxWorker;
  /** Verifies the audit log hourly (set once in create). */
  auditWatch!: AuditWatch;
  /** The /meeting namespace and its live meetings (set once in create). */
  meeting!: MeetingServer;
  /** The guests heard in the meetings (the `/hearing` namespace). */
  guests!: HearingGuests;
  /** Stamps the attendance of the members in this node's meetings (set once in create). */
  heartbeat!: AttendanceHeartbeat;
  /** The live sessions this node holds (set once in create). */
  leases!: SessionLeases;
  /** The session lifecycle (opened, ended) as the chair runs it (set once in create). */
  sessions!: SessionService;
  /** Rights changes between the app nodes sharing PostgreSQL; none on SQLite (one node, nowhere to relay to). */
  relay: RightsRelay | undefined;
  /** The socket.io adapter's own connections to PostgreSQL (several app nodes); none on SQLite. */
  adapterPool: pg.Pool | undefined;
  /** Deletes and anonymises what has outlived its retention period, daily (set once in create). */
  retention!: RetentionJob;
  pdfMeasures!: PdfMeasures;
  /** The marked-up page images of opinions and minutes (set once in create). */
  markupRenderer!: MarkupRenderer;

  private constructor(
    readonly config: Config,
    readonly log: Logger,
    readonly sequelize: Sequelize,
    readonly workers: WorkerPool,
    readonly httpServer: http.Server,
    readonly io: SocketServer,
    /** Opens uploaded PDFs in bounded child processes. */
    readonly pdfInspection: PdfInspection,
    /** Hashes login passwords on worker threads, a bounded number at once. */
    readonly passwords: PasswordHasher,
    /** The express app behind httpServer (its routers are what the HTTP fuzz test walks). */
    readonly app: Express,
  ) {
    super();
  }

  static async create(config: Config, log: Logger = createLogger(config.logLevel), options: LajnaServerOptions = {}): Promise<LajnaServer> {
    const sequelize = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log, transactions: options.transactions });
    defineModels(sequelize);
    // The audit log is authenticated with a key outside the database, and verified now and hourly.
    const authenticated = await underStartupLock(config.databaseUrl, async () => {
      const applied = await migrate(sequelize);
      if (applied.length) log.info({ applied }, 'migrations applied');
      if (config.seedDemo && (await seedDemo(sequelize, config.dataDir))) log.info('demo data seeded');
      return useAuditKey(sequelize, await loadAuditKey(config.dataDir));
    });
    if (authenticated) log.info({ entries: authenticated }, 'audit entries written before the audit key now carry its code');
    const auditWatch = await AuditWatch.create({ log });
    const documents = new DocumentStore(config.dataDir, config.uploadMaxBytes);
    await recoverAtStart(sequelize, documents, log, config.cluster.shared);

    const workers = await WorkerPool.create({
      workers: config.mediasoup.workers,
      listenIp: config.mediasoup.listenIp,
      announcedAddress: config.mediasoup.announcedAddress,
      rtcPort: config.mediasoup.rtcPort,
      protocols: config.mediasoup.protocols,
    });
    workers.on('workerdied', (dead, error) => log.error({ pid: dead.worker.pid, index: dead.index, error: error.message }, 'mediasoup worker died; starting a replacement'));
    workers.on('workerreplaced', (fresh) => log.info({ pid: fresh.worker.pid, index: fresh.index }, 'mediasoup worker replaced'));

    // Services publish rights changes here once committed; the meeting applies them at once.
    const rights = new RightsFeed();
    const sessions = new SessionService(sequelize, rights);

    const pdfInspection = PdfInspection.create({ maxPages: config.pdf.maxPages, memoryMb: config.pdf.inspectMemoryMb, timeoutMs: config.pdf.inspectTimeoutMs });
    pdfInspection.pool.on('childended', (reason, error) => log.warn({ reason, error: error.message }, 'pdf inspection process ended under an upload'));
    const markupRenderer = await MarkupRenderer.create({ cacheDir: path.join(config.dataDir, 'cache', 'marked-pages') });
    const minutes = new MinutesService(sequelize, documents, markupRenderer);
    // A committee logging in together may wait for a thread (a few seconds at most); more are refused at once.
    const passwords = PasswordHasher.create({ threads: config.passwordHashThreads, maxWaiting: 8 * config.passwordHashThreads });
    // Every municipality has its signing CA from the first start on: made in the background (an
    // RSA key takes a moment), a first signature or download waits for the same promise.
    const authority = await SigningAuthority.create({ dataDir: config.dataDir, passphrase: config.signingPassphrase });
    const signingCas = authority.ensureAll().catch((error: Error) => log.error({ error: error.message }, 'could not make the municipalities\' signing CAs'));
    const documentSigner = new DocumentSigner(authority, config.tsa && timestampAuthority(config.tsa));
    const minutesSigning = new MinutesSigning(sequelize, documents, documentSigner);
    const arretes = new Arretes(sequelize, documents, documentSigner);
    const reauth = new Reauthentication(passwords, { maxFailures: SIGNING_MAX_FAILURES, windowMs: config.loginWindowMs, maxDelayMs: config.loginMaxDelayMs });
    const hearings = new HearingService(sequelize);
    const app = createHttpApp(config, log, {
      auth: authRouter(config, passwords, rights),
      health: healthRouter(sequelize, workers),
      municipalities: municipalitiesRouter(new CommitteeSeats(sequelize, rights)),
      dossiers: dossiersRouter(documents, pdfInspection, rights, arretes),
      documents: documentsRouter(documents),
      sessions: sessionsRouter(config),
      public: publicRouter(minutes),
      'information-requests': informationRequestsRouter(documents, pdfInspection),
      complaints: complaintsRouter(documents, config.photoMaxBytes),
      register: registerRouter(),
      minutes: minutesRouter(minutes, minutesSigning, reauth),
      opinions: opinionPagesRouter(documents, markupRenderer),
      verify: verifyRouter(minutesSigning, arretes, authority),
      signing: signingRouter(authority, reauth),
      audit: auditRouter(auditWatch),
      me: meRouter(),
      office: officeRouter(),
      people: peopleRouter(),
      'case-settings': caseSettingsRouter(),
      arretes: arretesRouter(arretes, reauth),
      hearings: hearingsRouter(hearings, documents, config),
    });
    const httpServer = http.createServer(app);
    httpServer.on('clientError', answerClientError(log));
    const io = createSocketServer(httpServer, { log, publicUrl: config.publicUrl });
    const server = new LajnaServer(config, log, sequelize, workers, httpServer, io, pdfInspection, passwords, app);
    // Several app nodes share the database: socket.io's server-side messages go through it (LISTEN/NOTIFY).
    if (config.databaseUrl) {
      server.adapterPool = new pg.Pool({ connectionString: config.databaseUrl, max: 2, application_name: 'lajna-adapter' });
      server.adapterPool.on('error', (err) => log.warn({ err }, 'socket.io adapter connection lost; reconnecting'));
      io.adapter(createAdapter(server.adapterPool, { errorHandler: (err: Error) => log.warn({ err }, 'socket.io adapter error') }));
      server.relay = RightsRelay.create(io, rights, log);
    }
    server.sessions = sessions;
    server.leases = SessionLeases.create({ sequelize, nodeId: config.cluster.nodeId, ttlMs: config.cluster.leaseMs, log });
    server.outbox = OutboxWorker.create({ sequelize, smtp: config.smtp, log });
    server.smsOutbox = OutboxWorker.createSms({ sequelize, smtp: config.smtp, sms: config.sms, log });
    server.auditWatch = auditWatch;
    server.#signingCas = signingCas;
    server.retention = RetentionJob.create(documents, log);
    // What a meeting is made of, each feature on the same namespace and per-session room.
    const presentation = presentationFeature(log);
    server.markupRenderer = markupRenderer;
    server.pdfMeasures = PdfMeasures.create(documents, log, { memoryMb: config.pdf.inspectMemoryMb, timeoutMs: config.pdf.inspectTimeoutMs });
    server.meeting = MeetingServer.create(io, [
      sessionFeature(sessions),
      presenceFeature,
      mediaFeature(workers, log, config.turn),
      attendanceFeature(log),
      presentation,
      markupsFeature(presentation, server.pdfMeasures, log),
      votingFeature(new VoteService(sequelize)),
      minutesFeature(minutes),
      chatFeature(new ChatService(sequelize)),
      hearingFeature(server.guests = HearingGuests.create(io, hearings, presentation, log, config.turn)),
    ], { sessions, rights, log, leases: server.leases });
    server.heartbeat = AttendanceHeartbeat.create({ sequelize, sessions: () => server.meeting.rooms.keys(), log });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    log.info({ url: server.url, node: config.cluster.nodeId, workers: workers.entries.map((e) => e.worker.pid), media: workers.addresses }, 'lajna listening');
    return server;
  }

  get port(): number {
    return (this.httpServer.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://localhost:${this.port}`;
  }

  /**
   * The adapter's listening connection may still be opening when the server closes (a node
   * stopped soon after it started): its close then found nothing to release, and the pool would
   * wait for that connection for ever. Release it once it is there (at most 5 s).
   */
  async #releaseAdapterConnection(): Promise<void> {
    const pool = this.adapterPool;
    const pubSub = (this.io.of('/').adapter as unknown as { client?: { close(): void } }).client;
    for (let waited = 0; pool && pubSub && pool.totalCount > pool.idleCount && waited < 5_000; waited += 100) {
      pubSub.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Stops accepting, disconnects sockets, lets requests in flight finish, then closes workers
   * and the database. The sessions held are handed back, for another node to take at once.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.heartbeat.stop();
      const httpClosed = new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
      await new Promise<void>((resolve) => this.io.close(() => resolve()));
      this.httpServer.closeIdleConnections();
      await httpClosed;
      await this.pdfInspection.close();
      await this.passwords.close();
      await this.outbox.close();
      await this.smsOutbox.close();
      this.auditWatch.close();
      await this.#signingCas;
      await this.retention.close();
      await this.meeting.close();
      await this.pdfMeasures.close();
      await this.guests.close();
      await this.markupRenderer.close();
      await this.heartbeat.close();
      await this.leases.close();
      this.relay?.close();
      await this.#releaseAdapterConnection();
      await this.adapterPool?.end();
      await this.workers.close();
      await transactionsOf(this.sequelize).close();
      await this.sequelize.close();
      this.log.info('lajna stopped');
      this.emit('closed');
    })();
    return this.#closing;
  }
}

import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where `npm run build` puts the client. */
const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../dist/client', import.meta.url));

/** Everything Lajna reads from the environment, parsed once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** The built client (vite's output) served to browsers. */
  clientDir: string;
  databaseUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** NODE_ENV=production: a real municipality's server (no demo data). */
  production: boolean;
  /**
   * The reverse proxies in front (TRUST_PROXY): false, how many hops to trust, or their
   * addresses/CIDRs. Decides the client address (X-Forwarded-For) and secure cookies/HSTS.
   */
  trustProxy: false | number | string[];
  seedDemo: boolean;
  publicUrl: string | undefined;
  uploadMaxBytes: number;
  /** Largest photo a complaint may carry (PHOTO_MAX_MB). */
  photoMaxBytes: number;
  /** Opening uploaded PDFs (server/services/pdfInspection.ts). */
  pdf: {
    maxPages: number;
    /** Memory of one inspection's process, in MB. */
    inspectMemoryMb: number;
    inspectTimeoutMs: number;
  };
  loginMaxAttempts: number;
  loginWindowMs: number;
  /** Longest wait a guesser's failures impose on an account or an address. */
  loginMaxDelayMs: number;
  loginGlobalFailuresPerMinute: number;
  /** Worker threads hashing passwords (each scrypt needs 128 MiB while it runs). */
  passwordHashThreads: number;
  mediasoup: {
    workers: number;
    listenIp: string;
    announcedAddress: string | undefined;
    /** First port of the WebRtcServers; worker i listens on rtcPort + i (UDP and TCP). 0 = ephemeral. */
    rtcPort: number;
    /** Transport protocols media is received on (TCP alone for a network that passes no UDP to the server). */
    protocols: MediaProtocol[];
  };
  /** A TURN server (coturn) for members whose network passes only TLS on 443; credentials by the TURN REST shared secret. */
  turn: TurnConfig | undefined;
  /** Locks the municipalities' signing CA keys (SIGNING_PASSPHRASE); a random one under DATA_DIR/signing when not set. */
  signingPassphrase: string | undefined;
  /** A timestamp authority (TSA_URL, RFC 3161 over HTTP): signatures are then PAdES B-T; none, B-B. */
  tsa: { url: string; timeoutMs: number } | undefined;
  /** Several app nodes on one PostgreSQL database: this node's name, and the term of its session leases. */
  cluster: {
    /** NODE_ID: unique per node, and the name the load balancer gives it (HAProxy's server name). */
    nodeId: string;
    /** How long a session stays held by a node that stopped renewing (a dead node), before another may take it. */
    leaseMs: number;
    /**
     * SHARED_STORE: other nodes may be using this database and document store now. A start then
     * leaves recent pending files and freshly stamped stretches to their nodes; a single node
     * (the default, on SQLite always) treats everything a crash left as its own.
     */
    shared: boolean;
  };
  smtp: {
    host: string | undefined;
    port: number;
    secure: boolean;
    user: string | undefined;
    password: string | undefined;
    from: string;
  };
  /** SMS_SENDER=http: the gateway SMS are POSTed to; undefined (SMS_SENDER=none) leaves them waiting in the outbox. */
  sms: { url: string; token: string | undefined; senderId: string | undefined } | undefined;
}

export type MediaProtocol = 'udp' | 'tcp';

export interface TurnConfig {
  /** turn:/turns: URLs given to browsers, e.g. turns:turn.example.tn:443?transport=tcp. */
  urls: string[];
  /** The shared secret coturn is started with (static-auth-secret). */
  secret: string;
  /** How long an issued credential is accepted. */
  ttlSeconds: number;
  /** Browsers send media only through the TURN server (no direct path tried). */
  relayOnly: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be 0..65535')
  .max(65535, 'must be 0..65535');
const positiveInt = z.coerce.number({ message: 'must be a number' }).int('must be an integer').positive('must be > 0');
/** `10.0.0.5`, `::1`, `10.0.0.0/8`, `fd00::/8`, or one of express's names for address ranges. */
function proxyAddress(v: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return true;
  const [address = '', bits, ...rest] = v.split('/');
  const family = net.isIP(address);
  if (!family || rest.length) return false;
  // A /0 is every address: "trust everything" by another name.
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) >= 1 && Number(bits) <= (family === 4 ? 32 : 128));
}
const trustProxy = z.string().transform((raw, ctx): false | number | string[] => {
  const v = raw.trim().toLowerCase();
  if (v === 'false' || v === 'no' || v === '0') return false;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const list = v.split(',').map((a) => a.trim()).filter(Boolean);
  if (['true', 'yes'].includes(v)) {
    ctx.addIssue({ code: 'custom', message: 'trusting every proxy lets any client choose its address: give the number of proxies in front (1) or their addresses' });
  } else if (!list.length || !list.every(proxyAddress)) {
    ctx.addIssue({ code: 'custom', message: 'must be false, a hop count (1-99), or a comma-separated list of proxy addresses or CIDRs (e.g. 127.0.0.1, 10.0.0.0/8)' });
  }
  return list;
});
const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  CLIENT_DIR: optional,
  DATABASE_URL: optional.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'must start with postgres://'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: trustProxy.default(false),
  NODE_ENV: z.string().optional(),
  SEED_DEMO: bool.default(false),
  PUBLIC_URL: optional.refine((v) => v === undefined || /^https?:\/\//.test(v), 'must be an http(s) URL'),
  UPLOAD_MAX_MB: positiveInt.max(4096, 'must be at most 4096').default(100),
  PHOTO_MAX_MB: positiveInt.max(100, 'must be at most 100').default(10),
  PDF_MAX_PAGES: positiveInt.max(1_000_000, 'must be at most 1000000').default(2000),
  // pdf.js alone takes ~130 MB: below 256 nothing real opens.
  PDF_INSPECT_MEMORY_MB: positiveInt.min(256, 'must be at least 256').max(16384, 'must be at most 16384').default(512),
  PDF_INSPECT_SECONDS: positiveInt.max(600, 'must be at most 600').default(20),
  LOGIN_MAX_ATTEMPTS: positiveInt.default(10),
  LOGIN_WINDOW_MINUTES: positiveInt.default(15),
  LOGIN_MAX_DELAY_SECONDS: positiveInt.max(3600, 'must be at most 3600').default(60),
  LOGIN_GLOBAL_FAILURES_PER_MINUTE: positiveInt.default(100),
  PASSWORD_HASH_THREADS: positiveInt.max(64, 'must be at most 64').optional(),
  MEDIASOUP_WORKERS: positiveInt.max(64, 'must be at most 64').optional(),
  MEDIASOUP_LISTEN_IP: z.ipv4({ message: 'must be an IPv4 address' }).or(z.ipv6()).default('0.0.0.0'),
  MEDIASOUP_ANNOUNCED_ADDRESS: optional,
  MEDIASOUP_RTC_PORT: port.default(40000),
  MEDIASOUP_PROTOCOLS: z
    .string()
    .default('udp,tcp')
    .transform((v) => [...new Set(v.split(',').map((p) => p.trim().toLowerCase()))])
    .pipe(z.array(z.enum(['udp', 'tcp'], { message: 'must list udp and/or tcp' })).min(1)),
  TURN_URLS: optional
    .transform((v) => v?.split(',').map((u) => u.trim()).filter(Boolean))
    .refine((v) => v === undefined || v.every((u) => /^turns?:[^\s]+$/.test(u)), 'must be turn: or turns: URLs, comma-separated'),
  TURN_SECRET: optional.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  TURN_TTL_MINUTES: positiveInt.max(7 * 24 * 60, 'must be at most a week').default(720),
  TURN_RELAY_ONLY: bool.default(false),
  SIGNING_PASSPHRASE: optional.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  TSA_URL: optional.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), 'must be an http(s) URL'),
  TSA_TIMEOUT_SECONDS: positiveInt.max(120, 'must be at most 120').default(10),
  NODE_ID: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, . _ - (the load balancer\'s name for this node)').optional(),
  LEASE_SECONDS: positiveInt.max(120, 'must be at most 120').default(5),
  SHARED_STORE: bool.default(false),
  SMTP_HOST: optional,
  SMTP_PORT: port.default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: optional,
  SMTP_PASSWORD: optional,
  MAIL_FROM: z.string().min(3).default('Lajna <no-reply@lajna.local>'),
  SMS_SENDER: z.enum(['none', 'http']).default('none'),
  SMS_HTTP_URL: optional.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), 'must be an http(s) URL'),
  SMS_HTTP_TOKEN: optional,
  SMS_SENDER_ID: optional,
}).superRefine((e, ctx) => {
  // The demo accounts share a password printed in the README: never on a real server.
  if (e.NODE_ENV === 'production' && e.SEED_DEMO) {
    ctx.addIssue({ code: 'custom', path: ['SEED_DEMO'], message: 'must not be true with NODE_ENV=production (the demo accounts have a published password)' });
  }
  if (e.SMS_SENDER === 'http' && !e.SMS_HTTP_URL) ctx.addIssue({ code: 'custom', path: ['SMS_HTTP_URL'], message: 'is required with SMS_SENDER=http' });
  if (!!e.TURN_URLS?.length !== !!e.TURN_SECRET) {
    ctx.addIssue({ code: 'custom', path: [e.TURN_URLS?.length ? 'TURN_SECRET' : 'TURN_URLS'], message: 'TURN_URLS and TURN_SECRET go together' });
  }
  if (e.TURN_RELAY_ONLY && !e.TURN_URLS?.length) {
    ctx.addIssue({ code: 'custom', path: ['TURN_RELAY_ONLY'], message: 'needs TURN_URLS' });
  }
});

/** Parses the environment; every invalid variable is reported at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", so defaults apply.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    clientDir: e.CLIENT_DIR ? path.resolve(e.CLIENT_DIR) : DEFAULT_CLIENT_DIR,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    trustProxy: e.TRUST_PROXY,
    seedDemo: e.SEED_DEMO,
    publicUrl: e.PUBLIC_URL,
    uploadMaxBytes: e.UPLOAD_MAX_MB * 1024 * 1024,
    photoMaxBytes: e.PHOTO_MAX_MB * 1024 * 1024,
    pdf: { maxPages: e.PDF_MAX_PAGES, inspectMemoryMb: e.PDF_INSPECT_MEMORY_MB, inspectTimeoutMs: e.PDF_INSPECT_SECONDS * 1000 },
    loginMaxAttempts: e.LOGIN_MAX_ATTEMPTS,
    loginWindowMs: e.LOGIN_WINDOW_MINUTES * 60_000,
    loginMaxDelayMs: e.LOGIN_MAX_DELAY_SECONDS * 1000,
    loginGlobalFailuresPerMinute: e.LOGIN_GLOBAL_FAILURES_PER_MINUTE,
    // Half the cores: logins never take the CPU the event loop and the media workers need.
    passwordHashThreads: e.PASSWORD_HASH_THREADS ?? Math.max(1, Math.floor(os.availableParallelism() / 2)),
    mediasoup: {
      workers: e.MEDIASOUP_WORKERS ?? os.availableParallelism(),
      listenIp: e.MEDIASOUP_LISTEN_IP,
      announcedAddress: e.MEDIASOUP_ANNOUNCED_ADDRESS,
      rtcPort: e.MEDIASOUP_RTC_PORT,
      protocols: e.MEDIASOUP_PROTOCOLS,
    },
    turn:
      e.TURN_URLS?.length && e.TURN_SECRET
        ? { urls: e.TURN_URLS, secret: e.TURN_SECRET, ttlSeconds: e.TURN_TTL_MINUTES * 60, relayOnly: e.TURN_RELAY_ONLY }
        : undefined,
    signingPassphrase: e.SIGNING_PASSPHRASE,
    tsa: e.TSA_URL ? { url: e.TSA_URL, timeoutMs: e.TSA_TIMEOUT_SECONDS * 1000 } : undefined,
    // One node per machine and port unless named: two nodes on one machine get different defaults.
    cluster: { nodeId: e.NODE_ID ?? `${os.hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 50)}-${e.PORT}`, leaseMs: e.LEASE_SECONDS * 1000, shared: e.SHARED_STORE && !!e.DATABASE_URL },
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      user: e.SMTP_USER,
      password: e.SMTP_PASSWORD,
      from: e.MAIL_FROM,
    },
    sms: e.SMS_SENDER === 'http' && e.SMS_HTTP_URL ? { url: e.SMS_HTTP_URL, token: e.SMS_HTTP_TOKEN, senderId: e.SMS_SENDER_ID } : undefined,
  };
}

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('applies the embedded defaults to an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toMatch(/data$/);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.logLevel).toBe('info');
    expect(c.uploadMaxBytes).toBe(100 * 1024 * 1024);
    expect(c.mediasoup.workers).toBeGreaterThanOrEqual(1);
    expect(c.mediasoup.rtcPort).toBe(40000);
    expect(c.smtp.host).toBeUndefined();
    expect(c.seedDemo).toBe(false);
    expect(c.production).toBe(false);
    expect(c.pdf).toEqual({ maxPages: 2000, inspectMemoryMb: 512, inspectTimeoutMs: 20_000 });
  });

  it.each([
    [{ PORT: '8080' }, (c: ReturnType<typeof loadConfig>) => c.port === 8080],
    [{ PORT: '' }, (c: ReturnType<typeof loadConfig>) => c.port === 3000],
    [{ DATABASE_URL: 'postgres://u:p@db/lajna' }, (c: ReturnType<typeof loadConfig>) => c.databaseUrl === 'postgres://u:p@db/lajna'],
    [{ LOG_LEVEL: 'debug' }, (c: ReturnType<typeof loadConfig>) => c.logLevel === 'debug'],
    [{ MEDIASOUP_ANNOUNCED_ADDRESS: '203.0.113.7' }, (c: ReturnType<typeof loadConfig>) => c.mediasoup.announcedAddress === '203.0.113.7'],
    [{ MEDIASOUP_WORKERS: '3' }, (c: ReturnType<typeof loadConfig>) => c.mediasoup.workers === 3],
    [{ SMTP_HOST: 'mail.example.tn', SMTP_PORT: '465', SMTP_SECURE: 'true' }, (c: ReturnType<typeof loadConfig>) => c.smtp.host === 'mail.example.tn' && c.smtp.port === 465 && c.smtp.secure],
    [{ UPLOAD_MAX_MB: '5' }, (c: ReturnType<typeof loadConfig>) => c.uploadMaxBytes === 5 * 1024 * 1024],
    [{}, (c: ReturnType<typeof loadConfig>) => c.sms === undefined],
    [{ SMS_SENDER: 'none', SMS_HTTP_URL: 'https://sms.example.tn/send' }, (c: ReturnType<typeof loadConfig>) => c.sms === undefined],
    [{ SMS_SENDER: 'http', SMS_HTTP_URL: 'https://sms.example.tn/send', SMS_HTTP_TOKEN: 'k', SMS_SENDER_ID: 'BALADIYA' },
      (c: ReturnType<typeof loadConfig>) => JSON.stringify(c.sms) === '{"url":"https://sms.example.tn/send","token":"k","senderId":"BALADIYA"}'],
    [{}, (c: ReturnType<typeof loadConfig>) => c.photoMaxBytes === 10 * 1024 * 1024],
    [{ PHOTO_MAX_MB: '3' }, (c: ReturnType<typeof loadConfig>) => c.photoMaxBytes === 3 * 1024 * 1024],
    [{ SEED_DEMO: '0' }, (c: ReturnType<typeof loadConfig>) => !c.seedDemo && c.trustProxy === false],
    [{}, (c: ReturnType<typeof loadConfig>) => c.loginMaxAttempts === 10 && c.loginWindowMs === 15 * 60_000 && c.loginMaxDelayMs === 60_000 && c.loginGlobalFailuresPerMinute === 100 && c.passwordHashThreads >= 1],
    [{ LOGIN_MAX_DELAY_SECONDS: '30', LOGIN_GLOBAL_FAILURES_PER_MINUTE: '500', PASSWORD_HASH_THREADS: '3' }, (c: ReturnType<typeof loadConfig>) => c.loginMaxDelayMs === 30_000 && c.loginGlobalFailuresPerMinute === 500 && c.passwordHashThreads === 3],
    [{ TRUST_PROXY: 'false' }, (c: ReturnType<typeof loadConfig>) => c.trustProxy === false],
    [{ TRUST_PROXY: '0' }, (c: ReturnType<typeof loadConfig>) => c.trustProxy === false],
    [{ TRUST_PROXY: '1' }, (c: ReturnType<typeof loadConfig>) => c.trustProxy === 1],
    [{ TRUST_PROXY: '2' }, (c: ReturnType<typeof loadConfig>) => c.trustProxy === 2],
    [{ TRUST_PROXY: '127.0.0.1' }, (c: ReturnType<typeof loadConfig>) => JSON.stringify(c.trustProxy) === '["127.0.0.1"]'],
    [{ TRUST_PROXY: ' 10.0.0.0/8, ::1 ,fd00::/8' }, (c: ReturnType<typeof loadConfig>) => JSON.stringify(c.trustProxy) === '["10.0.0.0/8","::1","fd00::/8"]'],
    [{ TRUST_PROXY: 'loopback, uniquelocal' }, (c: ReturnType<typeof loadConfig>) => JSON.stringify(c.trustProxy) === '["loopback","uniquelocal"]'],
    [{ SEED_DEMO: 'true' }, (c: ReturnType<typeof loadConfig>) => c.seedDemo && !c.production],
    [{ NODE_ENV: 'production' }, (c: ReturnType<typeof loadConfig>) => c.production && !c.seedDemo],
    [{ NODE_ENV: 'production', SEED_DEMO: 'false' }, (c: ReturnType<typeof loadConfig>) => c.production && !c.seedDemo],
    [{ NODE_ENV: 'development', SEED_DEMO: 'yes' }, (c: ReturnType<typeof loadConfig>) => !c.production && c.seedDemo],
    [{ PDF_MAX_PAGES: '50', PDF_INSPECT_MEMORY_MB: '1024', PDF_INSPECT_SECONDS: '5' }, (c: ReturnType<typeof loadConfig>) => c.pdf.maxPages === 50 && c.pdf.inspectMemoryMb === 1024 && c.pdf.inspectTimeoutMs === 5000],
    [{ CLIENT_DIR: '/srv/lajna/client' }, (c: ReturnType<typeof loadConfig>) => c.clientDir === '/srv/lajna/client'],
    [{}, (c: ReturnType<typeof loadConfig>) => c.clientDir.endsWith('/dist/client')],
    [{}, (c: ReturnType<typeof loadConfig>) => c.mediasoup.protocols.join() === 'udp,tcp' && c.turn === undefined],
    [{ MEDIASOUP_PROTOCOLS: 'tcp' }, (c: ReturnType<typeof loadConfig>) => c.mediasoup.protocols.join() === 'tcp'],
    [{ MEDIASOUP_PROTOCOLS: ' TCP , udp,tcp' }, (c: ReturnType<typeof loadConfig>) => c.mediasoup.protocols.join() === 'tcp,udp'],
    [{ TURN_URLS: 'turns:turn.example.tn:443?transport=tcp, turn:turn.example.tn:3478', TURN_SECRET: 'a-long-shared-secret' },
      (c: ReturnType<typeof loadConfig>) => c.turn?.urls.length === 2 && c.turn.ttlSeconds === 720 * 60 && !c.turn.relayOnly],
    [{ TURN_URLS: 'turns:t.example.tn:443', TURN_SECRET: 'a-long-shared-secret', TURN_TTL_MINUTES: '60', TURN_RELAY_ONLY: 'true' },
      (c: ReturnType<typeof loadConfig>) => c.turn?.ttlSeconds === 3600 && c.turn.relayOnly],
    [{}, (c: ReturnType<typeof loadConfig>) => c.signingPassphrase === undefined],
    [{ SIGNING_PASSPHRASE: ' a-long-signing-passphrase ' }, (c: ReturnType<typeof loadConfig>) => c.signingPassphrase === 'a-long-signing-passphrase'],
    [{ PORT: '3001' }, (c: ReturnType<typeof loadConfig>) => c.cluster.nodeId.endsWith('-3001') && c.cluster.leaseMs === 5000],
    [{ NODE_ID: 'node-1', LEASE_SECONDS: '8' }, (c: ReturnType<typeof loadConfig>) => c.cluster.nodeId === 'node-1' && c.cluster.leaseMs === 8000],
    [{ DATABASE_URL: 'postgres://db/lajna' }, (c: ReturnType<typeof loadConfig>) => !c.cluster.shared],
    [{ DATABASE_URL: 'postgres://db/lajna', SHARED_STORE: 'true' }, (c: ReturnType<typeof loadConfig>) => c.cluster.shared],
    [{ SHARED_STORE: 'true' }, (c: ReturnType<typeof loadConfig>) => !c.cluster.shared], // SQLite: one node only
  ])('accepts %j', (env, holds) => {
    expect(holds(loadConfig(env))).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '3.5' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ MEDIASOUP_WORKERS: '0' }, 'MEDIASOUP_WORKERS'],
    [{ MEDIASOUP_LISTEN_IP: 'not-an-ip' }, 'MEDIASOUP_LISTEN_IP'],
    [{ SMTP_PORT: '-1' }, 'SMTP_PORT'],
    [{ SMTP_SECURE: 'maybe' }, 'SMTP_SECURE'],
    [{ SMS_SENDER: 'smpp' }, 'SMS_SENDER'],
    [{ SMS_SENDER: 'http' }, 'SMS_HTTP_URL'],
    [{ SMS_SENDER: 'http', SMS_HTTP_URL: 'gateway.tn/send' }, 'SMS_HTTP_URL'],
    [{ UPLOAD_MAX_MB: '0' }, 'UPLOAD_MAX_MB'],
    [{ PDF_MAX_PAGES: '0' }, 'PDF_MAX_PAGES'],
    [{ PDF_MAX_PAGES: 'many' }, 'PDF_MAX_PAGES'],
    [{ PDF_INSPECT_MEMORY_MB: '64' }, 'PDF_INSPECT_MEMORY_MB'],
    [{ PDF_INSPECT_SECONDS: '0' }, 'PDF_INSPECT_SECONDS'],
    [{ PDF_INSPECT_SECONDS: '3600' }, 'PDF_INSPECT_SECONDS'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ NODE_ENV: 'production', SEED_DEMO: 'true' }, 'SEED_DEMO'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ LOGIN_MAX_DELAY_SECONDS: '0' }, 'LOGIN_MAX_DELAY_SECONDS'],
    [{ LOGIN_GLOBAL_FAILURES_PER_MINUTE: 'many' }, 'LOGIN_GLOBAL_FAILURES_PER_MINUTE'],
    [{ PASSWORD_HASH_THREADS: '0' }, 'PASSWORD_HASH_THREADS'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '*' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '0.0.0.0/0x' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '0.0.0.0/0' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '::/0' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'proxy.example.tn' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '127.0.0.1, nope' }, 'TRUST_PROXY'],
    [{ NODE_ENV: 'production', SEED_DEMO: '1' }, 'SEED_DEMO'],
    [{ MEDIASOUP_PROTOCOLS: 'sctp' }, 'MEDIASOUP_PROTOCOLS'],
    [{ MEDIASOUP_PROTOCOLS: ',' }, 'MEDIASOUP_PROTOCOLS'],
    [{ TURN_URLS: 'https://turn.example.tn', TURN_SECRET: 'a-long-shared-secret' }, 'TURN_URLS'],
    [{ TURN_URLS: 'turns:turn.example.tn:443' }, 'TURN_SECRET'],
    [{ TURN_SECRET: 'a-long-shared-secret' }, 'TURN_URLS'],
    [{ TURN_URLS: 'turns:turn.example.tn:443', TURN_SECRET: 'short' }, 'TURN_SECRET'],
    [{ TURN_URLS: 'turns:t.example.tn:443', TURN_SECRET: 'a-long-shared-secret', TURN_TTL_MINUTES: '0' }, 'TURN_TTL_MINUTES'],
    [{ TURN_RELAY_ONLY: 'true' }, 'TURN_RELAY_ONLY'],
    [{ SIGNING_PASSPHRASE: 'too-short' }, 'SIGNING_PASSPHRASE'],
    [{ NODE_ID: 'node 1' }, 'NODE_ID'],
    [{ NODE_ID: '-a' }, 'NODE_ID'],
    [{ LEASE_SECONDS: '0' }, 'LEASE_SECONDS'],
    [{ LEASE_SECONDS: '600' }, 'LEASE_SECONDS'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as ConfigError).problems.some((p) => p.startsWith(name))).toBe(true);
    }
  });

  it('reports every invalid variable at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems).toHaveLength(2);
    }
  });
});

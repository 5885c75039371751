import net from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxMessage } from '../../db/models';
import { OutboxWorker } from '../../server/services/OutboxWorker';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let smtp: SMTPServer;
let smtpPort: number;
const delivered: string[] = [];

beforeAll(async () => {
  t = await startTestServer();
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        delivered.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await t.close();
});

describe('the outbox worker', () => {
  it('survives a pass that fails as a whole (its table unreadable): logs it and sends once the database answers again', async () => {
    const lines: { msg: string }[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c, _e, done) => (lines.push(JSON.parse(String(c))), done()) }));
    const sequelize = t.server.sequelize;
    await OutboxMessage.create({ kind: 'test', toAddress: 'outbox-test@example.tn', subject: 'test', text: 'body', nextAttemptAt: new Date(0) });
    await sequelize.query('ALTER TABLE outbox RENAME TO outbox_away');
    const worker = OutboxWorker.create({ sequelize, smtp: { ...t.server.config.smtp, host: '127.0.0.1', port: smtpPort, secure: false }, log, pollMs: 20 });
    try {
      await expect.poll(() => lines.filter((l) => l.msg === 'outbox pass failed').length).toBeGreaterThanOrEqual(2);
      await sequelize.query('ALTER TABLE outbox_away RENAME TO outbox');
      await expect.poll(() => delivered).toContain('outbox-test@example.tn');
    } finally {
      await worker.close();
    }
  });
});

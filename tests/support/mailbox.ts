import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A port nothing listens on yet (for a server the test starts after the app, or never). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface ReceivedMail {
  to: string;
  raw: Buffer;
}

/** A local SMTP server standing in for the municipality's mail server: it keeps what it receives. */
export class Mailbox {
  private constructor(private readonly server: SMTPServer, readonly port: number, readonly mails: ReceivedMail[]) {}

  static async start(port = 0): Promise<Mailbox> {
    const mails: ReceivedMail[] = [];
    const server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          for (const r of session.envelope.rcptTo) mails.push({ to: r.address, raw: Buffer.concat(chunks) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    return new Mailbox(server, (server.server.address() as net.AddressInfo).port, mails);
  }

  /** The messages received for `to`, parsed (subject, text, html, attachments). */
  parsed(to: string): Promise<ParsedMail[]> {
    return Promise.all(this.mails.filter((m) => m.to === to).map((m) => simpleParser(m.raw)));
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

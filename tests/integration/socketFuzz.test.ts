import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../protocol/errors';
import type { Ack } from '../../protocol/meeting';
import { MEETING_REQUESTS } from '../../protocol/meetingRequests';
import { DEFAULT_RATE, EVENT_RATES } from '../../server/meeting/rateLimits';
import { agendaOfDossiers } from '../support/agenda';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { meetingSocket } from '../support/meetingSocket';
import { exampleOf, invalidInputs, storeSnapshot } from '../support/schemaFuzz';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Every client event of the `/meeting` namespace (protocol/meetingRequests.ts), driven with
 * malformed, oversized, wrong-type and wrong-role payloads generated from its zod schema, and
 * sent without a payload, with an extra argument, without an acknowledgement: each is
 * answered with a stable code naming no internals, nothing stored changes, and the server
 * still answers /api/health. The session stays a waiting room, where joining writes nothing.
 */
type Client = Socket;
type Role = 'member' | 'chair' | 'applicant' | 'otherCommittee';
const EMAILS: Record<Role, string> = {
  member: 'engineer@ain-draham.tn',
  chair: 'chair@ain-draham.tn',
  applicant: 'amina@example.tn',
  otherCommittee: 'member@tabarka.tn',
};
/** What the namespace accepts in one message (server/realtime/io.ts maxHttpBufferSize): larger is cut off by engine.io, tested apart. */
const MAX_MESSAGE = 256 * 1024;
const INTERNALS = /SQLITE|Sequelize|at \w+ \(|\.ts:\d|mediasoup|no such|ENOENT|EACCES|TypeError|undefined is/i;

let t: TestServer;
let sessionId: number;
const logins = {} as Record<Role, ApiClient>;
const opened: Client[] = [];

const joins = (role: Role) => role === 'member' || role === 'chair';

/** A fresh socket of `role`, joined to the session for the roles that sit on its committee. */
async function socketOf(role: Role): Promise<Client> {
  const socket = (await meetingSocket(t.url, logins[role])) as unknown as Client;
  opened.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  if (joins(role)) {
    const joined = (await socket.timeout(10_000).emitWithAck('join', { sessionId, mode: 'audio' })) as Ack<unknown>;
    if (!joined.ok) throw new Error(`join as ${role}: ${JSON.stringify(joined.error)}`);
  }
  return socket;
}

async function close(socket: Client): Promise<void> {
  if (socket.connected) await socket.timeout(10_000).emitWithAck('leave', {}).catch(() => undefined);
  socket.disconnect();
}

/** Sends each payload as `role`, on as many fresh sockets as the event's bucket needs (the limits are tested apart); the answers. */
async function sendAll(role: Role, event: string, sends: ((s: Client) => Promise<Ack<unknown>>)[]): Promise<Ack<unknown>[]> {
  // (A socket of the committee has spent one join already.)
  const capacity = (EVENT_RATES[event] ?? DEFAULT_RATE).capacity - (event === 'join' && joins(role) ? 1 : 0);
  const answers: Ack<unknown>[] = [];
  for (let i = 0; i < sends.length; i += capacity) {
    const socket = await socketOf(role);
    for (const send of sends.slice(i, i + capacity)) answers.push(await send(socket));
    await close(socket);
  }
  return answers;
}

const withAck = (event: string, ...args: unknown[]) => (s: Client) => s.timeout(10_000).emitWithAck(event, ...args) as Promise<Ack<unknown>>;
/** Without an acknowledgement callback the refusal comes as `requestRefused`. */
const withoutAck = (event: string, payload: unknown) => (s: Client) =>
  new Promise<Ack<unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event} without ack: no requestRefused`)), 10_000);
    s.once('requestRefused', ({ event: refused, error }: { event: string; error: never }) => {
      clearTimeout(timer);
      expect(refused).toBe(event);
      resolve({ ok: false, error });
    });
    s.emit(event, payload);
  });

function expectRefused(answer: Ack<unknown>, label: string, code?: string): void {
  expect(answer.ok, `${label} → ${JSON.stringify(answer)}`).toBe(false);
  if (answer.ok) return;
  expect(ERROR_CODES, label).toContain(answer.error.code);
  if (code) expect(answer.error.code, label).toBe(code);
  expect(JSON.stringify(answer.error), label).not.toMatch(INTERNALS);
}

beforeAll(async () => {
  t = await startTestServer();
  sessionId = await createRemoteSession();
  await agendaOfDossiers(t.url, sessionId, [{}]);
  for (const role of Object.keys(EMAILS) as Role[]) logins[role] = await ApiClient.loggedIn(t.url, EMAILS[role]);
}, 180_000);
afterAll(async () => {
  for (const s of opened) s.disconnect();
  await t?.close();
});

describe('socket fuzz: every /meeting event', () => {
  it('refuses every malformed, oversized, wrong-type and wrong-role payload with a stable code, writes nothing, and stays up', async () => {
    const events = Object.keys(MEETING_REQUESTS) as (keyof typeof MEETING_REQUESTS)[];
    expect(events.length).toBeGreaterThan(30);
    let sent = 0;
    for (const event of events) {
      const schema = MEETING_REQUESTS[event];
      const before = await storeSnapshot(t);
      const malformed = [undefined, ...invalidInputs(schema, MAX_MESSAGE - 1024)];
      const example = exampleOf(schema);

      // Malformed payloads, from a member in the room and from someone who may not even join.
      for (const role of ['member', 'applicant'] as const) {
        const answers = await sendAll(role, event, malformed.map((p) => withAck(event, p)));
        answers.forEach((a, i) => expectRefused(a, `${event} as ${role} ${String(JSON.stringify(malformed[i])).slice(0, 120)}`, 'invalid_payload'));
        sent += answers.length;
      }
      // The shape of a request: no payload, an extra argument, no acknowledgement.
      const shapes = [withAck(event), withAck(event, example, 'extra'), withAck(event, example, example), withoutAck(event, example), withoutAck(event, 'x')];
      const shaped = await sendAll('member', event, shapes);
      shaped.forEach((a, i) => expectRefused(a, `${event} request shape #${i}`, 'invalid_payload'));
      sent += shaped.length;
      // Wrong roles with a well-formed payload: nobody on this committee; a member for a seat-restricted event.
      const wrong: Role[] = ['applicant', 'otherCommittee'];
      if (t.server.meeting.seatsFor(event) && !t.server.meeting.seatsFor(event)!.includes('voting')) wrong.push('member');
      for (const role of wrong) {
        const [answer] = await sendAll(role, event, [withAck(event, example)]);
        expectRefused(answer!, `${event} as ${role} ${JSON.stringify(example)}`);
        sent++;
      }

      expect(await storeSnapshot(t), `${event} wrote something`).toEqual(before);
      expect((await fetch(`${t.url}/api/health`)).status, `${event} left the server down`).toBe(200);
    }
    console.log(`socket fuzz: ${events.length} events, ${sent} requests`);
  }, 600_000);

  it('refuses events nobody answers, and prototype-polluting event names, with invalid_payload', async () => {
    const socket = await socketOf('member');
    for (const event of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(10_000)]) {
      expectRefused(await withAck(event, {})(socket), `event ${event.slice(0, 20)}`, 'invalid_payload');
    }
    await close(socket);
  });

  it('cuts off a message larger than the namespace accepts, writes nothing, and serves the next connection', async () => {
    const before = await storeSnapshot(t);
    const socket = await socketOf('member');
    const cut = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('raiseHand', { blob: 'x'.repeat(MAX_MESSAGE + 1) }, () => undefined);
    expect(['transport close', 'transport error']).toContain(await cut);
    expect(await storeSnapshot(t)).toEqual(before);
    const next = await socketOf('member');
    expect(await withAck('raiseHand', {})(next)).toEqual({ ok: true, data: null });
    await close(next);
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatMessage, User } from '../../db/models';
import type { ChatMessageView } from '../../protocol/chat';
import type { MeetingSnapshot } from '../../protocol/meeting';
import type { MinutesView } from '../../protocol/minutes';
import { auditEntries } from '../../server/services/audit';
import { ApiClient } from '../support/http';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingData, meetingRequest, meetingSocket, nextEvent, openSession, type MeetingClient } from '../support/meetingSocket';
import { pdfText } from '../support/pdfText';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let sessionId: number;
const sockets = new Map<string, MeetingClient>();
const id = async (who: string) => (await User.findOne({ where: { email: `${who}@ain-draham.tn` } }))!.id;
const messages = () => ChatMessage.count({ where: { sessionId } });

async function joined(who: string): Promise<{ socket: MeetingClient; snapshot: MeetingSnapshot }> {
  const socket = await meetingSocket(t.url, `${who}@ain-draham.tn`);
  sockets.set(who, socket);
  return { socket, snapshot: await joinMeeting(socket, sessionId) };
}
const say = (who: string, text: unknown) => meetingRequest<ChatMessageView>(sockets.get(who)!, 'sendChat', { text });

beforeAll(async () => {
  t = await startTestServer();
  sessionId = await createRemoteSession();
  for (const who of ['chair', 'secretary', 'architect', 'engineer']) await joined(who);
}, 60_000);

afterAll(async () => {
  for (const s of sockets.values()) s.disconnect();
  await t?.close();
});

describe('the meeting chat', () => {
  it('is refused in the waiting room: nothing is recorded before the chair opens the session', async () => {
    const res = await say('architect', 'Bonjour');
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    expect(await messages()).toBe(0);
  });

  it('sends a message to everyone once persisted, with its author and time, cleaned as typed text is', async () => {
    await openSession(sockets.get('chair')!);
    const received = nextEvent(sockets.get('engineer')!, 'chatMessage');
    const before = Date.now();
    // A right-to-left override would show the link reversed: it is removed where the text enters.
    const res = await say('architect', '  الملف ADR-2026-0001 \u202Ehttps://example.tn/plan\u202C  ');
    expect(res.ok).toBe(true);
    const sent = (res as { data: ChatMessageView }).data;
    expect(sent).toMatchObject({ authorId: await id('architect'), nameFr: expect.any(String), text: 'الملف ADR-2026-0001 https://example.tn/plan' });
    expect(Date.parse(sent.sentAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await received).toEqual(sent);
    const row = (await ChatMessage.findByPk(sent.id))!;
    expect({ sessionId: row.sessionId, authorId: row.authorId, text: row.text, sentAt: row.sentAt.toISOString() }).toEqual({
      sessionId, authorId: sent.authorId, text: sent.text, sentAt: sent.sentAt,
    });
  });

  it('gives a late joiner, and a reconnect, the history in order', async () => {
    await say('engineer', 'Merci, je regarde le plan de masse.');
    const { snapshot } = await joined('urbanism');
    expect(snapshot.features.chat.map((m) => m.text)).toEqual(['الملف ADR-2026-0001 https://example.tn/plan', 'Merci, je regarde le plan de masse.']);
    expect(snapshot.features.chat.map((m) => m.authorId)).toEqual([await id('architect'), await id('engineer')]);
  });

  it.each([
    ['an empty message', { text: '   ' }],
    ['a message longer than 2000 characters', { text: 'a'.repeat(2001) }],
    ['a text that is not a string', { text: 42 }],
    ['an unknown field', { text: 'x', to: 3 }],
    ['no text', {}],
  ])('refuses %s with invalid_payload and records nothing', async (_case, payload) => {
    const count = await messages();
    const res = await meetingRequest(sockets.get('engineer')!, 'sendChat', payload);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await messages()).toBe(count);
  });

  it('limits each member to a burst of five messages; the sixth is refused with how long to wait, and others may still write', async () => {
    const results = [];
    for (let i = 1; i <= 6; i++) results.push(await say('urbanism', `message ${i}`));
    expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(results[5]).toMatchObject({ ok: false, error: { code: 'too_many_attempts', details: { limit: 'chat', max: 5, windowSeconds: 10 } } });
    const wait = (results[5] as { error: { details: { retryAfterSeconds: number } } }).error.details.retryAfterSeconds;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(10);
    expect(await ChatMessage.count({ where: { sessionId, text: 'message 6' } })).toBe(0);
    expect(await say('chair', 'On reprend.')).toMatchObject({ ok: true });
  });
});

describe('the chat in the minutes', () => {
  let excludedId: number;

  it('is the annex of the draft: every message with author and time', async () => {
    const minutes = await meetingData<MinutesView>(sockets.get('secretary')!, 'getMinutes', {});
    const chat = minutes.content.chat!;
    expect(chat).toHaveLength(await messages());
    expect(chat[0]).toMatchObject({ userId: await id('architect'), text: 'الملف ADR-2026-0001 https://example.tn/plan', excluded: null });
    excludedId = chat.find((m) => m.text === 'message 3')!.messageId;
  });

  it.each([
    ['by anyone but the secretary', 'chair', () => ({ excludeChat: { [excludedId]: 'hors sujet' } }), 'forbidden'],
    ['without a reason', 'secretary', () => ({ excludeChat: { [excludedId]: '  ' } }), 'invalid_payload'],
    ['of a message that is not in these minutes', 'secretary', () => ({ excludeChat: { 999999: 'hors sujet' } }), 'not_found'],
    ['with a malformed message id', 'secretary', () => ({ excludeChat: { abc: 'hors sujet' } }), 'invalid_payload'],
  ])('refuses an exclusion %s, and changes nothing', async (_case, who, edit, code) => {
    const auditBefore = (await auditEntries()).length;
    const res = await meetingRequest(sockets.get(who)!, 'editMinutes', edit());
    expect(res).toMatchObject({ ok: false, error: { code } });
    const minutes = await meetingData<MinutesView>(sockets.get('secretary')!, 'getMinutes', {});
    expect(minutes.content.chat!.every((m) => m.excluded === null)).toBe(true);
    expect((await auditEntries()).length).toBe(auditBefore);
  });

  it('lets the secretary exclude a message with a reason: the text leaves the annex, the reason and who said it when stay, it is audited and final', async () => {
    const minutes = await meetingData<MinutesView>(sockets.get('secretary')!, 'editMinutes', { excludeChat: { [excludedId]: 'Message personnel, sans rapport avec le dossier.' } });
    const entry = minutes.content.chat!.find((m) => m.messageId === excludedId)!;
    expect(entry).toMatchObject({ userId: await id('urbanism'), text: '', excluded: { reason: 'Message personnel, sans rapport avec le dossier.' } });
    expect((await auditEntries()).at(-1)).toMatchObject({
      actorId: await id('secretary'), action: 'minutes.chat_excluded', payload: { sessionId, messageId: excludedId, reason: 'Message personnel, sans rapport avec le dossier.' },
    });
    // The session's record itself keeps the message: only the annex leaves it out.
    expect((await ChatMessage.findByPk(excludedId))!.text).toBe('message 3');
    const again = await meetingRequest(sockets.get('secretary')!, 'editMinutes', { excludeChat: { [excludedId]: 'autre raison' } });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('keeps the exclusion as the draft follows the records, and prints the annex in the finalized PDFs', async () => {
    await say('architect', 'Dernier message avant la clôture.');
    const minutes = await meetingData<MinutesView>(sockets.get('secretary')!, 'getMinutes', {});
    expect(minutes.content.chat!.at(-1)!.text).toBe('Dernier message avant la clôture.');
    expect(minutes.content.chat!.find((m) => m.messageId === excludedId)!.excluded).toEqual({ reason: 'Message personnel, sans rapport avec le dossier.' });

    await meetingData(sockets.get('chair')!, 'endSession', {});
    const office = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
    expect((await office.post(`/api/minutes/${sessionId}/finalize`)).status).toBe(200);
    const fr = pdfText(Buffer.from(await (await fetch(`${t.url}/api/minutes/${sessionId}/pdf?lang=fr`, { headers: { cookie: office.cookieHeader } })).arrayBuffer()));
    expect(fr).toContain('Annexe — messages écrits pendant la séance');
    expect(fr).toContain('Dernier message avant la clôture.');
    expect(fr).toContain('message retiré de l’annexe par le secrétariat: Message personnel, sans rapport avec le dossier.');
    expect(fr).not.toContain('message 3');
  });
});

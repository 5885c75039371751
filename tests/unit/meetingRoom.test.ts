import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MeetingRoom, type MeetingChannel, type MeetingRoomEvents } from '../../server/meeting/MeetingRoom';

/** What the room sent, and to whom: the room's only way out. */
function recordingChannel() {
  const sent: { to: string; event: string; args: unknown[] }[] = [];
  const members = new Set<string>();
  const channel: MeetingChannel = {
    add: (id) => void members.add(id),
    remove: (id) => void members.delete(id),
    toAll: (event, ...args) => void sent.push({ to: 'all', event, args }),
    toConnections: (ids, event, ...args) => void sent.push({ to: ids.join(','), event, args }),
    toAllBut: (id, event, ...args) => void sent.push({ to: `all-but-${id}`, event, args }),
  };
  return { channel, sent, members };
}

const chair = { userId: 1, nameAr: 'الرئيس', nameFr: 'Président' };
const architect = { userId: 2, nameAr: 'المهندس', nameFr: 'Architecte' };

function roomWithEvents() {
  const { channel, sent, members } = recordingChannel();
  const room = new MeetingRoom(7, 3, { status: 'planned', startsAt: '2026-03-02T08:30:00.000Z', openedAt: null }, channel, { graceMs: 60_000 });
  const events: string[] = [];
  for (const name of ['joined', 'connectionleft', 'absent', 'participantleft', 'presencechanged', 'modechanged', 'seatchanged', 'emptied', 'opened', 'closed'] as (keyof MeetingRoomEvents)[]) {
    room.on(name, (...args: unknown[]) => {
      const first = args[0] as { userId?: number } | number[] | number | undefined;
      const who = typeof first === 'number' ? first : Array.isArray(first) ? `[${first.join(',')}]` : first?.userId ?? '';
      events.push(`${name}:${who}`);
    });
  }
  return { room, sent, members, events };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('MeetingRoom, in memory', () => {
  it('counts a member with two connections once, and keeps them present until the last goes', () => {
    const { room, events, members } = roomWithEvents();
    room.join('a1', architect, 'voting', 'audio');
    room.join('a2', architect, 'voting', 'audio');
    room.join('c1', chair, 'chair', 'video');
    expect(room.presentUserIds).toEqual([2, 1]);
    expect(room.participantList()).toHaveLength(2);
    expect([...members]).toEqual(['a1', 'a2', 'c1']);
    room.leave('a1', 2, false);
    expect(room.participants.get(2)!.status).toBe('present');
    expect(events).toEqual(['joined:2', 'presencechanged:[2]', 'joined:2', 'joined:1', 'presencechanged:[2,1]', 'connectionleft:2']);
  });

  it('keeps a dropped member as reconnecting for the grace period, then they have left for good', () => {
    const { room, events } = roomWithEvents();
    room.join('c1', chair, 'chair', 'video');
    room.join('a1', architect, 'voting', 'audio');
    events.length = 0;
    room.leave('a1', 2, false);
    expect(room.participants.get(2)!.status).toBe('reconnecting');
    expect(room.presentUserIds).toEqual([1]);
    vi.advanceTimersByTime(59_999);
    expect(room.participants.has(2)).toBe(true);
    vi.advanceTimersByTime(1);
    expect(room.participants.has(2)).toBe(false);
    expect(events).toEqual(['connectionleft:2', 'absent:2', 'presencechanged:[1]', 'presencechanged:[1]', 'participantleft:2']);
  });

  it('a return within the grace period is the same participant, with the mode it comes back in', () => {
    const { room, events } = roomWithEvents();
    room.join('c1', chair, 'chair', 'video');
    room.join('a1', architect, 'voting', 'video');
    room.leave('a1', 2, false);
    events.length = 0;
    vi.advanceTimersByTime(30_000);
    room.join('a2', architect, 'voting', 'audio');
    vi.advanceTimersByTime(60_000);
    expect(room.participants.get(2)).toMatchObject({ status: 'present', mode: 'audio' });
    expect(events).toEqual(['joined:2', 'modechanged:2', 'presencechanged:[1,2]']);
  });

  it('an explicit leave removes the member at once; the room closes when nobody may come back', () => {
    const { room, events } = roomWithEvents();
    room.join('a1', architect, 'voting', 'audio');
    room.join('c1', chair, 'chair', 'video');
    room.leave('a1', 2, true);
    expect(room.participants.has(2)).toBe(false);
    room.leave('c1', 1, false);
    expect(room.closed).toBe(false);
    expect(events.slice(-3)).toEqual(['absent:1', 'presencechanged:[]', 'emptied:']);
    vi.advanceTimersByTime(60_000);
    expect(room.closed).toBe(true);
    expect(events.slice(-2)).toEqual(['participantleft:1', 'closed:']);
  });

  it('a mode switch is an event (the media and the attendance follow it); audio-only turns the camera off', () => {
    const { room, events, sent } = roomWithEvents();
    room.join('a1', architect, 'voting', 'video');
    room.setMedia(2, { cameraOn: true });
    events.length = 0;
    sent.length = 0;
    room.setMode(2, 'video');
    expect(events).toEqual([]);
    room.setMode(2, 'audio');
    expect(events).toEqual(['modechanged:2']);
    expect(room.participants.get(2)).toMatchObject({ mode: 'audio', cameraOn: false });
    expect(sent.map((m) => m.event)).toEqual(['participants']);
  });

  it('a seat changed is the seat the room checks from then on; no seat any more and every connection of the member leaves', () => {
    const { room, events } = roomWithEvents();
    room.join('c1', chair, 'chair', 'video');
    room.join('a1', architect, 'voting', 'audio');
    room.join('a2', architect, 'voting', 'audio');
    events.length = 0;
    expect(room.changeSeat(2, 'consultative')).toEqual([]);
    expect(room.seatOf(2)).toBe('consultative');
    expect(room.changeSeat(2, null)).toEqual(['a1', 'a2']);
    expect(room.participants.has(2)).toBe(false);
    expect(() => room.participant('a1', 2)).toThrow(/join the meeting first/);
    expect(events).toEqual(['seatchanged:2', 'connectionleft:2', 'connectionleft:2', 'absent:2', 'presencechanged:[1]', 'participantleft:2']);
  });

  it('ends for everyone: each connection leaves for good, then the room closes; nobody joins a closed room', () => {
    const { room, events, members } = roomWithEvents();
    room.join('c1', chair, 'chair', 'video');
    room.join('a1', architect, 'voting', 'audio');
    events.length = 0;
    room.end();
    expect(room.closed).toBe(true);
    expect(members.size).toBe(0);
    expect(events.filter((e) => e.startsWith('absent') || e.startsWith('participantleft') || e === 'closed:')).toEqual([
      'absent:1', 'participantleft:1', 'absent:2', 'participantleft:2', 'closed:',
    ]);
    expect(() => room.join('a3', architect, 'voting', 'audio')).toThrow(/closed/);
  });

  it('is a waiting room until the chair opens the session, once', () => {
    const { room, events, sent } = roomWithEvents();
    room.join('c1', chair, 'chair', 'video');
    expect(room.inSession).toBe(false);
    events.length = 0;
    sent.length = 0;
    const live = { status: 'live', startsAt: '2026-03-02T08:30:00.000Z', openedAt: '2026-03-02T08:34:00.000Z' } as const;
    room.open(live);
    room.open({ ...live, openedAt: '2026-03-02T09:00:00.000Z' });
    expect(room.inSession).toBe(true);
    expect(room.session).toEqual(live);
    expect(events).toEqual(['opened:']);
    expect(sent).toEqual([{ to: 'all', event: 'sessionOpened', args: [live] }]);
  });

  it('sends to one member every connection of theirs, and to all but the sender', () => {
    const { room, sent } = roomWithEvents();
    room.join('c1', chair, 'chair', 'video');
    room.join('a1', architect, 'voting', 'audio');
    room.join('a2', architect, 'voting', 'audio');
    sent.length = 0;
    room.sendTo(2, 'mutedByChair', { byUserId: 1 });
    room.broadcastExcept('c1', 'pointer', { userId: 1, at: null });
    room.sendTo(99, 'mutedByChair', { byUserId: 1 });
    expect(sent).toEqual([
      { to: 'a1,a2', event: 'mutedByChair', args: [{ byUserId: 1 }] },
      { to: 'all-but-c1', event: 'pointer', args: [{ userId: 1, at: null }] },
    ]);
  });
});

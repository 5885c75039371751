import { createStore, type SetStoreFunction } from 'solid-js/store';
import { io, type Socket } from 'socket.io-client';
import type { GuestClientEvents, GuestRoom, GuestServerEvents, GuestView, HearingEndReason } from '../../protocol/hearings';
import type { Participant } from '../../protocol/meeting';
import type { AgendaItemInfo, PresentationState } from '../../protocol/presentation';
import { MediaSession, type JoinOptions } from '../meeting/MediaSession';
import type { MeetingSocket } from '../meeting/signalling';

export interface GuestState {
  /**
   * connecting: to the waiting room; lobby: waiting for the chair; admitted: heard in the room;
   * lost: the connection dropped (trying again); ended: the hearing is over (`endReason`);
   * left: the guest left; refused: their login no longer lets them in (`error`).
   */
  phase: 'connecting' | 'lobby' | 'admitted' | 'lost' | 'ended' | 'left' | 'refused';
  endReason?: HearingEndReason;
  error?: string;
  /** Back in the waiting room after the connection dropped (the chair admits them again). */
  again: boolean;
  /** The guest's id in the room (what their media are tagged with), for their own tile. */
  self: { userId: number };
  /** The committee. */
  participants: Participant[];
  activeSpeaker: number | null;
  /** Their agenda item, once admitted: its documents are the only ones they see. */
  item: AgendaItemInfo | null;
  /** Where the presenter is while their item is the open one. */
  presentation: PresentationState | null;
}

type GuestSocket = Socket<GuestServerEvents, GuestClientEvents>;

/**
 * The invited guest's connection to their hearing: the `/hearing` socket (the guest cookie
 * is its login), the waiting room, the admission and the end, and their MediaSession.
 * The namespace answers /meeting's media requests with the same payloads and sends the same
 * media events (protocol/hearings GuestClientEvents, GuestServerEvents): the members'
 * MediaSession runs on it as it is, given the socket under /meeting's type. Every
 * (re)connection enters the waiting room again: the server forgets a dropped guest.
 */
export class GuestConnection {
  readonly state: GuestState;
  readonly #set: SetStoreFunction<GuestState>;
  readonly socket: GuestSocket;
  readonly media: MediaSession;

  constructor(readonly guest: GuestView, options: JoinOptions) {
    [this.state, this.#set] = createStore<GuestState>({
      phase: 'connecting', again: false, self: { userId: -guest.invitationId }, participants: [], activeSpeaker: null, item: null, presentation: null,
    });
    // The session in the query is what the load balancer routes on, as for the members.
    this.socket = io('/hearing', { transports: ['websocket'], query: { session: String(guest.sessionId) }, reconnectionDelay: 500, reconnectionDelayMax: 2000 });
    this.media = new MediaSession(this.socket as unknown as MeetingSocket, {
      // A guest has no audio-only mode on the server: their camera goes off instead.
      dropVideo: () => void (this.media.state.cameraOn && this.media.toggleCamera()),
      rebuild: () => void (this.state.phase === 'admitted' && this.#enter()),
    });
    this.media.configure(options);
    this.#wire();
  }

  #wire(): void {
    const s = this.socket;
    s.on('connect', () => void this.#enter());
    s.on('disconnect', (reason) => {
      if (this.#over() || reason === 'io client disconnect') return;
      // The server lets a connection go only when another tab of the guest took its place (an end is said first).
      if (reason === 'io server disconnect') this.#refuse('elsewhere');
      else this.#set('phase', 'lost');
    });
    s.on('connect_error', (e) => {
      const code = (e as Error & { data?: { error?: { code?: string } } }).data?.error?.code;
      if (code === 'unauthenticated') this.#refuse('over');
      else if (!this.#over()) this.#set('phase', 'lost');
    });
    s.on('admitted', (room) => void this.#admitted(room));
    s.on('hearingEnded', ({ reason }) => {
      this.#set({ phase: 'ended', endReason: reason });
      this.#stop();
    });
    s.on('participants', (list) => this.#set('participants', list));
    s.on('activeSpeaker', (userId) => this.#set('activeSpeaker', userId));
    s.on('presentation', (presentation) => this.#set('presentation', presentation));
  }

  #over(): boolean {
    return ['ended', 'left', 'refused'].includes(this.state.phase);
  }

  async #enter(): Promise<void> {
    const again = this.state.phase === 'lost';
    const res = await this.socket.timeout(15_000).emitWithAck('enterLobby', {}).catch(() => null);
    if (!res) return void (this.#over() || this.#set('phase', 'lost'));
    if (!res.ok) return this.#refuse(res.error.code);
    if (res.data.room) await this.#admitted(res.data.room);
    else this.#set({ phase: 'lobby', again });
  }

  async #admitted(room: GuestRoom): Promise<void> {
    this.#set({
      phase: 'admitted', again: false, participants: room.participants, activeSpeaker: room.media.activeSpeaker, item: room.item, presentation: room.presentation,
    });
    await this.media.start(room.media.routerRtpCapabilities, room.media.producers);
  }

  #refuse(code: string): void {
    this.#set({ phase: 'refused', error: code });
    this.#stop();
  }

  /** Out of the waiting room or the room, by the guest's own choice. */
  async leave(): Promise<void> {
    if (this.#over()) return;
    if (this.socket.connected) await this.socket.timeout(5_000).emitWithAck('leave', {}).catch(() => undefined);
    this.#set('phase', 'left');
    this.#stop();
  }

  #stop(): void {
    this.media.close();
    this.socket.disconnect();
  }
}

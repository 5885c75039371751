import { createStore, type SetStoreFunction } from 'solid-js/store';
import { io } from 'socket.io-client';
import type { MeetingClientEvents, MeetingFeatureSnapshots, MeetingSession, MeetingSnapshot, Participant, PresenceMode } from '../../protocol/meeting';
import { MediaSession, type JoinOptions } from './MediaSession';
import { request, RequestError, type MeetingSocket, type RequestData } from './signalling';

export interface MeetingState {
  /** `lobby`: on the pre-join screen, the socket already open and authenticated, not yet in the meeting. */
  phase: 'lobby' | 'connecting' | 'joined' | 'reconnecting' | 'left' | 'refused' | 'ended';
  error?: string;
  /** Where the session stands: a waiting room until the chair opens it. */
  session?: MeetingSession;
  self?: MeetingSnapshot['self'];
  participants: Participant[];
  hands: number[];
  activeSpeaker: number | null;
  /**
   * Each feature's part of the latest join snapshot (`MeetingSnapshot.features`), replaced
   * on every (re)join: a feature's client state starts again from it, then follows events.
   * Empty until the first join.
   */
  features: Partial<MeetingFeatureSnapshots>;
}

/**
 * A member's connection to a session's meeting: the /meeting socket, the membership it
 * carries (presence, hands, the features' snapshots) and the member's MediaSession. Every
 * socket (re)connect joins again and has the media rebuilt.
 */
export class MeetingConnection {
  readonly state: MeetingState;
  readonly #set: SetStoreFunction<MeetingState>;
  readonly socket: MeetingSocket;
  readonly media: MediaSession;

  /**
   * Opens the socket at once, on the pre-join screen: when the member clicks "join", the
   * connection and its authentication are already done and the join goes out immediately.
   */
  constructor(readonly sessionId: number) {
    [this.state, this.#set] = createStore<MeetingState>({
      phase: 'lobby',
      participants: [],
      hands: [],
      activeSpeaker: null,
      features: {},
    });
    // The session in the query is what the load balancer routes on (several app nodes): every socket of a session reaches one node.
    this.socket = io('/meeting', { transports: ['websocket'], query: { session: String(sessionId) }, reconnectionDelay: 500, reconnectionDelayMax: 2000 });
    this.media = new MediaSession(this.socket, {
      dropVideo: () => void this.setMode('audio').catch((e: Error) => console.warn('audio-only refused', e.message)),
      rebuild: () => void (this.state.phase === 'joined' && this.#join()),
    });
    this.#wire();
  }

  /** Enters the meeting with the devices chosen on the pre-join screen. */
  enter(options: JoinOptions): void {
    this.media.configure(options);
    this.#set({ phase: 'connecting' });
    if (this.socket.connected) void this.#join();
  }

  request<E extends keyof MeetingClientEvents>(event: E, payload: Parameters<MeetingClientEvents[E]>[0]): Promise<RequestData<E>> {
    return request(this.socket, event, payload);
  }

  #wire(): void {
    const s = this.socket;
    // Every (re)connect joins again and rebuilds media: the server closed the old transports with the old socket.
    s.on('connect', () => void (this.state.phase !== 'lobby' && this.#join()));
    s.on('disconnect', () => {
      if (this.state.phase === 'joined') this.#set('phase', 'reconnecting');
    });
    s.on('connect_error', (e) => {
      const code = (e as Error & { data?: { error?: { code?: string } } }).data?.error?.code;
      if (code === 'unauthenticated') this.#refuse(code);
    });
    s.on('participants', (list) => this.#set('participants', list));
    s.on('hands', (queue) => this.#set('hands', queue));
    s.on('activeSpeaker', (userId) => this.#set('activeSpeaker', userId));
    s.on('sessionOpened', (session) => this.#set('session', session));
    s.on('sessionEnded', () => {
      this.#stop();
      this.#set('phase', 'ended');
    });
    // Logged out (another tab), the login expired, or taken off the committee: out of the meeting now.
    s.on('rightsRevoked', ({ reason }) => {
      this.media.close();
      this.#refuse(reason === 'seat_removed' ? 'forbidden' : 'unauthenticated');
    });
  }

  async #join(): Promise<void> {
    try {
      const snapshot = await this.request('join', { sessionId: this.sessionId, mode: this.media.state.mode });
      const { media, hands } = snapshot.features;
      this.#set({
        phase: 'joined', session: snapshot.session, self: snapshot.self, participants: snapshot.participants, hands, activeSpeaker: media.activeSpeaker,
        features: snapshot.features,
      });
      await this.media.start(media.routerRtpCapabilities, media.producers);
    } catch (e) {
      if (e instanceof RequestError && e.code === 'wrong_node') return this.#goTo(e.details);
      if (e instanceof RequestError && ['forbidden', 'not_found', 'invalid_transition'].includes(e.code)) this.#refuse(e.code);
      else {
        console.warn('meeting join failed', e);
        this.#set('error', (e as Error).message);
      }
    }
  }

  /**
   * Another app node holds the meeting: the socket reconnects asking the load balancer for it
   * (`node` in the query). If that node is gone, the balancer picks a live one, which takes
   * the session once the dead node's lease has run out; until then the join is refused again
   * and the reconnection's backoff paces the retries.
   */
  #goTo(details: unknown): void {
    const node = (details as { node?: unknown } | undefined)?.node;
    if (typeof node !== 'string') return void this.#set('error', 'wrong_node');
    this.socket.io.opts.query = { session: String(this.sessionId), node };
    // Closing the transport (not the socket) lets the manager reconnect by itself, with its backoff.
    this.socket.io.engine.close();
  }

  #refuse(code: string): void {
    this.#set({ phase: 'refused', error: code });
    this.socket.disconnect();
  }

  /** Switches between video and audio-only: the server first, then the media (back to video consumes what is sent now). */
  async setMode(mode: PresenceMode): Promise<void> {
    await this.request('setMode', { mode });
    const producers = mode === 'video' ? (await this.request('join', { sessionId: this.sessionId, mode })).features.media.producers : [];
    await this.media.applyMode(mode, producers);
  }

  toggleHand(): Promise<null> {
    const raised = this.state.self && this.state.hands.includes(this.state.self.userId);
    return this.request(raised ? 'lowerHand' : 'raiseHand', {});
  }

  async leave(): Promise<void> {
    if (this.state.phase === 'ended' || this.state.phase === 'left') return;
    if (this.socket.connected && this.state.phase !== 'lobby') await this.request('leave', {}).catch(() => undefined);
    this.#stop();
    this.#set('phase', 'left');
  }

  /** Chair only: opens the session for everyone (the waiting room becomes the session). */
  async openSession(): Promise<void> {
    this.#set('session', await this.request('openSession', {}));
  }

  /** Chair only: ends the session for everyone. The end itself disconnects the room, which is not a failure of the request. */
  endSession(): Promise<null> {
    return this.request('endSession', {}).catch((e: unknown) => {
      if (this.state.phase === 'ended') return null;
      throw e;
    });
  }

  #stop(): void {
    this.media.close();
    this.socket.disconnect();
  }
}

import { Device, types } from 'mediasoup-client';
import { createSignal, type Accessor } from 'solid-js';
import { createStore, produce, type SetStoreFunction } from 'solid-js/store';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ConsumerInfo,
  LinkQuality,
  MeetingClientEvents,
  MeetingServerEvents,
  MeetingSnapshot,
  Participant,
  PresenceMode,
  ProducerInfo,
  TransportInfo,
} from '../../protocol/meeting';

type MeetingSocket = Socket<MeetingServerEvents, MeetingClientEvents>;

/** A remote track being received, for one member's tile or audio. */
export interface RemoteTrack {
  consumerId: string;
  producerId: string;
  userId: number;
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  paused: boolean;
}

export interface MeetingState {
  /** `lobby`: on the pre-join screen, the socket already open and authenticated, not yet in the meeting. */
  phase: 'lobby' | 'connecting' | 'joined' | 'reconnecting' | 'left' | 'refused' | 'ended';
  error?: string;
  self?: MeetingSnapshot['self'];
  participants: Participant[];
  hands: number[];
  activeSpeaker: number | null;
  remote: RemoteTrack[];
  micOn: boolean;
  cameraOn: boolean;
  mode: PresenceMode;
  mutedByChair: boolean;
  quality: LinkQuality;
  /** The link looks too weak for video: offer audio-only. */
  proposeAudioOnly: boolean;
  /**
   * Each feature's part of the latest join snapshot (`MeetingSnapshot.features`), replaced
   * on every (re)join: a feature's client state starts again from it, then follows events.
   */
  features: Record<string, unknown>;
}

export interface JoinOptions {
  mode: PresenceMode;
  /** Local tracks chosen on the pre-join screen. */
  mic?: MediaStreamTrack;
  camera?: MediaStreamTrack;
}

export class RequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Three simulcast layers of the 360p camera (90p, 180p, 360p); the server picks one per
 * receiver (sfu/Peer.ts layerFor). Faces in a grid of tiles need no more, and video is the
 * least important stream: a phone on a rural link encodes a fifth of what 720p would cost.
 */
const SIMULCAST: RTCRtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 100_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 250_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 500_000, maxFramerate: 15 },
];

/**
 * A member's connection to a session's meeting: the /meeting socket and the mediasoup
 * transports. Re-establishes media by itself after a socket reconnect or a media restart.
 */
export class MeetingConnection {
  readonly state: MeetingState;
  readonly #set: SetStoreFunction<MeetingState>;
  readonly socket: MeetingSocket;
  readonly ready: Accessor<boolean>;
  #setReady: (v: boolean) => void;
  #device: Device | undefined;
  #send: types.Transport | undefined;
  #recv: types.Transport | undefined;
  #mic: types.Producer | undefined;
  #camera: types.Producer | undefined;
  #consumers = new Map<string, types.Consumer>();
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  #poorRounds = 0;
  #setup: Promise<void> = Promise.resolve();
  #tileHeights = new Map<string, number>();

  #options: JoinOptions = { mode: 'video' };

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
      remote: [],
      micOn: false,
      cameraOn: false,
      mode: 'video',
      mutedByChair: false,
      quality: 'good',
      proposeAudioOnly: false,
      features: {},
    });
    [this.ready, this.#setReady] = createSignal(false);
    this.socket = io('/meeting', { transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 2000 });
    this.#wire();
  }

  /** Enters the meeting with the devices chosen on the pre-join screen. */
  enter(options: JoinOptions): void {
    this.#options = options;
    this.#set({ phase: 'connecting', micOn: !!options.mic, cameraOn: !!options.camera && options.mode === 'video', mode: options.mode });
    if (this.socket.connected) void this.#join();
  }

  /** The local camera track (for the self tile). */
  get localCamera(): MediaStreamTrack | undefined {
    return this.#options.camera;
  }

  async request<E extends keyof MeetingClientEvents>(event: E, payload: Parameters<MeetingClientEvents[E]>[0]) {
    type Data = Parameters<Parameters<MeetingClientEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;
    const res = (await (this.socket as unknown as Socket).timeout(15_000).emitWithAck(event, payload)) as Ack<Data>;
    if (!res.ok) throw new RequestError(res.error.code, res.error.message);
    return res.data;
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
    s.on('newProducer', (info) => void this.#setup.then(() => this.#consume(info)));
    s.on('producerClosed', ({ producerId }) => this.#dropRemote((r) => r.producerId === producerId));
    s.on('consumerClosed', ({ consumerId }) => this.#dropRemote((r) => r.consumerId === consumerId));
    s.on('producerPaused', ({ producerId, paused }) =>
      this.#set('remote', (r) => r.producerId === producerId, 'paused', paused),
    );
    s.on('mutedByChair', () => {
      this.#mic?.pause();
      this.#set({ micOn: false, mutedByChair: true });
    });
    s.on('mediaRestart', ({ routerRtpCapabilities }) => {
      this.#setup = this.#setup.then(() => this.#startMedia(routerRtpCapabilities, []));
    });
    s.on('sessionEnded', () => {
      this.#stop();
      this.#set('phase', 'ended');
    });
  }

  async #join(): Promise<void> {
    try {
      const snapshot = await this.request('join', { sessionId: this.sessionId, mode: this.state.mode });
      this.#set({
        phase: 'joined', self: snapshot.self, participants: snapshot.participants, hands: snapshot.hands, activeSpeaker: snapshot.activeSpeaker,
        features: snapshot.features,
      });
      this.#setup = this.#setup.then(() => this.#startMedia(snapshot.routerRtpCapabilities, snapshot.producers));
      await this.#setup;
      this.#setReady(true);
    } catch (e) {
      if (e instanceof RequestError && ['forbidden', 'not_found', 'invalid_transition'].includes(e.code)) this.#refuse(e.code);
      else {
        console.warn('meeting join failed', e);
        this.#set('error', (e as Error).message);
      }
    }
  }

  #refuse(code: string): void {
    this.#set({ phase: 'refused', error: code });
    this.socket.disconnect();
  }

  /** (Re)builds transports, producers and consumers from scratch. */
  async #startMedia(routerRtpCapabilities: unknown, producers: ProducerInfo[]): Promise<void> {
    this.#closeMedia();
    const device = new Device();
    await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
    this.#device = device;
    this.#recv = await this.#transport('recv');
    // Receive first: what others say matters before what we send, and it shortens the join.
    await Promise.all(producers.map((p) => this.#consume(p)));
    if (this.#options.mic || this.#options.camera) {
      this.#send = await this.#transport('send');
      if (this.#options.mic) {
        this.#mic = await this.#send.produce({ track: this.#options.mic, appData: { source: 'mic' }, stopTracks: false });
        if (!this.state.micOn) await this.#pauseProducer(this.#mic, true);
      }
      if (this.#options.camera && this.state.mode === 'video' && this.state.cameraOn) await this.#produceCamera();
    }
    this.#statsTimer ??= setInterval(() => void this.#measure(), 2000);
  }

  async #transport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const info: TransportInfo = await this.request('createTransport', { direction });
    const params = info as unknown as types.TransportOptions;
    const transport = direction === 'send' ? this.#device!.createSendTransport(params) : this.#device!.createRecvTransport(params);
    transport.on('connect', ({ dtlsParameters }, ok, fail) =>
      void this.request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(ok, fail),
    );
    transport.on('produce', ({ kind, rtpParameters, appData }, ok, fail) =>
      void this.request('produce', { transportId: transport.id, kind, rtpParameters: rtpParameters as never, source: appData.source as 'mic' | 'camera' }).then(ok, fail),
    );
    transport.on('connectionstatechange', (s) => {
      // A short network loss: try an ICE restart on the same transports first.
      if ((s === 'disconnected' || s === 'failed') && this.socket.connected)
        void this.request('restartIce', { transportId: transport.id })
          .then(({ iceParameters }) => transport.restartIce({ iceParameters: iceParameters as types.IceParameters }))
          .catch(() => undefined);
    });
    return transport;
  }

  async #consume(info: ProducerInfo): Promise<void> {
    if (!this.#recv || !this.#device) return;
    if (info.kind === 'video' && this.state.mode === 'audio') return;
    if (this.state.remote.some((r) => r.producerId === info.producerId)) return;
    const data: ConsumerInfo = await this.request('consume', {
      transportId: this.#recv.id,
      producerId: info.producerId,
      rtpCapabilities: this.#device.rtpCapabilities as never,
    }).catch((e: Error) => void console.warn('consume refused', info.producerId, e.message) as never);
    if (!data) return;
    const consumer = await this.#recv.consume({ id: data.id, producerId: data.producerId, kind: data.kind, rtpParameters: data.rtpParameters as types.RtpParameters });
    this.#consumers.set(consumer.id, consumer);
    this.#set('remote', (list) => [...list, { consumerId: consumer.id, producerId: info.producerId, userId: info.userId, kind: info.kind, track: consumer.track, paused: info.paused }]);
    await this.request('resumeConsumer', { consumerId: consumer.id });
  }

  #dropRemote(match: (r: RemoteTrack) => boolean): void {
    for (const r of this.state.remote.filter(match)) {
      this.#consumers.get(r.consumerId)?.close();
      this.#consumers.delete(r.consumerId);
    }
    this.#set('remote', (list) => list.filter((r) => !match(r)));
  }

  async #produceCamera(): Promise<void> {
    if (!this.#send || !this.#options.camera) return;
    this.#camera = await this.#send.produce({
      track: this.#options.camera,
      encodings: SIMULCAST,
      codecOptions: { videoGoogleStartBitrate: 300 },
      appData: { source: 'camera' },
      stopTracks: false,
    });
  }

  async #pauseProducer(producer: types.Producer, paused: boolean): Promise<void> {
    if (paused) producer.pause();
    else producer.resume();
    await this.request(paused ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
  }

  async toggleMic(): Promise<void> {
    if (!this.#mic) return;
    const on = !this.state.micOn;
    this.#set({ micOn: on, mutedByChair: false });
    await this.#pauseProducer(this.#mic, !on);
  }

  /** Camera off closes the producer (others' tiles change at once); on creates it again. */
  async toggleCamera(): Promise<void> {
    if (!this.#options.camera || this.state.mode === 'audio') return;
    if (this.#camera) {
      const id = this.#camera.id;
      this.#camera.close();
      this.#camera = undefined;
      this.#set('cameraOn', false);
      await this.request('closeProducer', { producerId: id });
    } else {
      this.#set('cameraOn', true);
      await this.#produceCamera();
    }
  }

  async setMode(mode: PresenceMode): Promise<void> {
    await this.request('setMode', { mode });
    this.#set({ mode, proposeAudioOnly: false });
    if (mode === 'audio') {
      this.#camera?.close();
      this.#camera = undefined;
      this.#set('cameraOn', false);
      this.#dropRemote((r) => r.kind === 'video');
    } else {
      const snapshot = await this.request('join', { sessionId: this.sessionId, mode });
      for (const p of snapshot.producers) await this.#consume(p);
    }
  }

  toggleHand(): Promise<null> {
    const raised = this.state.self && this.state.hands.includes(this.state.self.userId);
    return this.request(raised ? 'lowerHand' : 'raiseHand', {});
  }

  /** The tile showing a consumer's video got this tall: the server picks the simulcast layer. */
  setTileHeight(consumerId: string, height: number): void {
    const rounded = Math.round(height);
    if (this.#tileHeights.get(consumerId) === rounded) return;
    this.#tileHeights.set(consumerId, rounded);
    void this.request('setConsumerLayers', { consumerId, tileHeight: rounded }).catch(() => undefined);
  }

  /** Link quality from the receive path: loss and round-trip time; a poor link proposes audio-only. */
  async #measure(): Promise<void> {
    const transport = this.#recv;
    if (!transport || transport.closed) return;
    const stats = await transport.getStats().catch(() => undefined);
    if (!stats) return;
    let rtt = 0;
    let lost = 0;
    let received = 0;
    let bitrate: number | undefined;
    stats.forEach((r) => {
      if (r.type === 'candidate-pair' && r.nominated) {
        rtt = r.currentRoundTripTime ?? rtt;
        bitrate = r.availableIncomingBitrate ?? bitrate;
      }
      if (r.type === 'inbound-rtp') {
        lost += r.packetsLost ?? 0;
        received += r.packetsReceived ?? 0;
      }
    });
    const loss = received + lost > 0 ? lost / (received + lost) : 0;
    const quality: LinkQuality = loss > 0.08 || rtt > 0.6 ? 'poor' : loss > 0.02 || rtt > 0.3 ? 'fair' : 'good';
    if (quality !== this.state.quality) {
      this.#set('quality', quality);
      void this.request('setQuality', { quality }).catch(() => undefined);
    }
    this.#poorRounds = quality === 'poor' ? this.#poorRounds + 1 : 0;
    if (this.#poorRounds >= 3 && this.state.mode === 'video') this.#set('proposeAudioOnly', true);
    if (bitrate !== undefined)
      for (const [consumerId, height] of this.#tileHeights)
        void this.request('setConsumerLayers', { consumerId, tileHeight: height, bitrate: Math.round(bitrate) }).catch(() => undefined);
  }

  #closeMedia(): void {
    this.#send?.close();
    this.#recv?.close();
    this.#send = this.#recv = this.#mic = this.#camera = undefined;
    this.#consumers.clear();
    this.#tileHeights.clear();
    this.#set(produce((s) => void (s.remote = [])));
  }

  async leave(): Promise<void> {
    if (this.state.phase === 'ended' || this.state.phase === 'left') return;
    if (this.socket.connected && this.state.phase !== 'lobby') await this.request('leave', {}).catch(() => undefined);
    this.#stop();
    this.#set('phase', 'left');
  }

  /** Chair only: ends the session for everyone. */
  endSession(): Promise<null> {
    return this.request('endSession', {});
  }

  #stop(): void {
    clearInterval(this.#statsTimer);
    this.#closeMedia();
    this.socket.disconnect();
    // The pre-join screen's tracks: releasing them turns the camera light off.
    this.#options.mic?.stop();
    this.#options.camera?.stop();
  }
}

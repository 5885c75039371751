import { Device, types } from 'mediasoup-client';
import { createStore, produce, type SetStoreFunction } from 'solid-js/store';
import type { ConsumerInfo, LinkQuality, PresenceMode, ProducerInfo, TransportInfo } from '../../protocol/meeting';
import type { LineState } from '../lib/pdf/httpRanges';
import { afterMediaRestart, assess, audioHoldMs, documentLine, FIRST_ASSESSMENT, sampleOf, sentLayers, STALLED_ROUNDS_TO_RESTART_ICE, videoBudget, type LinkAssessment } from './linkQuality';
import { request, type MeetingSocket } from './signalling';

/** A remote track being received, for one member's tile or audio. */
export interface RemoteTrack {
  consumerId: string;
  producerId: string;
  userId: number;
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  paused: boolean;
}

export interface MediaState {
  remote: RemoteTrack[];
  micOn: boolean;
  cameraOn: boolean;
  mode: PresenceMode;
  mutedByChair: boolean;
  quality: LinkQuality;
  /** How documents may take the line (linkQuality.ts documentLine): freely, or paced for a fair or poor link. */
  documentLine: LineState;
  /** The link stayed poor after the member brought video back: offer audio-only. */
  proposeAudioOnly: boolean;
  /** Video was switched off by itself because the link could not carry it with the audio. */
  videoDroppedForLink: boolean;
  /** Remote microphones are on but no audio has arrived for a while: the media path is being healed. */
  mediaStalled: boolean;
}

/** What the media session asks of the connection it belongs to. */
export interface MediaSessionHooks {
  /** Switch to audio-only (the server first): the link cannot carry video and audio. */
  dropVideo(): void;
  /** Join again and rebuild the media from the server's snapshot. */
  rebuild(): void;
}

export interface JoinOptions {
  mode: PresenceMode;
  /** Local tracks chosen on the pre-join screen. */
  mic?: MediaStreamTrack;
  camera?: MediaStreamTrack;
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

/** Link stats are read this often. */
const MEASURE_MS = 2000;

/**
 * The microphone's opus: in-band FEC (the encoder adds redundancy as the uplink's reported
 * loss grows), DTX (silence costs almost nothing on a shared line), NACK so mediasoup can
 * ask for a lost packet again, and 60 ms packets: a packet's headers (IP, UDP, RTP and its
 * extensions, SRTP: about 70 bytes) cost as much as 20 ms of speech, so at 20 ms two
 * speakers took 120 kbit/s of a 150 kbit/s line; 60 ms adds 40 ms of delay for everyone.
 */
const MIC_CODEC = { opusFec: true, opusDtx: true, opusNack: true, opusPtime: 60 } as const;

/**
 * Chromium retransmits and decodes opus on NACK when the SDP says so, but does not list it
 * in its capabilities; with it, mediasoup resends a member's lost audio packets (the
 * sender's FEC only covers the sender's own uplink).
 */
function withAudioNack(caps: types.RtpCapabilities): types.RtpCapabilities {
  return {
    ...caps,
    codecs: caps.codecs?.map((c) =>
      c.mimeType.toLowerCase() === 'audio/opus' && !c.rtcpFeedback?.some((f) => f.type === 'nack') ? { ...c, rtcpFeedback: [...(c.rtcpFeedback ?? []), { type: 'nack' }] } : c,
    ),
  };
}

/**
 * A member's media in the meeting: the mediasoup device and transports, what it sends
 * (microphone, camera) and what it receives, and the link quality read from the receive
 * path. Heals itself: an ICE restart on a transport that lost its path, a rebuild from
 * scratch when the server's media was replaced (`mediaRestart`) or after a rejoin.
 */
export class MediaSession {
  readonly state: MediaState;
  readonly #set: SetStoreFunction<MediaState>;
  #options: JoinOptions = { mode: 'video' };
  #device: Device | undefined;
  #send: types.Transport | undefined;
  #recv: types.Transport | undefined;
  /**
   * The socket dropped: the transports are gone on the server (with the old socket, or the
   * whole node). A producer announced before the rebuild has a receive transport waits here
   * (the join snapshot may predate it), instead of being consumed on a dead transport and lost.
   */
  #stale = false;
  readonly #announced = new Map<string, ProducerInfo>();
  #mic: types.Producer | undefined;
  #camera: types.Producer | undefined;
  #consumers = new Map<string, types.Consumer>();
  #tileHeights = new Map<string, number>();
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  #link: LinkAssessment = FIRST_ASSESSMENT;
  /** The received audio's hold (linkQuality.ts audioHoldMs); null: the browser's own. */
  #audioHold: number | null = null;
  /** The member brought video back after it was dropped for the link: from then on only propose. */
  #videoKept = false;
  /** Media set-ups run one after the other; events that need the transports wait for the last one. */
  #setup: Promise<void> = Promise.resolve();

  constructor(private readonly socket: MeetingSocket, private readonly hooks: MediaSessionHooks) {
    [this.state, this.#set] = createStore<MediaState>({
      remote: [],
      micOn: false,
      cameraOn: false,
      mode: 'video',
      mutedByChair: false,
      quality: 'good',
      documentLine: documentLine(FIRST_ASSESSMENT),
      proposeAudioOnly: false,
      videoDroppedForLink: false,
      mediaStalled: false,
    });
    this.#wire();
  }

  /** The devices chosen on the pre-join screen. */
  configure(options: JoinOptions): void {
    this.#options = options;
    this.#set({ micOn: !!options.mic, cameraOn: !!options.camera && options.mode === 'video', mode: options.mode });
  }

  /** The local camera track (for the self tile). */
  get localCamera(): MediaStreamTrack | undefined {
    return this.#options.camera;
  }

  /** (Re)builds transports, producers and consumers from scratch, after the ones before. */
  start(routerRtpCapabilities: unknown, producers: ProducerInfo[]): Promise<void> {
    this.#setup = this.#setup.then(() => this.#start(routerRtpCapabilities, producers));
    return this.#setup;
  }

  #wire(): void {
    const s = this.socket;
    s.on('disconnect', () => void (this.#stale = true));
    s.on('newProducer', (info) => {
      if (this.#stale || !this.#recv) this.#announced.set(info.producerId, info);
      else void this.#setup.then(() => this.#consume(info));
    });
    s.on('producerClosed', ({ producerId }) => {
      this.#announced.delete(producerId);
      this.#dropRemote((r) => r.producerId === producerId);
    });
    s.on('consumerClosed', ({ consumerId }) => this.#dropRemote((r) => r.consumerId === consumerId));
    s.on('producerPaused', ({ producerId, paused }) => this.#set('remote', (r) => r.producerId === producerId, 'paused', paused));
    s.on('mutedByChair', () => {
      this.#mic?.pause();
      this.#set({ micOn: false, mutedByChair: true });
    });
    s.on('mediaRestart', ({ routerRtpCapabilities }) => void this.start(routerRtpCapabilities, []));
  }

  async #start(routerRtpCapabilities: unknown, producers: ProducerInfo[]): Promise<void> {
    this.#closeMedia();
    const device = new Device();
    await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
    this.#device = device;
    this.#recv = await this.#transport('recv');
    this.#stale = false;
    const announced = [...this.#announced.values()];
    this.#announced.clear();
    // Receive first: what others say matters before what we send, and it shortens the join.
    const toConsume = new Map([...producers, ...announced].map((p) => [p.producerId, p]));
    await Promise.all([...toConsume.values()].map((p) => this.#consume(p)));
    if (this.#options.mic || this.#options.camera) {
      this.#send = await this.#transport('send');
      if (this.#options.mic) {
        this.#mic = await this.#send.produce({ track: this.#options.mic, codecOptions: MIC_CODEC, appData: { source: 'mic' }, stopTracks: false });
        if (!this.state.micOn) await this.#pauseProducer(this.#mic, true);
      }
      if (this.#options.camera && this.state.mode === 'video' && this.state.cameraOn) await this.#produceCamera();
    }
    this.#statsTimer ??= setInterval(() => void this.#measure(), MEASURE_MS);
  }

  async #transport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const info: TransportInfo = await request(this.socket, 'createTransport', { direction });
    const params = info as unknown as types.TransportOptions;
    const transport = direction === 'send' ? this.#device!.createSendTransport(params) : this.#device!.createRecvTransport(params);
    transport.on('connect', ({ dtlsParameters }, ok, fail) =>
      void request(this.socket, 'connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(ok, fail),
    );
    transport.on('produce', ({ kind, rtpParameters, appData }, ok, fail) =>
      void request(this.socket, 'produce', { transportId: transport.id, kind, rtpParameters: rtpParameters as never, source: appData.source as 'mic' | 'camera' }).then(ok, fail),
    );
    transport.on('connectionstatechange', (s) => {
      // A short network loss: try an ICE restart on the same transports first.
      if (s === 'disconnected' || s === 'failed') this.#restartIce(transport);
    });
    return transport;
  }

  #restartIce(transport: types.Transport): void {
    if (!this.socket.connected || transport.closed) return;
    void request(this.socket, 'restartIce', { transportId: transport.id })
      .then(({ iceParameters }) => transport.restartIce({ iceParameters: iceParameters as types.IceParameters }))
      .catch(() => undefined);
  }

  async #consume(info: ProducerInfo): Promise<void> {
    if (!this.#recv || !this.#device) return;
    if (info.kind === 'video' && this.state.mode === 'audio') return;
    if (this.state.remote.some((r) => r.producerId === info.producerId)) return;
    const data: ConsumerInfo | void = await request(this.socket, 'consume', {
      transportId: this.#recv.id,
      producerId: info.producerId,
      rtpCapabilities: withAudioNack(this.#device.rtpCapabilities) as never,
    }).catch((e: Error) => console.warn('consume refused', info.producerId, e.message));
    if (!data) return;
    const consumer = await this.#recv.consume({ id: data.id, producerId: data.producerId, kind: data.kind, rtpParameters: data.rtpParameters as types.RtpParameters });
    this.#consumers.set(consumer.id, consumer);
    this.#applyHold(consumer);
    this.#set('remote', (list) => [...list, { consumerId: consumer.id, producerId: info.producerId, userId: info.userId, kind: info.kind, track: consumer.track, paused: info.paused }]);
    await request(this.socket, 'resumeConsumer', { consumerId: consumer.id });
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
    if (this.state.quality !== 'good') await this.#camera.setMaxSpatialLayer(sentLayers(this.state.quality, SIMULCAST.length)).catch(() => undefined);
  }

  async #pauseProducer(producer: types.Producer, paused: boolean): Promise<void> {
    if (paused) producer.pause();
    else producer.resume();
    await request(this.socket, paused ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
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
      await request(this.socket, 'closeProducer', { producerId: id });
    } else {
      this.#set('cameraOn', true);
      await this.#produceCamera();
    }
  }

  /**
   * The server accepted the mode: audio-only drops the camera and every received video;
   * back to video consumes the video of `producers` (the server's current list).
   */
  async applyMode(mode: PresenceMode, producers: ProducerInfo[]): Promise<void> {
    if (mode === 'video' && this.state.videoDroppedForLink) this.#videoKept = true;
    this.#set({ mode, proposeAudioOnly: false, videoDroppedForLink: mode === 'audio' && this.state.videoDroppedForLink });
    if (mode === 'audio') {
      this.#camera?.close();
      this.#camera = undefined;
      this.#set('cameraOn', false);
      this.#dropRemote((r) => r.kind === 'video');
    } else for (const p of producers) await this.#consume(p);
  }

  /** The tile showing a consumer's video got this tall: the server picks the simulcast layer. */
  setTileHeight(consumerId: string, height: number): void {
    const rounded = Math.round(height);
    if (this.#tileHeights.get(consumerId) === rounded) return;
    this.#tileHeights.set(consumerId, rounded);
    void request(this.socket, 'setConsumerLayers', { consumerId, tileHeight: rounded }).catch(() => undefined);
  }

  /**
   * Reads the receive path every round (linkQuality.ts): reports the quality, drops video
   * when the link cannot carry it with the audio, heals a path where audio stopped arriving,
   * and gives the measured downlink to the layer choice.
   */
  async #measure(): Promise<void> {
    const transport = this.#recv;
    if (!transport || transport.closed) return;
    const stats = await transport.getStats().catch(() => undefined);
    if (!stats) return;
    const sample = sampleOf(stats);
    const expectAudio = this.state.remote.some((r) => r.kind === 'audio' && !r.paused);
    this.#link = assess(this.#link, sample, { mode: this.state.mode, expectAudio, videoKept: this.#videoKept });
    const { quality, action, stalledRounds } = this.#link;
    if (quality !== this.state.quality) {
      this.#set('quality', quality);
      void request(this.socket, 'setQuality', { quality }).catch(() => undefined);
      void this.#camera?.setMaxSpatialLayer(sentLayers(quality, SIMULCAST.length)).catch(() => undefined);
    }
    this.#set({ mediaStalled: stalledRounds >= STALLED_ROUNDS_TO_RESTART_ICE, documentLine: documentLine(this.#link) });
    this.#holdAudio(audioHoldMs(quality, sample.rtt));
    if (action === 'dropVideo') {
      this.#set('videoDroppedForLink', true);
      this.hooks.dropVideo();
    } else if (action === 'proposeAudioOnly') this.#set('proposeAudioOnly', true);
    else if (action === 'restartIce') {
      for (const t of [this.#recv, this.#send]) if (t) this.#restartIce(t);
    } else if (action === 'rebuild') this.hooks.rebuild();
    const bitrate = videoBudget(quality, sample.availableIncomingBitrate);
    if (bitrate !== undefined)
      for (const [consumerId, height] of this.#tileHeights)
        void request(this.socket, 'setConsumerLayers', { consumerId, tileHeight: height, bitrate: Math.round(bitrate) }).catch(() => undefined);
  }

  #holdAudio(ms: number | null): void {
    if (ms === this.#audioHold) return;
    this.#audioHold = ms;
    for (const c of this.#consumers.values()) this.#applyHold(c);
  }

  #applyHold(consumer: types.Consumer): void {
    if (consumer.kind === 'audio' && consumer.rtpReceiver) consumer.rtpReceiver.jitterBufferTarget = this.#audioHold;
  }

  #closeMedia(): void {
    // The line is the same: its pace and the audio's hold go on as they were.
    this.#link = afterMediaRestart(this.#link);
    // The server's side goes too (a connection holds at most two transports); after a media
    // restart or on a new socket they are gone already, and the not_found is of no interest.
    for (const t of [this.#send, this.#recv]) {
      if (t && !t.closed && this.socket.connected) void request(this.socket, 'closeTransport', { transportId: t.id }).catch(() => undefined);
    }
    this.#send?.close();
    this.#recv?.close();
    this.#send = this.#recv = this.#mic = this.#camera = undefined;
    this.#consumers.clear();
    this.#tileHeights.clear();
    this.#set(produce((s) => void (s.remote = [])));
  }

  /** Closes everything and releases the pre-join screen's tracks (the camera light goes off). */
  close(): void {
    clearInterval(this.#statsTimer);
    this.#statsTimer = undefined;
    this.#closeMedia();
    this.#options.mic?.stop();
    this.#options.camera?.stop();
  }
}

import type { LinkQuality, PresenceMode } from '../../protocol/meeting';
import type { LineState } from '../lib/pdf/httpRanges';

/**
 * What one round of the receive transport's stats says about the link. Counters run from
 * each stream's start; `assess` works on what changed since the round before, so an hour
 * of good link does not hide a bad minute, nor a bad start weigh on a good hour.
 */
export interface LinkSample {
  /** Round-trip time of the nominated candidate pair, in seconds. */
  rtt: number;
  /** Packets lost and received over every inbound RTP stream. */
  packetsLost: number;
  packetsReceived: number;
  /** Audio only: packets received, samples played out and those of them concealed (made up for lost or late packets). */
  audioPackets: number;
  audioSamples: number;
  audioConcealed: number;
  /** The browser's estimate of the downlink in bit/s, when it has one. */
  availableIncomingBitrate?: number;
}

/** The subset of an RTCStats entry the sample reads. */
interface StatsEntry {
  type: string;
  kind?: string;
  nominated?: boolean;
  currentRoundTripTime?: number;
  availableIncomingBitrate?: number;
  packetsLost?: number;
  packetsReceived?: number;
  totalSamplesReceived?: number;
  concealedSamples?: number;
}

/** Reads a sample from a transport's `getStats()` report. */
export function sampleOf(report: { forEach(cb: (entry: StatsEntry) => void): void }): LinkSample {
  const sample: LinkSample = { rtt: 0, packetsLost: 0, packetsReceived: 0, audioPackets: 0, audioSamples: 0, audioConcealed: 0 };
  report.forEach((r) => {
    if (r.type === 'candidate-pair' && r.nominated) {
      sample.rtt = r.currentRoundTripTime ?? sample.rtt;
      sample.availableIncomingBitrate = r.availableIncomingBitrate ?? sample.availableIncomingBitrate;
    }
    if (r.type === 'inbound-rtp') {
      sample.packetsLost += r.packetsLost ?? 0;
      sample.packetsReceived += r.packetsReceived ?? 0;
      if (r.kind === 'audio') {
        sample.audioPackets += r.packetsReceived ?? 0;
        sample.audioSamples += r.totalSamplesReceived ?? 0;
        sample.audioConcealed += r.concealedSamples ?? 0;
      }
    }
  });
  return sample;
}

/** What changed between two samples (counters that went back — streams rebuilt — count from zero). */
export interface LinkInterval {
  rtt: number;
  loss: number;
  /** Share of the audio played out in the interval that was concealed. */
  concealed: number;
  audioPackets: number;
}

export function intervalOf(previous: LinkSample | undefined, sample: LinkSample): LinkInterval {
  const delta = (k: 'packetsLost' | 'packetsReceived' | 'audioPackets' | 'audioSamples' | 'audioConcealed') => {
    const d = sample[k] - (previous?.[k] ?? 0);
    return d >= 0 ? d : sample[k];
  };
  const [lost, received, samples] = [delta('packetsLost'), delta('packetsReceived'), delta('audioSamples')];
  return {
    rtt: sample.rtt,
    loss: lost + received > 0 ? lost / (lost + received) : 0,
    concealed: samples > 0 ? Math.min(1, delta('audioConcealed') / samples) : 0,
    audioPackets: delta('audioPackets'),
  };
}

const networkPoor = (i: LinkInterval) => i.loss > 0.08 || i.rtt > 0.6;

/**
 * Poor: loss above 8 %, a round trip over 600 ms, or more than 10 % of the audio concealed;
 * fair: above 2 %, 300 ms or 3 %. The audio is what members need: its concealment counts
 * as much as the network's own figures.
 */
export function qualityOf(i: LinkInterval): LinkQuality {
  if (networkPoor(i) || i.concealed > 0.1) return 'poor';
  if (i.loss > 0.02 || i.rtt > 0.3 || i.concealed > 0.03) return 'fair';
  return 'good';
}

/**
 * Below a good link, video keeps to its smallest simulcast layer both ways (≤ 100 kbit/s
 * sent and received): on a 300 kbit/s line a 250 kbit/s layer and the audio fill the line,
 * and the meeting's messages (a ballot, the next page) then wait seconds behind the media.
 */
export const WEAK_LINE_VIDEO_BPS = 150_000;

/** The bitrate the received video may take (the SFU's layer choice, sfu/Peer.ts layerFor): the measured one, capped below a good link. */
export function videoBudget(quality: LinkQuality, measured: number | undefined): number | undefined {
  return quality === 'good' ? measured : Math.min(measured ?? Infinity, WEAK_LINE_VIDEO_BPS);
}

/** Audio held beyond one round trip below a good link, and the most it is ever held (ms). */
export const AUDIO_HOLD_MARGIN_MS = 80;
export const AUDIO_HOLD_MAX_MS = 500;

/**
 * How long the receiver holds audio before playing it (RTCRtpReceiver.jitterBufferTarget).
 * A packet lost on the way down is beyond the sender's FEC (it covers only the sender's own
 * uplink); NACK brings it again one round trip later, in time only if the receiver holds
 * the audio that long. So below a good link: the round trip and a margin, in 50 ms steps
 * (a target that moves each round makes the buffer stretch and shrink), at most
 * AUDIO_HOLD_MAX_MS. A good link keeps the browser's own, shortest choice (null).
 */
export function audioHoldMs(quality: LinkQuality, rttSeconds: number): number | null {
  if (quality === 'good') return null;
  return Math.min(AUDIO_HOLD_MAX_MS, Math.ceil((rttSeconds * 1000 + AUDIO_HOLD_MARGIN_MS) / 50) * 50);
}

/** The highest simulcast layer the camera sends (of `layers`). */
export const sentLayers = (quality: LinkQuality, layers: number): number => (quality === 'good' ? layers - 1 : 0);

/**
 * Rounds (2 s each) of good link in a row before bulk transfers (a document's ranges) may
 * take the line at full speed again after a round below good: the per-round quality of a
 * rural line (3 % loss) is good one round in three. Until the first round the line is taken
 * as good (the pace is read at each request, so the first fair round, 2 s after the join,
 * slows what follows): paced from the join on, a 4,000-page file opened a few seconds after
 * joining showed its first page on localhost in 5.8 s instead of 2.1 s (load avg 16).
 */
export const GOOD_ROUNDS_FOR_OPEN_PACE = 3;

/**
 * Rounds (2 s each) after a poor one that documents keep to the poor line's pace: enough to
 * bridge a bad line's fair rounds, which come one or two at a time between its poor ones;
 * held five rounds, a rural line's odd poor round kept the presenter's next page at the poor
 * pace for 10 s (bench weak-link: 16 kB in 2.1 s where 1 s was usual).
 */
export const POOR_ROUNDS_HELD = 3;

/** Rounds (2 s each) of poor link before video is dropped for audio's sake. */
export const POOR_ROUNDS_TO_DROP_VIDEO = 2;
/** Rounds with remote audio expected and no audio packet before the media path is healed. */
export const STALLED_ROUNDS_TO_RESTART_ICE = 3;
export const STALLED_ROUNDS_TO_REBUILD = 6;

export type LinkAction = 'none' | 'dropVideo' | 'proposeAudioOnly' | 'restartIce' | 'rebuild';

export interface LinkAssessment {
  quality: LinkQuality;
  /** Consecutive poor rounds. */
  poorRounds: number;
  /** Consecutive good rounds. */
  goodRounds: number;
  /** Rounds since the last poor one (0: this round was poor). */
  roundsSincePoor: number;
  /** Consecutive rounds without an audio packet while some remote microphone is on. */
  stalledRounds: number;
  /** What the media session should do now (once: the next round says none until it is due again). */
  action: LinkAction;
  last?: LinkSample;
}

export const FIRST_ASSESSMENT: LinkAssessment = { quality: 'good', poorRounds: 0, goodRounds: GOOD_ROUNDS_FOR_OPEN_PACE, roundsSincePoor: Infinity, stalledRounds: 0, action: 'none' };

/**
 * The assessment when the media restarts on the same line (a rebuilt path, a new worker, a
 * reconnection): what was learnt of the line stays, what belonged to the old streams goes.
 * Started afresh, a weak line was taken as good again for a round, and a plan opened then
 * read 64 kB at a time for its whole life (bench weak-link, bad: one request 30 s long).
 */
export const afterMediaRestart = (a: LinkAssessment): LinkAssessment => ({
  quality: a.quality,
  poorRounds: a.poorRounds,
  goodRounds: a.goodRounds,
  roundsSincePoor: a.roundsSincePoor,
  stalledRounds: 0,
  action: 'none',
});

/**
 * The line as documents should take it (httpRanges.ts): open once good long enough
 * (GOOD_ROUNDS_FOR_OPEN_PACE), poor while a poor round is recent, fair otherwise. A bad
 * line (8 % loss, the 2 s rounds either side of the poor mark) read poor one round and fair
 * the next, and each fair round's ranges filled its queue again (bench weak-link, bad:
 * the downlink queue at 250-300 ms of 300 for the whole plan load).
 */
export function documentLine(a: LinkAssessment): LineState {
  if (a.goodRounds >= GOOD_ROUNDS_FOR_OPEN_PACE) return 'open';
  return a.roundsSincePoor < POOR_ROUNDS_HELD ? 'poor' : 'fair';
}

export interface LinkContext {
  mode: PresenceMode;
  /** A remote microphone is on (so audio packets should be arriving). */
  expectAudio: boolean;
  /** Video was dropped for the link before and the member brought it back: propose again, do not drop again. */
  videoKept: boolean;
}

/** The link's state after one more sample, and what to do about it. */
export function assess(previous: LinkAssessment, sample: LinkSample, ctx: LinkContext): LinkAssessment {
  const interval = intervalOf(previous.last, sample);
  const quality = qualityOf(interval);
  const poorRounds = quality === 'poor' ? previous.poorRounds + 1 : 0;
  const goodRounds = quality === 'good' ? previous.goodRounds + 1 : 0;
  const roundsSincePoor = quality === 'poor' ? 0 : previous.roundsSincePoor + 1;
  const stalledRounds = ctx.expectAudio && previous.last && interval.audioPackets === 0 ? previous.stalledRounds + 1 : 0;
  let action: LinkAction = 'none';
  if (stalledRounds === STALLED_ROUNDS_TO_RESTART_ICE) action = 'restartIce';
  else if (stalledRounds === STALLED_ROUNDS_TO_REBUILD) action = 'rebuild';
  // Dropped by itself only on the network's word (loss, delay): concealment alone may be a
  // busy device rather than the line, so then the member is asked.
  else if (ctx.mode === 'video' && poorRounds === POOR_ROUNDS_TO_DROP_VIDEO) action = ctx.videoKept || !networkPoor(interval) ? 'proposeAudioOnly' : 'dropVideo';
  return { quality, poorRounds, goodRounds, roundsSincePoor, stalledRounds, action, last: sample };
}

import type { LinkQuality, PresenceMode } from '../../protocol/meeting';

/** What one round of the receive transport's stats says about the link. */
export interface LinkSample {
  /** Round-trip time of the nominated candidate pair, in seconds. */
  rtt: number;
  /** Packets lost and received over the inbound RTP streams, counted since each stream began. */
  packetsLost: number;
  packetsReceived: number;
  /** The browser's estimate of the downlink in bit/s, when it has one. */
  availableIncomingBitrate?: number;
}

/** The subset of an RTCStats entry the sample reads. */
interface StatsEntry {
  type: string;
  nominated?: boolean;
  currentRoundTripTime?: number;
  availableIncomingBitrate?: number;
  packetsLost?: number;
  packetsReceived?: number;
}

/** Reads a sample from a transport's `getStats()` report. */
export function sampleOf(report: { forEach(cb: (entry: StatsEntry) => void): void }): LinkSample {
  const sample: LinkSample = { rtt: 0, packetsLost: 0, packetsReceived: 0 };
  report.forEach((r) => {
    if (r.type === 'candidate-pair' && r.nominated) {
      sample.rtt = r.currentRoundTripTime ?? sample.rtt;
      sample.availableIncomingBitrate = r.availableIncomingBitrate ?? sample.availableIncomingBitrate;
    }
    if (r.type === 'inbound-rtp') {
      sample.packetsLost += r.packetsLost ?? 0;
      sample.packetsReceived += r.packetsReceived ?? 0;
    }
  });
  return sample;
}

/** Loss above 8 % or a round trip over 600 ms is poor; above 2 % or 300 ms fair. */
export function qualityOf(sample: LinkSample): LinkQuality {
  const total = sample.packetsLost + sample.packetsReceived;
  const loss = total > 0 ? sample.packetsLost / total : 0;
  if (loss > 0.08 || sample.rtt > 0.6) return 'poor';
  if (loss > 0.02 || sample.rtt > 0.3) return 'fair';
  return 'good';
}

/** Poor rounds in a row (one round every 2 s) before audio-only is proposed. */
export const POOR_ROUNDS_FOR_AUDIO_ONLY = 3;

export interface LinkAssessment {
  quality: LinkQuality;
  /** Consecutive poor rounds. */
  poorRounds: number;
  /** Offer audio-only: the link stayed poor while video was on. Stays until the member chooses. */
  proposeAudioOnly: boolean;
}

export const FIRST_ASSESSMENT: LinkAssessment = { quality: 'good', poorRounds: 0, proposeAudioOnly: false };

/** The link's state after one more sample. */
export function assess(previous: LinkAssessment, sample: LinkSample, mode: PresenceMode): LinkAssessment {
  const quality = qualityOf(sample);
  const poorRounds = quality === 'poor' ? previous.poorRounds + 1 : 0;
  return { quality, poorRounds, proposeAudioOnly: previous.proposeAudioOnly || (poorRounds >= POOR_ROUNDS_FOR_AUDIO_ONLY && mode === 'video') };
}

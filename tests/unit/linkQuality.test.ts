import { describe, expect, it } from 'vitest';
import { assess, FIRST_ASSESSMENT, qualityOf, sampleOf, type LinkAssessment, type LinkSample } from '../../client/meeting/linkQuality';
import type { LinkQuality, PresenceMode } from '../../protocol/meeting';

const sample = (rtt: number, lossPct: number): LinkSample => ({ rtt, packetsLost: lossPct, packetsReceived: 100 - lossPct });

describe('qualityOf', () => {
  it.each<[string, LinkSample, LinkQuality]>([
    ['nothing received yet', { rtt: 0, packetsLost: 0, packetsReceived: 0 }, 'good'],
    ['clean LAN', sample(0.01, 0), 'good'],
    ['2 % loss is still good', sample(0.1, 2), 'good'],
    ['3 % loss', sample(0.1, 3), 'fair'],
    ['8 % loss is fair', sample(0.1, 8), 'fair'],
    ['9 % loss', sample(0.1, 9), 'poor'],
    ['300 ms round trip is good', sample(0.3, 0), 'good'],
    ['301 ms round trip', sample(0.301, 0), 'fair'],
    ['600 ms round trip is fair', sample(0.6, 0), 'fair'],
    ['700 ms round trip', sample(0.7, 0), 'poor'],
    ['the worse of the two decides', sample(0.7, 1), 'poor'],
  ])('%s → %s', (_what, s, expected) => expect(qualityOf(s)).toBe(expected));
});

describe('assess', () => {
  const poor = sample(0.1, 20);
  const good = sample(0.01, 0);
  /** Runs the samples through assess from the first state. */
  const run = (samples: LinkSample[], mode: PresenceMode): LinkAssessment => samples.reduce((a, s) => assess(a, s, mode), FIRST_ASSESSMENT);

  it.each<[string, LinkSample[], PresenceMode, Partial<LinkAssessment>]>([
    ['two poor rounds: not yet', [poor, poor], 'video', { quality: 'poor', poorRounds: 2, proposeAudioOnly: false }],
    ['three poor rounds in a row propose audio-only', [poor, poor, poor], 'video', { poorRounds: 3, proposeAudioOnly: true }],
    ['a good round in between starts the count again', [poor, poor, good, poor, poor], 'video', { poorRounds: 2, proposeAudioOnly: false }],
    ['already audio-only: nothing to propose', [poor, poor, poor, poor], 'audio', { poorRounds: 4, proposeAudioOnly: false }],
    ['the proposal stays once made, the link better or not', [poor, poor, poor, good], 'video', { quality: 'good', poorRounds: 0, proposeAudioOnly: true }],
  ])('%s', (_what, samples, mode, expected) => expect(run(samples, mode)).toMatchObject(expected));
});

describe('sampleOf', () => {
  it('reads the nominated pair and sums the inbound streams', () => {
    const report = [
      { type: 'candidate-pair', nominated: false, currentRoundTripTime: 9, availableIncomingBitrate: 1 },
      { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.2, availableIncomingBitrate: 280_000 },
      { type: 'inbound-rtp', packetsLost: 3, packetsReceived: 97 },
      { type: 'inbound-rtp', packetsLost: 1, packetsReceived: 199 },
      { type: 'outbound-rtp', packetsLost: 50, packetsReceived: 0 },
    ];
    expect(sampleOf(report)).toEqual({ rtt: 0.2, packetsLost: 4, packetsReceived: 296, availableIncomingBitrate: 280_000 });
  });
});

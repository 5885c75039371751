import { describe, expect, it } from 'vitest';
import {
  afterMediaRestart, assess, audioHoldMs, documentLine, FIRST_ASSESSMENT, intervalOf, qualityOf, sampleOf, sentLayers, videoBudget,
  type LinkAction, type LinkContext, type LinkInterval, type LinkSample,
} from '../../client/meeting/linkQuality';
import type { LineState } from '../../client/lib/pdf/httpRanges';
import type { LinkQuality } from '../../protocol/meeting';
import { layerFor } from '../../sfu/Peer';

const interval = (patch: Partial<LinkInterval>): LinkInterval => ({ rtt: 0.02, loss: 0, concealed: 0, audioPackets: 100, ...patch });

describe('qualityOf', () => {
  it.each<[string, Partial<LinkInterval>, LinkQuality]>([
    ['clean LAN', {}, 'good'],
    ['2 % loss is still good', { loss: 0.02 }, 'good'],
    ['3 % loss', { loss: 0.03 }, 'fair'],
    ['8 % loss is fair', { loss: 0.08 }, 'fair'],
    ['9 % loss', { loss: 0.09 }, 'poor'],
    ['300 ms round trip is good', { rtt: 0.3 }, 'good'],
    ['301 ms round trip', { rtt: 0.301 }, 'fair'],
    ['700 ms round trip', { rtt: 0.7 }, 'poor'],
    ['3 % of the audio concealed is good', { concealed: 0.03 }, 'good'],
    ['5 % concealed', { concealed: 0.05 }, 'fair'],
    ['12 % concealed, network figures fine', { concealed: 0.12 }, 'poor'],
    ['the worst figure decides', { rtt: 0.7, loss: 0.01 }, 'poor'],
  ])('%s → %s', (_what, patch, expected) => expect(qualityOf(interval(patch))).toBe(expected));
});

const at = (lost: number, received: number, audioPackets: number, samples: number, concealed: number, rtt = 0.05): LinkSample =>
  ({ rtt, packetsLost: lost, packetsReceived: received, audioPackets, audioSamples: samples, audioConcealed: concealed });

describe('intervalOf', () => {
  it.each<[string, LinkSample | undefined, LinkSample, Partial<LinkInterval>]>([
    ['the first sample counts from zero', undefined, at(5, 95, 50, 96_000, 960), { loss: 0.05, concealed: 0.01, audioPackets: 50 }],
    ['only what changed since the last round', at(5, 95, 50, 96_000, 960), at(5, 195, 150, 192_000, 960), { loss: 0, concealed: 0, audioPackets: 100 }],
    ['a bad minute after a good hour shows', at(0, 100_000, 50_000, 1e8, 0), at(20, 100_080, 50_040, 1e8 + 96_000, 19_200), { loss: 0.2, concealed: 0.2 }],
    ['streams rebuilt: counters start again', at(50, 5000, 2500, 5e6, 1e4), at(1, 99, 50, 96_000, 0), { loss: 0.01, audioPackets: 50 }],
    ['no audio played out: nothing concealed', at(0, 10, 0, 0, 0), at(0, 20, 0, 0, 0), { concealed: 0, audioPackets: 0 }],
  ])('%s', (_what, before, after, expected) => expect(intervalOf(before, after)).toMatchObject(expected));
});

describe('assess', () => {
  const video: LinkContext = { mode: 'video', expectAudio: true, videoKept: false };
  type Round = { lossPct: number; audio: number; concealedPct?: number };
  /** The sample one round after `s`, with that round's loss (of 100 packets) and audio packets. */
  const after = (s: LinkSample, r: Round) =>
    at(s.packetsLost + r.lossPct, s.packetsReceived + 100 - r.lossPct, s.audioPackets + r.audio, s.audioSamples + (r.audio ? 96_000 : 0), s.audioConcealed + (r.concealedPct ?? 0) * 960);
  /** Samples one round apart: `rounds` of the given per-round loss and audio packets. */
  function run(rounds: Round[], ctx: LinkContext) {
    let s = at(0, 0, 0, 0, 0);
    let a = assess(FIRST_ASSESSMENT, s, ctx);
    const actions: LinkAction[] = [];
    for (const r of rounds) {
      s = after(s, r);
      a = assess(a, s, ctx);
      actions.push(a.action);
    }
    return { a, actions };
  }
  const poor = { lossPct: 20, audio: 100 };
  const good = { lossPct: 0, audio: 100 };
  const silent = { lossPct: 0, audio: 0 };
  const concealing = { lossPct: 0, audio: 100, concealedPct: 20 };

  it.each<[string, typeof good[], LinkContext, LinkAction[]]>([
    ['two poor rounds drop the video, once', [poor, poor, poor, poor], video, ['none', 'dropVideo', 'none', 'none']],
    ['a good round in between starts the count again', [poor, good, poor, good], video, ['none', 'none', 'none', 'none']],
    ['audio concealed on a clean network (a busy device?): proposed, not dropped', [concealing, concealing], video, ['none', 'proposeAudioOnly']],
    ['audio-only already: nothing to drop', [poor, poor, poor], { ...video, mode: 'audio' }, ['none', 'none', 'none']],
    ['video brought back by the member: proposed, not dropped', [poor, poor], { ...video, videoKept: true }, ['none', 'proposeAudioOnly']],
    ['no audio packet for 3 rounds: ICE restart, for 6: rebuild', [silent, silent, silent, silent, silent, silent, silent], video,
      ['none', 'none', 'restartIce', 'none', 'none', 'rebuild', 'none']],
    ['nobody speaking with a microphone on: silence is no stall', [silent, silent, silent, silent], { ...video, expectAudio: false }, ['none', 'none', 'none', 'none']],
    ['audio back before the restart: no healing', [silent, silent, good, silent], video, ['none', 'none', 'none', 'none']],
  ])('%s', (_what, rounds, ctx, expected) => expect(run(rounds, ctx).actions).toEqual(expected));

  const fair = { lossPct: 3, audio: 100 };
  it.each<[string, typeof good[], LineState]>([
    ['before any round: taken as good', [], 'open'],
    ['good from the start', [good, good], 'open'],
    ['a fair first round: paced', [fair], 'fair'],
    ['then two good rounds: not yet', [fair, good, good], 'fair'],
    ['three good rounds in a row: documents may take the line', [fair, good, good, good], 'open'],
    ['a rural line, good one round in three: never', [good, good, fair, good, good, fair, good], 'fair'],
    ['one fair round after a good spell: slowed at once', [good, good, good, good, fair], 'fair'],
    ['steady again three rounds after', [good, good, good, fair, good, good, good], 'open'],
    ['a poor round: the poor pace', [good, poor], 'poor'],
    ['a bad line, poor and fair by turns: poor throughout', [poor, fair, poor, fair, fair, poor, fair], 'poor'],
    ['two fair rounds after the last poor one: still poor', [poor, fair, fair], 'poor'],
    ['three: fair again', [poor, fair, fair, fair], 'fair'],
    ['good long enough after a poor round: open', [poor, good, good, good], 'open'],
  ])('documentLine: %s', (_what, rounds, expected) => {
    // From the join: the first round's sample counts from the streams' start.
    let s = at(0, 0, 0, 0, 0);
    let a = FIRST_ASSESSMENT;
    for (const r of rounds) a = assess(a, (s = after(s, r)), video);
    expect(documentLine(a)).toBe(expected);
  });

  it('keeps what it learnt of the line when the media restarts on it, not the old streams\' counters', () => {
    // A fair round, then two without audio: the line not yet steadily good, the streams stalling.
    const { a } = run([fair, silent, silent], video);
    expect(a.stalledRounds).toBe(2);
    const restarted = afterMediaRestart(a);
    expect(documentLine(restarted)).toBe('fair');
    expect(restarted).toEqual({ quality: 'good', poorRounds: 0, goodRounds: 2, roundsSincePoor: Infinity, stalledRounds: 0, action: 'none' });
    expect(documentLine(afterMediaRestart(run([poor], video).a))).toBe('poor');
    expect(documentLine(afterMediaRestart(run([good, good, good], video).a))).toBe('open');
  });

  it('keeps the quality it reports to the server', () => {
    expect(run([poor], video).a.quality).toBe('poor');
    expect(run([poor, good], video).a).toMatchObject({ quality: 'good', poorRounds: 0 });
  });
});

describe('sampleOf', () => {
  it('reads the nominated pair and sums the inbound streams, audio apart', () => {
    const report = [
      { type: 'candidate-pair', nominated: false, currentRoundTripTime: 9, availableIncomingBitrate: 1 },
      { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.2, availableIncomingBitrate: 280_000 },
      { type: 'inbound-rtp', kind: 'audio', packetsLost: 3, packetsReceived: 97, totalSamplesReceived: 93_120, concealedSamples: 2880 },
      { type: 'inbound-rtp', kind: 'video', packetsLost: 1, packetsReceived: 199 },
      { type: 'outbound-rtp', packetsLost: 50, packetsReceived: 0 },
    ];
    expect(sampleOf(report)).toEqual({
      rtt: 0.2, packetsLost: 4, packetsReceived: 296, audioPackets: 97, audioSamples: 93_120, audioConcealed: 2880, availableIncomingBitrate: 280_000,
    });
  });
});

describe('videoBudget and sentLayers: video below a good link keeps to the smallest layer', () => {
  it.each<[LinkQuality, number | undefined, number | undefined]>([
    ['good', undefined, undefined],
    ['good', 900_000, 900_000],
    ['fair', undefined, 150_000],
    ['fair', 900_000, 150_000],
    ['fair', 100_000, 100_000],
    ['poor', 400_000, 150_000],
  ])('%s link measured at %s bit/s: video may take %s', (quality, measured, budget) => {
    expect(videoBudget(quality, measured)).toBe(budget);
    // The budget gives the SFU's smallest layer below a good link, whatever the tile.
    if (quality !== 'good') expect(layerFor(720, budget)).toBe(0);
  });

  it.each<[LinkQuality, number]>([['good', 2], ['fair', 0], ['poor', 0]])('%s link: the camera sends layers up to %i of three', (quality, layer) => {
    expect(sentLayers(quality, 3)).toBe(layer);
  });
});

describe('audioHoldMs: below a good link the received audio waits one round trip for its lost packets', () => {
  it.each<[LinkQuality, number, number | null]>([
    ['good', 0.02, null],
    ['good', 0.9, null],
    ['fair', 0.15, 250],
    ['fair', 0.17, 250],
    ['fair', 0.171, 300],
    ['poor', 0.3, 400],
    ['poor', 0.8, 500],
    ['fair', 0, 100],
  ])('%s link, %s s round trip: held %s ms', (quality, rtt, held) => expect(audioHoldMs(quality, rtt)).toBe(held));
});

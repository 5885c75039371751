import { describe, expect, it } from 'vitest';
import { gridColumns, stageTile, type StageInput } from '../../client/meeting/layout';

const room = (over: Partial<StageInput>): StageInput => ({ pinned: null, lastSpeaker: null, selfId: 1, present: [1, 2, 3, 4], ...over });

describe('stageTile (who is large in speaker view)', () => {
  it.each<[string, StageInput, number | null]>([
    ['the pinned tile, whoever speaks', room({ pinned: 3, lastSpeaker: 2 }), 3],
    ['oneself when pinned', room({ pinned: 1, lastSpeaker: 2 }), 1],
    ['the last speaker when nothing is pinned', room({ lastSpeaker: 4 }), 4],
    ['a pinned member who left gives way to the speaker', room({ pinned: 9, lastSpeaker: 2 }), 2],
    ['oneself speaking does not take the stage', room({ lastSpeaker: 1 }), 2],
    ['a speaker who left gives way to the first other person', room({ lastSpeaker: 7 }), 2],
    ['nobody spoke yet: the first other person', room({}), 2],
    ['alone in the room: oneself', room({ present: [1] }), 1],
    ['nobody at all', room({ selfId: null, present: [] }), null],
  ])('%s', (_case, input, expected) => {
    expect(stageTile(input)).toBe(expected);
  });
});

describe('gridColumns (equal tiles as large as the box allows)', () => {
  it.each<[string, number, number, number, number]>([
    ['one person: one column', 1, 730, 550, 1],
    ['three people on a desktop stage: two columns, two rows fit', 3, 730, 550, 2],
    ['three people in a wide, low box: one row', 3, 1200, 250, 3],
    ['two people on a phone (tall and narrow): one column', 2, 380, 700, 1],
    ['six people on a phone: one column of wide tiles still fits', 6, 380, 700, 1],
    ['eight people on a phone: two columns', 8, 380, 700, 2],
    ['nine people on a desktop: three by three', 9, 1100, 620, 3],
    ['no height known yet: by width alone', 4, 800, 0, 1],
    ['no width yet: one column', 4, 0, 500, 1],
  ])('%s', (_case, count, width, height, expected) => {
    expect(gridColumns(count, width, height)).toBe(expected);
  });
});

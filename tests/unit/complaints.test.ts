import { describe, expect, it } from 'vitest';
import { complaintStep, median, reporterMayAddPhotos } from '../../server/domain/complaints';

describe('the office\'s steps on a report', () => {
  it.each([
    ['received', 'assign', 'in_progress'],
    ['in_progress', 'assign', 'in_progress'],
    ['received', 'resolve', 'resolved'],
    ['in_progress', 'resolve', 'resolved'],
    ['in_progress', 'reject', 'rejected'],
    ['resolved', 'assign', null],
    ['resolved', 'reject', null],
    ['rejected', 'resolve', null],
  ] as const)('%s + %s → %s', (status, action, to) => {
    expect(complaintStep(status, action)).toBe(to);
  });

  it.each([['received', true], ['in_progress', false], ['resolved', false], ['rejected', false]] as const)('photos may be added while %s: %s', (status, may) => {
    expect(reporterMayAddPhotos(status)).toBe(may);
  });
});

describe('median', () => {
  it.each([
    [[], null],
    [[4], 4],
    [[6, 0, 2], 2],
    [[1, 9, 3, 5], 4],
    [[2.5, 2.5], 2.5],
  ])('%j → %s', (values, m) => {
    expect(median(values)).toBe(m);
  });
});

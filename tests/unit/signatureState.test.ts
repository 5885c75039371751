import { describe, expect, it } from 'vitest';
import { signatureState, type CheckedSignature, type SignatureReport } from '../../server/domain/signatureState';

const ORDER = ['secretary', 'chair'];
const sig = (role: string | null, coversUpTo: number, o: Partial<CheckedSignature> = {}): CheckedSignature => ({ role, valid: true, coversRevision: true, coversUpTo, ...o });

describe('signatureState', () => {
  const cases: [string, CheckedSignature[], number, SignatureReport][] = [
    ['finalized, nobody signed', [], 1000, { state: 'unsigned', signedBy: [], awaiting: 'secretary' }],
    ['secretary signed', [sig('secretary', 1200)], 1200, { state: 'partly_signed', signedBy: ['secretary'], awaiting: 'chair' }],
    ['both signed', [sig('secretary', 1200), sig('chair', 1400)], 1400, { state: 'signed', signedBy: ['secretary', 'chair'], awaiting: null }],
    ['modified after both signed', [sig('secretary', 1200), sig('chair', 1400)], 1500, { state: 'modified_after_signing', signedBy: ['secretary', 'chair'], awaiting: null }],
    ['modified after the secretary signed', [sig('secretary', 1200)], 1300, { state: 'modified_after_signing', signedBy: ['secretary'], awaiting: null }],
    ['one byte changed under a signature', [sig('secretary', 1200, { valid: false }), sig('chair', 1400)], 1400, { state: 'invalid_signature', signedBy: ['secretary', 'chair'], awaiting: null }],
    ['a signature that leaves a hole', [sig('secretary', 1200, { coversRevision: false })], 1200, { state: 'invalid_signature', signedBy: ['secretary'], awaiting: null }],
    ['chair before secretary', [sig('chair', 1200)], 1200, { state: 'out_of_order', signedBy: ['chair'], awaiting: null }],
    ['the secretary twice', [sig('secretary', 1200), sig('secretary', 1400)], 1400, { state: 'out_of_order', signedBy: ['secretary', 'secretary'], awaiting: null }],
    ['a signature with no role', [sig(null, 1200)], 1200, { state: 'out_of_order', signedBy: [''], awaiting: null }],
    ['three signatures for two signers', [sig('secretary', 1200), sig('chair', 1400), sig('chair', 1600)], 1600, { state: 'out_of_order', signedBy: ['secretary', 'chair', 'chair'], awaiting: null }],
  ];
  it.each(cases)('%s', (_name, signatures, end, expected) => {
    expect(signatureState(ORDER, signatures, end)).toEqual(expected);
  });

  it('a document with one signer (the arrêté, by the president)', () => {
    expect(signatureState(['president'], [], 900)).toEqual({ state: 'unsigned', signedBy: [], awaiting: 'president' });
    expect(signatureState(['president'], [sig('president', 1100)], 1100)).toEqual({ state: 'signed', signedBy: ['president'], awaiting: null });
  });
});

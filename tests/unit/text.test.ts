import { describe, expect, it } from 'vitest';
import { CreateDossierBody, MessageBody, RequestDocumentsBody } from '../../protocol/dossiers';
import { MinutesTextBody } from '../../protocol/minutes';
import { RecordDecisionBody } from '../../protocol/opinions';
import { CreateSessionBody } from '../../protocol/sessions';
import { cleanLine, cleanProse } from '../../protocol/text';
import { votingSchemas } from '../../protocol/voting';

const RLO = '\u202E', PDF = '\u202C', LRI = '\u2066', PDI = '\u2069';

describe('cleanLine', () => {
  it.each([
    ['plain text', 'Rue de la Source 5', 'Rue de la Source 5'],
    ['Arabic', 'شارع العين، عين دراهم', 'شارع العين، عين دراهم'],
    ['right-to-left override (the "invoice‮fdp.exe" trick)', `invoice${RLO}fdp.exe`, 'invoicefdp.exe'],
    ['every embedding, override and isolate', `a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j`, 'abcdefghij'],
    ['LRM, RLM and the Arabic letter mark', 'a\u200Eb\u200Fc\u061Cd', 'abcd'],
    ['invisible characters: soft hyphen, zero-width space, word joiner, BOM', 'a\u00ADb\u200Bc\u2060d\uFEFFe', 'abcde'],
    ['tag characters (hidden ASCII)', 'ok\u{E0041}\u{E0042}', 'ok'],
    ['interlinear annotation', 'a\uFFF9b\uFFFAc\uFFFBd', 'abcd'],
    ['ZWNJ kept (Persian, Arabic-script joining)', 'می\u200Cخواهم', 'می\u200Cخواهم'],
    ['ZWJ kept (joining, emoji sequences)', 'ل\u200Dا 👩\u200D💻', 'ل\u200Dا 👩\u200D💻'],
    ['line breaks and tabs become spaces', 'a\nb\r\nc\td\u2028e\u2029f\u0085g', 'a b  c d e f g'],
    ['other control characters removed', 'a\u0000b\u0007c\u001Bd\u007Fe\u0090f', 'abcdef'],
    ['a lone surrogate becomes U+FFFD', 'a\uD800b\uDC00c', 'a\uFFFDb\uFFFDc'],
    ['a well-formed pair is kept', 'a\u{1F600}b', 'a\u{1F600}b'],
    ['NFC: e + combining acute is é', 'e\u0301', '\u00E9'],
    ['NFC: Arabic alef + hamza above is أ', '\u0627\u0654', '\u0623'],
  ])('%s', (_what, input, output) => {
    expect(cleanLine(input)).toBe(output);
  });
});

describe('cleanProse', () => {
  it.each([
    ['keeps line breaks and tabs', 'a\nb\tc', 'a\nb\tc'],
    ['CR LF, CR and the Unicode separators become LF', 'a\r\nb\rc\u2028d\u2029e\u0085f', 'a\nb\nc\nd\ne\nf'],
    ['removes other controls and format characters', `a\u0000b${RLO}c${PDF}d${LRI}e${PDI}\u200Ff`, 'abcdef'],
  ])('%s', (_what, input, output) => {
    expect(cleanProse(input)).toBe(output);
  });
});

describe('every user-text field of the protocol is cleaned', () => {
  const hostile = `ok${RLO}4f2a${PDF}${LRI}x${PDI}\u200F`;
  const clean = 'ok4f2ax';
  const location = { address: 'x', parcelRef: 'y' };
  it.each([
    ['dossier address', () => CreateDossierBody.parse({ municipalityId: 1, typeCode: 'n', location: { ...location, address: hostile }, coveredAreaM2: 1, levels: 1, nearProtectedSite: false }).location.address],
    ['dossier parcel', () => CreateDossierBody.parse({ municipalityId: 1, typeCode: 'n', location: { ...location, parcelRef: hostile }, coveredAreaM2: 1, levels: 1, nearProtectedSite: false }).location.parcelRef],
    ['message', () => MessageBody.parse({ body: hostile }).body],
    ['request for documents', () => RequestDocumentsBody.parse({ message: hostile }).message],
    ['session location', () => CreateSessionBody.parse({ municipalityId: 1, startsAt: '2026-12-03T09:30:00+01:00', mode: 'remote', location: hostile }).location],
    ['arrêté number', () => RecordDecisionBody.parse({ outcome: 'granted', arreteNumber: hostile, signedOn: '2026-12-03' }).arreteNumber],
    ['decision notes', () => RecordDecisionBody.parse({ outcome: 'granted', arreteNumber: '1', signedOn: '2026-12-03', notes: hostile }).notes],
    ['recusal reason', () => votingSchemas.recuse.parse({ agendaItemId: 1, reason: hostile }).reason],
    ['vote question', () => votingSchemas.openVote.parse({ agendaItemId: 1, question: hostile }).question],
    ['vote conditions', () => votingSchemas.openVote.parse({ agendaItemId: 1, question: 'q', conditions: hostile }).conditions],
    ['vote reasons', () => votingSchemas.closeVote.parse({ voteId: 1, reasons: hostile }).reasons],
    ['minutes remarks', () => MinutesTextBody.parse({ remarks: hostile }).remarks],
    ['minutes item text', () => MinutesTextBody.parse({ notes: { 1: hostile } }).notes![1]],
  ])('%s', (_what, parsed) => {
    expect(parsed()).toBe(clean);
  });

  it('counts the limit on the cleaned text, and refuses a required field that is only controls', () => {
    expect(MessageBody.safeParse({ body: `${RLO}${PDF}\u200B` }).success).toBe(false);
    expect(RecordDecisionBody.safeParse({ outcome: 'granted', arreteNumber: `${'1'.repeat(64)}${RLO.repeat(100)}`, signedOn: '2026-12-03' }).success).toBe(true);
  });

  it('keeps what the secretary is typing at the end of the minutes (no trim while autosaving)', () => {
    expect(MinutesTextBody.parse({ remarks: 'La séance ' }).remarks).toBe('La séance ');
  });
});

/**
 * PAdES B-T: an RFC 3161 timestamp over a signature's value, from the timestamp authority
 * (TSA) that TSA_URL names, so the time a signature existed is vouched for by someone other
 * than the signer's server. The request is a TimeStampReq over HTTP (RFC 3161 §3.4):
 * sha256 message imprint, a random nonce, certReq (the TSA's certificate comes in the
 * token, so a reader needs nothing else to check it). Whatever the TSA answers is checked
 * before it goes into a signature; a TSA that fails, is late or answers something else
 * refuses the signing (502 timestamp_unavailable), and nothing is signed.
 */
import crypto from 'node:crypto';
import { AppError } from '../errors';
import {
  bool, bytesOf, children, der, fromDer, HASH_OF, int, intOfBytes, isUniversal, nul, octets, OID, oid, oidOf, seq, sha256, timeOf, Type,
} from './asn1';
import { commonName } from '../../protocol/signing';
import { readCms, type Timestamper } from './cms';

export interface TsaOptions {
  url: string;
  timeoutMs: number;
}

/** A reply larger than this is not a timestamp: a token with its TSA's chain is a few kilobytes, and it must fit the signature's room in the PDF. */
export const MAX_TSA_REPLY_BYTES = 8 * 1024;

export interface TimestampReading {
  /** genTime: when the TSA says the signature value existed. */
  time: Date;
  /** The common name of the TSA's certificate (the one that signed the token). */
  authority: string | null;
  /** The token's message imprint is the hash of this signature value. */
  imprintMatches: boolean;
  /** The token is signed by the certificate it names, and that certificate is for time-stamping. */
  valid: boolean;
  nonce: Buffer | null;
}

/** What a timestamp token (a SignedData over a TSTInfo) says about `signatureValue`; null when it is not one. */
export function readTimestamp(token: Buffer, signatureValue: Buffer): TimestampReading | null {
  try {
    const cms = readCms(token);
    if (!cms?.encapsulated || cms.encapsulated.type !== OID.tstInfo) return null;
    // TSTInfo: version, policy, messageImprint, serialNumber, genTime, then accuracy, ordering, nonce… as present.
    const tst = children(fromDer(cms.encapsulated.content));
    const [algorithm, hashed] = children(tst[2]);
    const hash = HASH_OF[oidOf(children(algorithm)[0])];
    const nonce = tst.slice(5).find((n) => isUniversal(n, Type.INTEGER));
    return {
      time: timeOf(tst[4]!),
      authority: commonName(cms.signer?.subject),
      imprintMatches: !!hash && crypto.createHash(hash).update(signatureValue).digest().equals(bytesOf(hashed)),
      valid: cms.verify(cms.encapsulated.content) && !!cms.signer?.keyUsage?.includes(OID.timeStamping),
      nonce: nonce ? bytesOf(nonce) : null,
    };
  } catch {
    return null;
  }
}

const unavailable = (reason: string, message: string) =>
  new AppError(502, 'timestamp_unavailable', `the timestamp authority ${message}: nothing was signed`, { reason });

/** The body, refused once it passes `max` bytes. */
async function readAtMost(res: Response, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
    size += read.value.length;
    if (size > max) {
      await reader!.cancel();
      throw unavailable('too_large', `answered more than ${max} bytes`);
    }
    parts.push(Buffer.from(read.value));
  }
  return Buffer.concat(parts);
}

/** The token of a TimeStampResp whose status is granted (0) or granted with modifications (1); null otherwise. */
function grantedToken(reply: Buffer): Buffer | null {
  const [statusInfo, token] = children(fromDer(reply));
  const status = children(statusInfo)[0];
  const granted = status && isUniversal(status, Type.INTEGER) && [0, 1].includes(bytesOf(status).readUIntBE(0, 1));
  return granted && token ? der(token) : null;
}

/** Asks the TSA at `tsa.url` for a token over each signature value, checked; refuses (502) on any failure. */
export function timestampAuthority(tsa: TsaOptions): Timestamper {
  return async (signatureValue) => {
    const nonce = crypto.randomBytes(8);
    // A positive INTEGER in its minimal encoding, so the TSA's echo is byte for byte the same.
    nonce[0] = (nonce[0]! & 0x7f) | 0x01;
    const query = seq([int(1), seq([seq([oid(OID.sha256), nul()]), octets(sha256(signatureValue))]), intOfBytes(nonce), bool(true)]);
    let reply: Buffer;
    try {
      const res = await fetch(tsa.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
        body: der(query),
        redirect: 'error',
        signal: AbortSignal.timeout(tsa.timeoutMs),
      });
      if (!res.ok) throw unavailable('http_status', `answered HTTP ${res.status}`);
      reply = await readAtMost(res, MAX_TSA_REPLY_BYTES);
    } catch (error) {
      if (error instanceof AppError) throw error;
      if ((error as Error).name === 'TimeoutError') throw unavailable('timeout', `did not answer within ${tsa.timeoutMs / 1000} s`);
      throw unavailable('unreachable', 'could not be reached');
    }
    let token: Buffer | null;
    try {
      token = grantedToken(reply);
    } catch {
      throw unavailable('malformed', 'answered something that is not a timestamp reply');
    }
    if (!token) throw unavailable('rejected', 'refused to timestamp');
    const reading = readTimestamp(token, signatureValue);
    if (!reading) throw unavailable('malformed', 'answered something that is not a timestamp token');
    if (!reading.imprintMatches || !reading.nonce?.equals(nonce)) throw unavailable('mismatch', 'answered a timestamp of something else');
    if (!reading.valid) throw unavailable('bad_signature', 'answered a timestamp whose signature does not hold');
    return token;
  };
}

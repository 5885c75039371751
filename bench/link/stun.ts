/** STUN (RFC 5389) as far as the relay needs it: whose ICE transport a new flow belongs to. */

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const USERNAME = 0x0006;

/**
 * The USERNAME of a STUN binding request ("serverUfrag:clientUfrag" from a browser to the
 * SFU), or undefined when the datagram is not one.
 */
export function stunUsername(packet: Buffer): string | undefined {
  if (packet.length < 20 || packet.readUInt16BE(0) !== BINDING_REQUEST || packet.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  const end = Math.min(packet.length, 20 + packet.readUInt16BE(2));
  for (let at = 20; at + 4 <= end; ) {
    const type = packet.readUInt16BE(at);
    const length = packet.readUInt16BE(at + 2);
    if (at + 4 + length > end) return undefined;
    if (type === USERNAME) return packet.toString('utf8', at + 4, at + 4 + length);
    at += 4 + Math.ceil(length / 4) * 4; // attributes are padded to 4 bytes
  }
  return undefined;
}

/** The SFU side's ufrag in a binding request's USERNAME (the part before the colon). */
export function serverUfrag(packet: Buffer): string | undefined {
  return stunUsername(packet)?.split(':')[0];
}

/** The first frame of an ICE-TCP stream (RFC 4571: a 2-byte length, then the STUN message). */
export function firstFrame(stream: Buffer): Buffer {
  return stream.length < 2 ? Buffer.alloc(0) : stream.subarray(2, 2 + stream.readUInt16BE(0));
}

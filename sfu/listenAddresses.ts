import os from 'node:os';

/** An address a worker's WebRtcServer binds, and the one it gives browsers when they differ (NAT). */
export interface ListenAddress {
  ip: string;
  announcedAddress?: string;
}

type Interfaces = ReturnType<typeof os.networkInterfaces>;

const WILDCARDS = new Set(['0.0.0.0', '::']);

/**
 * Where media is received. A wildcard bind (0.0.0.0, ::) without an announced address
 * would hand browsers the wildcard as their ICE candidate, which none can reach; so the
 * server listens on each of the machine's own addresses instead (external ones first, as
 * ICE prefers the first; loopback last, so a browser on the server itself connects too).
 * IPv6 link-local addresses need a scope id a browser cannot use: left out.
 */
export function listenAddresses(listenIp: string, announcedAddress: string | undefined, interfaces: Interfaces = os.networkInterfaces()): ListenAddress[] {
  if (!WILDCARDS.has(listenIp)) return [{ ip: listenIp, announcedAddress }];
  if (announcedAddress) return [{ ip: listenIp, announcedAddress }];
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  const usable = all.filter((a) => (listenIp === '::' || a.family === 'IPv4') && !a.address.toLowerCase().startsWith('fe80:'));
  const ordered = [...usable.filter((a) => !a.internal), ...usable.filter((a) => a.internal)];
  const unique = [...new Set(ordered.map((a) => a.address))];
  if (unique.length === 0) throw new Error(`no network address to receive media on (listen IP ${listenIp}); set MEDIASOUP_LISTEN_IP or MEDIASOUP_ANNOUNCED_ADDRESS`);
  return unique.map((ip) => ({ ip }));
}

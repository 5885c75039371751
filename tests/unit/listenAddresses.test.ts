import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { listenAddresses } from '../../sfu/listenAddresses';

type Info = os.NetworkInterfaceInfo;
const v4 = (address: string, internal = false) => ({ address, family: 'IPv4', internal, netmask: '', mac: '', cidr: null }) as Info;
const v6 = (address: string, internal = false) => ({ address, family: 'IPv6', internal, netmask: '', mac: '', cidr: null, scopeid: 0 }) as Info;
const MACHINE = { lo: [v4('127.0.0.1', true), v6('::1', true)], eth0: [v4('10.0.0.5'), v6('fe80::1'), v6('2001:db8::5')], eth1: [v4('192.168.1.20')] };

describe('listenAddresses', () => {
  it.each([
    ['a specific address is used as it is', '127.0.0.1', undefined, [{ ip: '127.0.0.1' }]],
    ['a specific address with an announced one (NAT)', '10.0.0.5', '203.0.113.7', [{ ip: '10.0.0.5', announcedAddress: '203.0.113.7' }]],
    ['a wildcard with an announced address binds the wildcard', '0.0.0.0', '203.0.113.7', [{ ip: '0.0.0.0', announcedAddress: '203.0.113.7' }]],
    ['0.0.0.0 alone: each IPv4 address, external first, loopback last', '0.0.0.0', undefined, [{ ip: '10.0.0.5' }, { ip: '192.168.1.20' }, { ip: '127.0.0.1' }]],
    [':: alone: every address but link-local ones', '::', undefined, [{ ip: '10.0.0.5' }, { ip: '2001:db8::5' }, { ip: '192.168.1.20' }, { ip: '127.0.0.1' }, { ip: '::1' }]],
  ])('%s', (_name, ip, announced, expected) => {
    expect(listenAddresses(ip, announced, MACHINE)).toEqual(expected);
  });

  it('says what to set when a wildcard finds no address at all', () => {
    expect(() => listenAddresses('0.0.0.0', undefined, {})).toThrow(/MEDIASOUP_LISTEN_IP or MEDIASOUP_ANNOUNCED_ADDRESS/);
  });
});

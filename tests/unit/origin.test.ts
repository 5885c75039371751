import { describe, expect, it } from 'vitest';
import { originAllowed } from '../../server/realtime/io';

const req = (origin: string | undefined, host: string | undefined) => ({ headers: { ...(origin === undefined ? {} : { origin }), ...(host === undefined ? {} : { host }) } });

describe('originAllowed (socket.io handshake and upgrade)', () => {
  it.each([
    [undefined, 'lajna.tn', undefined, true],
    ['https://lajna.tn', 'lajna.tn', undefined, true],
    ['http://localhost:3000', 'localhost:3000', undefined, true],
    ['HTTP://LOCALHOST:3000', 'localhost:3000', undefined, true],
    ['https://lajna.tn', 'LAJNA.TN', undefined, true],
    ['http://lajna.tn', 'lajna.tn:80', undefined, true],
    ['https://lajna.tn', 'lajna.tn:443', undefined, false], // Host names the http default port; the origin is another one
    ['http://localhost:3001', 'localhost:3000', undefined, false],
    ['https://evil.example', 'lajna.tn', undefined, false],
    ['https://lajna.tn.evil.example', 'lajna.tn', undefined, false],
    ['null', 'lajna.tn', undefined, false],
    ['foo', 'lajna.tn', undefined, false],
    ['', 'lajna.tn', undefined, false],
    ['http://[::1', 'lajna.tn', undefined, false],
    ['file://', 'lajna.tn', undefined, false],
    ['ftp://lajna.tn', 'lajna.tn', undefined, false],
    ['https://lajna.tn', undefined, undefined, false],
    ['https://lajna.tn', 'a b', undefined, false],
    ['https://committee.ain-draham.tn', '10.0.0.5:3000', 'https://committee.ain-draham.tn', true],
    ['https://other.tn', '10.0.0.5:3000', 'https://committee.ain-draham.tn', false],
  ])('Origin %j, Host %j, PUBLIC_URL %j → %s', (origin, host, publicUrl, allowed) => {
    expect(originAllowed(req(origin, host), publicUrl)).toBe(allowed);
  });
});

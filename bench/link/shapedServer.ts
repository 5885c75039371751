/**
 * A test server whose members each meet over their own emulated line. The worker listens on
 * 127.0.0.1 and announces 127.0.0.2, where the media relay sits at the same ports; each
 * member's page is served through an HTTP relay on that member's link, so the page, its
 * range requests, the socket.io WebSocket and the media share one line. Members without a
 * link (the chair in the town hall) load the page directly and their media passes clear.
 */
import { startTestServer, type TestServer } from '../../tests/support/server';
import type { Config } from '../../server/config';
import { mediaOf } from '../../server/meeting/features/media';
import { Link, MediaRelay, TcpRelay } from './relay';
import type { LinkProfile } from './profiles';

const ANNOUNCED = '127.0.0.2';

export class ShapedServer {
  readonly #links = new Map<number, Link>();
  readonly #http: TcpRelay[] = [];
  readonly #clear = new Link(undefined);
  #seed = 1;

  private constructor(readonly test: TestServer, private media: MediaRelay | undefined) {}

  static async create(overrides: (c: Config) => void = () => {}): Promise<ShapedServer> {
    const test = await startTestServer((c) => {
      c.mediasoup.listenIp = '127.0.0.1';
      c.mediasoup.announcedAddress = ANNOUNCED;
      overrides(c);
    });
    const shaped = new ShapedServer(test, undefined);
    const dump = await test.server.workers.entries[0]!.webRtcServer.dump();
    shaped.media = await MediaRelay.create({
      address: ANNOUNCED,
      target: '127.0.0.1',
      udpPort: dump.udpSockets[0]?.port,
      tcpPort: dump.tcpServers[0]?.port,
      linkOfUfrag: (ufrag) => shaped.#linkOfUfrag(ufrag),
    });
    return shaped;
  }

  get url(): string {
    return this.test.url;
  }

  /**
   * Puts a member on a line of `profile` and answers the address their browser loads the
   * app from (an HTTP relay on that line).
   */
  async lineFor(userId: number, profile: LinkProfile): Promise<{ url: string; link: Link }> {
    const link = new Link(profile, this.#seed++ * 1000);
    this.#links.set(userId, link);
    const relay = await TcpRelay.create({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: this.test.server.port }, () => link);
    this.#http.push(relay);
    return { url: `http://127.0.0.1:${relay.port}`, link };
  }

  /** The line of whoever owns the WebRTC transport with this ICE ufrag (a member's socket's peer). */
  async #linkOfUfrag(ufrag: string | undefined): Promise<Link> {
    if (!ufrag) return this.#clear;
    const meeting = this.test.server.meeting;
    for (const room of meeting.rooms.values()) {
      const media = await mediaOf(room).current?.catch(() => undefined);
      for (const peer of media?.peers.values() ?? [])
        for (const transport of peer.transports.values())
          if (transport.iceParameters.usernameFragment === ufrag) {
            const userId = meeting.nsp.sockets.get(peer.id)?.data.principal.userId;
            return (userId !== undefined && this.#links.get(userId)) || this.#clear;
          }
    }
    return this.#clear;
  }

  async close(): Promise<void> {
    await this.media?.close();
    await Promise.all(this.#http.map((r) => r.close()));
    for (const link of this.#links.values()) link.close();
    await this.test.close();
  }
}

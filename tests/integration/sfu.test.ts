import { Device, MediaStreamTrack, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'msc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../sfu/WorkerPool';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let pool: WorkerPool;

beforeAll(async () => {
  pool = await WorkerPool.create({ workers: 1, listenIp: '127.0.0.1', rtcPort: 0 });
});
afterAll(() => pool.close());

describe('mediasoup worker built for this machine', () => {
  it('carries a real WebRTC (ICE + DTLS + SRTP) connection from Node through its WebRtcServer', async () => {
    const { worker, webRtcServer } = await pool.leastLoaded();
    const router = await worker.createRouter({
      mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
    });
    const transport = await router.createWebRtcTransport({ webRtcServer });
    const device = new Device({
      codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })], video: [] },
    });
    await device.load({ routerRtpCapabilities: router.rtpCapabilities });
    const send = device.createSendTransport({
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates as never, // msc-node types tcpType as always present
      dtlsParameters: transport.dtlsParameters,
      iceServers: [],
      additionalSettings: { iceInterfaceAddresses: { udp4: '127.0.0.1' }, iceUseIpv6: false },
    });
    send.on('connect', ({ dtlsParameters }, ok, fail) => transport.connect({ dtlsParameters }).then(ok, fail));
    send.on('produce', ({ kind, rtpParameters }, ok, fail) =>
      transport.produce({ kind, rtpParameters }).then((p) => ok({ id: p.id }), fail),
    );
    const track = new MediaStreamTrack({ kind: 'audio' });
    const producer = await send.produce({ track });
    expect(producer.id).toBeTruthy();

    for (let i = 0; i < 100; i++) {
      track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 100, sequenceNumber: i, timestamp: i * 960, ssrc: 1111, marker: false }), Buffer.alloc(80, i)));
      await sleep(10);
      if (i > 50 && transport.dtlsState === 'connected') break;
    }
    await sleep(300);
    const [stats] = await transport.getStats();
    expect(transport.iceState).toMatch(/connected|completed/);
    expect(transport.dtlsState).toBe('connected');
    expect(stats!.rtpBytesReceived).toBeGreaterThan(0);
    send.close();
    router.close();
    const dump = await worker.dump();
    expect(dump.routerIds).toEqual([]);
    expect(worker.died).toBe(false);
  });
});

import { useParams } from '@solidjs/router';
import './meeting.css';
import { createEffect, createResource, createSignal, For, onCleanup, Show, untrack } from 'solid-js';
import type { PresenceMode } from '../../protocol/meeting';
import { t } from '../i18n';
import { api } from '../lib/api';
import { formatDateTime, localName } from '../lib/dossiers';
import { MeetingConnection } from './MeetingConnection';
import { Room } from './Room';

/** The committee meeting room of one session: pre-join screen, then the room. */
export function MeetingRoomPage() {
  const params = useParams<{ sessionId: string }>();
  // Connected from the pre-join screen on, so that "join" only has to join.
  const connection = new MeetingConnection(Number(params.sessionId));
  onCleanup(() => void connection.leave());
  return (
    <section class="meeting">
      <h1>{t('meeting.room')}</h1>
      <Show when={connection.state.phase !== 'lobby'} fallback={<PreJoin sessionId={connection.sessionId} onJoin={(o) => connection.enter(o)} />}>
        <Room connection={connection} />
      </Show>
    </section>
  );
}

/** The microphone's level, 0..1, while `stream` has an audio track: what the pre-join meter shows. */
function micLevel(stream: () => MediaStream | undefined): () => number {
  const [level, setLevel] = createSignal(0);
  createEffect(() => {
    const track = stream()?.getAudioTracks()[0];
    if (!track) return setLevel(0);
    const audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 512;
    audio.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const v of samples) peak = Math.max(peak, Math.abs(v - 128) / 128);
      setLevel(peak);
    }, 100);
    onCleanup(() => {
      clearInterval(timer);
      void audio.close();
    });
  });
  return level;
}

function PreJoin(props: { sessionId: number; onJoin: (o: { mode: PresenceMode; mic?: MediaStreamTrack; camera?: MediaStreamTrack }) => void }) {
  const [micId, setMicId] = createSignal('');
  const [cameraId, setCameraId] = createSignal('');
  const [audioOnly, setAudioOnly] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const [stream, setStream] = createSignal<MediaStream>();
  const [acquiring, setAcquiring] = createSignal(true);
  const [devices, { refetch }] = createResource(() => navigator.mediaDevices.enumerateDevices());
  // Which session this is, said before anyone enters.
  const [session] = createResource(() => props.sessionId, (id) => api.sessions.get(id));
  const [preview, setPreview] = createSignal<HTMLVideoElement>();
  const level = micLevel(stream);

  // Re-acquire the preview whenever the choice changes; stop the previous tracks.
  createEffect(async () => {
    const video = !audioOnly() && cameraId() !== 'none';
    const audio = micId() !== 'none';
    untrack(stream)?.getTracks().forEach((tr) => tr.stop());
    setStream(undefined);
    if (!audio && !video) return setAcquiring(false);
    setAcquiring(true);
    try {
      const s = await navigator.mediaDevices.getUserMedia({
        audio: audio ? (micId() ? { deviceId: { exact: micId() } } : true) : false,
        video: video ? { ...(cameraId() ? { deviceId: { exact: cameraId() } } : {}), width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15 } } : false,
      });
      setStream(s);
      setFailed(false);
      void refetch(); // device labels appear once permission is granted
    } catch {
      setFailed(true);
    }
    setAcquiring(false);
  });
  // The <video> exists only once there is a camera track: set its source when either appears.
  createEffect(() => {
    const el = preview();
    if (el) el.srcObject = stream() ?? null;
  });
  // The device in use, chosen or the browser's default: what each list shows as selected.
  const inUse = (kind: 'audio' | 'video', chosen: string) => {
    if (chosen) return chosen;
    const track = kind === 'audio' ? stream()?.getAudioTracks()[0] : stream()?.getVideoTracks()[0];
    return track?.getSettings().deviceId ?? 'none';
  };
  const join = () => {
    const s = stream();
    props.onJoin({ mode: audioOnly() ? 'audio' : 'video', mic: s?.getAudioTracks()[0], camera: s?.getVideoTracks()[0] });
  };
  const list = (kind: MediaDeviceKind) => (devices() ?? []).filter((d) => d.kind === kind && d.deviceId);
  return (
    <div class="prejoin">
      <h2>{t('meeting.prejoin.title')}</h2>
      <Show when={session()}>
        {(s) => (
          <p data-testid="prejoin-session">
            <strong><bdi>{localName(s().committee)}</bdi></strong> — {t('meeting.prejoin.session', { when: formatDateTime(s().startsAt) })} ({t(`words.sessionMode.${s().mode}`)})
          </p>
        )}
      </Show>
      <div class="tile preview">
        <Show when={stream()?.getVideoTracks().length} fallback={<span class="muted">{t('meeting.prejoin.previewOff')}</span>}>
          <video ref={setPreview} autoplay muted playsinline data-testid="preview" />
        </Show>
      </div>
      <label>
        {t('meeting.prejoin.level')}
        <meter data-testid="mic-level" min={0} max={1} low={0.05} value={level()} />
      </label>
      <Show when={failed()}>
        <p class="error" role="alert">{t('meeting.prejoin.deviceError')}</p>
      </Show>
      <label>
        {t('meeting.prejoin.microphone')}
        <select data-testid="mic-select" onChange={(e) => setMicId(e.currentTarget.value)}>
          <For each={list('audioinput')}>{(d) => <option value={d.deviceId} selected={d.deviceId === inUse('audio', micId())}>{d.label || d.deviceId}</option>}</For>
          <option value="none" selected={micId() === 'none'}>{t('meeting.prejoin.none')}</option>
        </select>
      </label>
      <label>
        {t('meeting.prejoin.camera')}
        <select data-testid="camera-select" onChange={(e) => setCameraId(e.currentTarget.value)}>
          <For each={list('videoinput')}>{(d) => <option value={d.deviceId} selected={d.deviceId === inUse('video', cameraId())}>{d.label || d.deviceId}</option>}</For>
          <option value="none" selected={cameraId() === 'none'}>{t('meeting.prejoin.none')}</option>
        </select>
      </label>
      <label class="check">
        <input type="checkbox" data-testid="audio-only" checked={audioOnly()} onChange={(e) => setAudioOnly(e.currentTarget.checked)} />
        {t('meeting.prejoin.audioOnly')}
      </label>
      <button type="button" class="primary" data-testid="join" disabled={acquiring()} onClick={join}>
        {t('meeting.prejoin.join')}
      </button>
    </div>
  );
}

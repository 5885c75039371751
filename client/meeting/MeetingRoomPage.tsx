import { useParams } from '@solidjs/router';
import './meeting.css';
import { createEffect, createResource, createSignal, For, onCleanup, Show, untrack } from 'solid-js';
import type { PresenceMode } from '../../protocol/meeting';
import { t } from '../i18n';
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
      <Show when={connection.state.phase !== 'lobby'} fallback={<PreJoin onJoin={(o) => connection.enter(o)} />}>
        <Room connection={connection} />
      </Show>
    </section>
  );
}

function PreJoin(props: { onJoin: (o: { mode: PresenceMode; mic?: MediaStreamTrack; camera?: MediaStreamTrack }) => void }) {
  const [micId, setMicId] = createSignal('');
  const [cameraId, setCameraId] = createSignal('');
  const [audioOnly, setAudioOnly] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const [stream, setStream] = createSignal<MediaStream>();
  const [acquiring, setAcquiring] = createSignal(true);
  const [devices, { refetch }] = createResource(() => navigator.mediaDevices.enumerateDevices());
  let preview!: HTMLVideoElement;

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
  createEffect(() => {
    if (preview) preview.srcObject = stream() ?? null;
  });
  const join = () => {
    const s = stream();
    props.onJoin({ mode: audioOnly() ? 'audio' : 'video', mic: s?.getAudioTracks()[0], camera: s?.getVideoTracks()[0] });
  };
  const list = (kind: MediaDeviceKind) => (devices() ?? []).filter((d) => d.kind === kind && d.deviceId);
  return (
    <div class="prejoin">
      <h2>{t('meeting.prejoin.title')}</h2>
      <div class="tile preview">
        <Show when={stream()?.getVideoTracks().length} fallback={<span class="muted">{t('meeting.prejoin.previewOff')}</span>}>
          <video ref={preview} autoplay muted playsinline />
        </Show>
      </div>
      <Show when={failed()}>
        <p class="error" role="alert">{t('meeting.prejoin.deviceError')}</p>
      </Show>
      <label>
        {t('meeting.prejoin.microphone')}
        <select data-testid="mic-select" onChange={(e) => setMicId(e.currentTarget.value)}>
          <For each={list('audioinput')}>{(d) => <option value={d.deviceId}>{d.label || d.deviceId}</option>}</For>
          <option value="none">{t('meeting.prejoin.none')}</option>
        </select>
      </label>
      <label>
        {t('meeting.prejoin.camera')}
        <select data-testid="camera-select" onChange={(e) => setCameraId(e.currentTarget.value)}>
          <For each={list('videoinput')}>{(d) => <option value={d.deviceId}>{d.label || d.deviceId}</option>}</For>
          <option value="none">{t('meeting.prejoin.none')}</option>
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

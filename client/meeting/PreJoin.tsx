import { createEffect, createResource, createSignal, For, onCleanup, Show, untrack, type ParentProps } from 'solid-js';
import { t } from '../i18n';
import type { JoinOptions } from './MediaSession';

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

/** A list of the devices of one kind, the one in use selected, and "none". */
function DeviceSelect(props: { label: string; testId: string; devices: MediaDeviceInfo[]; inUse: string; chosen: string; onChoose: (deviceId: string) => void }) {
  return (
    <label>
      {props.label}
      <select data-testid={props.testId} onChange={(e) => props.onChoose(e.currentTarget.value)}>
        <For each={props.devices}>{(d) => <option value={d.deviceId} selected={d.deviceId === props.inUse}>{d.label || d.deviceId}</option>}</For>
        <option value="none" selected={props.chosen === 'none'}>{t('meeting.prejoin.none')}</option>
      </select>
    </label>
  );
}

/**
 * Before entering: what one enters (`children`), the camera's preview, the microphone's
 * level, the devices to use (or none, or audio only) and the button that enters with them.
 * The members' pre-join and the invited guest's.
 */
export function PreJoin(props: ParentProps<{ onJoin: (options: JoinOptions) => void; joinLabel?: string }>) {
  const [micId, setMicId] = createSignal('');
  const [cameraId, setCameraId] = createSignal('');
  const [audioOnly, setAudioOnly] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const [stream, setStream] = createSignal<MediaStream>();
  const [acquiring, setAcquiring] = createSignal(true);
  const [devices, { refetch }] = createResource(() => navigator.mediaDevices.enumerateDevices());
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
      {props.children}
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
      <DeviceSelect label={t('meeting.prejoin.microphone')} testId="mic-select" devices={list('audioinput')} inUse={inUse('audio', micId())} chosen={micId()} onChoose={setMicId} />
      <DeviceSelect label={t('meeting.prejoin.camera')} testId="camera-select" devices={list('videoinput')} inUse={inUse('video', cameraId())} chosen={cameraId()} onChoose={setCameraId} />
      <label class="check">
        <input type="checkbox" data-testid="audio-only" checked={audioOnly()} onChange={(e) => setAudioOnly(e.currentTarget.checked)} />
        {t('meeting.prejoin.audioOnly')}
      </label>
      <button type="button" class="primary" data-testid="join" disabled={acquiring()} onClick={join}>
        {props.joinLabel ?? t('meeting.prejoin.join')}
      </button>
    </div>
  );
}

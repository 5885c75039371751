import { useParams } from '@solidjs/router';
import './meeting.css';
import { createEffect, createResource, createSignal, For, Match, onCleanup, onMount, Show, Switch, untrack } from 'solid-js';
import type { Participant, PresenceMode } from '../../protocol/meeting';
import { t } from '../i18n';
import { formatDateTime, localName } from '../lib/dossiers';
import { chatPane } from './ChatPane';
import { documentPane } from './DocumentPane';
import { MeetingConnection } from './MeetingConnection';
import type { RemoteTrack } from './MediaSession';
import { minutesPane } from './MinutesPane';
import type { MeetingPane, PaneFactory } from './pane';
import { votePane } from './VotePane';

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

/** The panes features contribute, in tab order after the video and the participants. */
const FEATURE_PANES: PaneFactory[] = [documentPane, votePane, chatPane, minutesPane];

function Room(props: { connection: MeetingConnection }) {
  const c = props.connection;
  const s = c.state;
  const m = c.media.state;
  const isChair = () => s.self?.seat === 'chair';
  const handUp = () => !!s.self && s.hands.includes(s.self.userId);
  const others = () => s.participants.filter((p) => p.userId !== s.self?.userId);
  const byId = (id: number) => s.participants.find((p) => p.userId === id);
  // A wide screen shows the video beside the chosen pane: start there with the participants.
  const [active, setActive] = createSignal(matchMedia('(min-width: 900px)').matches ? 'people' : 'video');

  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key === 'm') void c.media.toggleMic();
    else if (key === 'v') void c.media.toggleCamera();
    else if (key === 'h') void c.toggleHand();
  };
  onMount(() => window.addEventListener('keydown', onKey));
  onCleanup(() => window.removeEventListener('keydown', onKey));

  const endSession = () => {
    if (confirm(t('meeting.endConfirm'))) void c.endSession().catch((e: Error) => alert(e.message));
  };
  const waiting = () => s.session?.status === 'planned';

  const video: MeetingPane = {
    id: 'video',
    label: () => t('meeting.panes.video'),
    render: () => (
      <div class="grid" data-testid="grid">
        <SelfTile connection={c} />
        <For each={others()}>
          {(p) => (
            <Tile
              participant={p}
              label={localName(p)}
              active={s.activeSpeaker === p.userId}
              video={m.remote.find((r) => r.userId === p.userId && r.kind === 'video' && !r.paused)}
              audio={m.remote.filter((r) => r.userId === p.userId && r.kind === 'audio')}
              onHeight={(consumerId, h) => c.media.setTileHeight(consumerId, h)}
            />
          )}
        </For>
      </div>
    ),
  };
  const people: MeetingPane = {
    id: 'people',
    label: () => t('meeting.panes.people'),
    render: () => (
      <>
        <h2>{t('meeting.participants')}</h2>
        <ul class="participants" data-testid="participants">
          <For each={s.participants}>
            {(p) => (
              <li data-testid={`participant-${p.userId}`} data-status={p.status} classList={{ speaking: s.activeSpeaker === p.userId }}>
                <span class="name">{localName(p)}{p.userId === s.self?.userId ? ` (${t('meeting.you')})` : ''}</span>
                <span class={`badge seat-${p.seat}`}>{t(`words.seat.${p.seat}`)}</span>
                <span class="badge">{t(`meeting.presence.${p.status}`)}</span>
                <span class="badge">{t(`words.attendance.${p.mode}`)}</span>
                <span class={`quality q-${p.quality}`} title={t(`meeting.quality.${p.quality}`)} aria-label={t(`meeting.quality.${p.quality}`)} />
                <Show when={p.micMuted}>
                  <span class="badge">{t('meeting.micMuted')}</span>
                </Show>
                <Show when={isChair() && p.userId !== s.self?.userId && !p.micMuted}>
                  <button type="button" data-testid={`mute-${p.userId}`} onClick={() => void c.request('muteParticipant', { userId: p.userId })}>
                    {t('meeting.mute')}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
        <h2>{t('meeting.hands')}</h2>
        <ol class="hands" data-testid="hands">
          <For each={s.hands}>
            {(userId) => (
              <li>
                {byId(userId) ? localName(byId(userId)!) : userId}
                <Show when={isChair()}>
                  <button type="button" onClick={() => void c.request('clearHands', { userId })}>{t('meeting.clearHand')}</button>
                </Show>
              </li>
            )}
          </For>
        </ol>
        <Show when={isChair() && s.hands.length > 0}>
          <button type="button" data-testid="clear-hands" onClick={() => void c.request('clearHands', {})}>{t('meeting.clearHands')}</button>
        </Show>
      </>
    ),
  };
  const panes = [video, people, ...FEATURE_PANES.map((make) => make(c, setActive))];
  const shown = () => panes.filter((p) => p.when?.() ?? true);

  return (
    <Switch>
      <Match when={s.phase === 'refused'}>
        <p class="error" role="alert" data-testid="refused">{t('meeting.status.refused')}</p>
      </Match>
      <Match when={s.phase === 'left'}>
        <p class="muted">{t('meeting.status.left')}</p>
      </Match>
      <Match when={s.phase === 'ended'}>
        <p class="notice" role="status" data-testid="session-ended">{t('meeting.status.ended')}</p>
      </Match>
      <Match when={true}>
        <div class="room" data-testid="room" data-phase={s.phase}>
          <div class="room-status">
            <Show when={waiting() && s.session} keyed>
              {(session) => (
                <div class="notice waiting" role="status" data-testid="waiting-room">
                  <strong>{t('meeting.waiting.title', { when: formatDateTime(session.startsAt) })}</strong>
                  <p>{isChair() ? t('meeting.waiting.chair') : t('meeting.waiting.member')}</p>
                  <Show when={isChair()}>
                    <button type="button" class="primary" data-testid="open-session" onClick={() => void c.openSession().catch((e: Error) => alert(e.message))}>
                      {t('meeting.waiting.open')}
                    </button>
                  </Show>
                </div>
              )}
            </Show>
            <Show when={s.phase !== 'joined'}>
              <p class="muted" role="status">{s.phase === 'reconnecting' ? t('meeting.status.reconnecting') : t('meeting.status.connecting')}</p>
            </Show>
            <Show when={m.mutedByChair}>
              <p class="notice" role="alert" data-testid="muted-by-chair">{t('meeting.status.mutedByChair')}</p>
            </Show>
            <Show when={m.mediaStalled && s.phase === 'joined'}>
              <p class="notice" role="alert" data-testid="media-stalled">{t('meeting.status.mediaStalled')}</p>
            </Show>
            <Show when={m.videoDroppedForLink}>
              <p class="notice" role="status" data-testid="video-dropped">
                {t('meeting.status.videoDropped')}{' '}
                <button type="button" data-testid="video-back" onClick={() => void c.setMode('video')}>{t('meeting.status.videoBack')}</button>
              </p>
            </Show>
            <Show when={m.proposeAudioOnly}>
              <p class="notice" role="alert" data-testid="propose-audio-only">
                {t('meeting.status.proposeAudioOnly')}{' '}
                <button type="button" onClick={() => void c.setMode('audio')}>{t('meeting.status.accept')}</button>
              </p>
            </Show>
          </div>
          <div class="tabs" role="tablist">
            <For each={shown()}>
              {(pane) => (
                <button type="button" role="tab" class={`tab tab-${pane.id}`} data-testid={`tab-${pane.id}`}
                  aria-selected={active() === pane.id} onClick={() => setActive(pane.id)}>
                  {pane.label()}
                </button>
              )}
            </For>
          </div>
          <For each={shown()}>
            {(pane) => (
              <section class={`pane pane-${pane.id}`} role="tabpanel" data-testid={`pane-${pane.id}`} data-active={active() === pane.id}>
                {pane.render()}
              </section>
            )}
          </For>
          <div class="controls" role="toolbar">
            <button type="button" data-testid="toggle-mic" aria-pressed={m.micOn} onClick={() => void c.media.toggleMic()}>
              {m.micOn ? t('meeting.controls.micOn') : t('meeting.controls.micOff')}
            </button>
            <button type="button" data-testid="toggle-camera" aria-pressed={m.cameraOn} disabled={m.mode === 'audio'} onClick={() => void c.media.toggleCamera()}>
              {m.cameraOn ? t('meeting.controls.cameraOn') : t('meeting.controls.cameraOff')}
            </button>
            <button type="button" data-testid="toggle-hand" aria-pressed={handUp()} onClick={() => void c.toggleHand()}>
              {handUp() ? t('meeting.controls.lowerHand') : t('meeting.controls.raiseHand')}
            </button>
            <button type="button" data-testid="toggle-mode" onClick={() => void c.setMode(m.mode === 'audio' ? 'video' : 'audio')}>
              {m.mode === 'audio' ? t('meeting.controls.withVideo') : t('meeting.controls.audioOnly')}
            </button>
            <Show when={isChair() && !waiting()}>
              <button type="button" class="secondary" data-testid="end-session" onClick={endSession}>
                {t('meeting.controls.endSession')}
              </button>
            </Show>
            <button type="button" class="danger" data-testid="leave" onClick={() => void c.leave()}>
              {t('meeting.controls.leave')}
            </button>
          </div>
        </div>
      </Match>
    </Switch>
  );
}

function SelfTile(props: { connection: MeetingConnection }) {
  const s = props.connection.state;
  const media = props.connection.media;
  const track = () => (media.state.cameraOn ? media.localCamera : undefined);
  return (
    <div class="tile self" data-testid="tile-self" data-camera={media.state.cameraOn ? 'on' : 'off'} classList={{ active: s.activeSpeaker === s.self?.userId }}>
      <Show when={track()} keyed fallback={<span class="avatar">{t('meeting.you')}</span>}>
        {(tr) => <video ref={(el) => (el.srcObject = new MediaStream([tr]))} autoplay muted playsinline />}
      </Show>
    </div>
  );
}

function Tile(props: {
  participant: Participant;
  label: string;
  active: boolean;
  video: RemoteTrack | undefined;
  audio: RemoteTrack[];
  onHeight: (consumerId: string, height: number) => void;
}) {
  let box!: HTMLDivElement;
  createEffect(() => {
    const v = props.video;
    if (!v) return;
    // Report the tile's height so the server sends the simulcast layer that fits it.
    const observer = new ResizeObserver(([entry]) => props.onHeight(v.consumerId, entry!.contentRect.height * devicePixelRatio));
    observer.observe(box);
    onCleanup(() => observer.disconnect());
  });
  const initials = () => props.label.split(/\s+/).map((w) => w[0]).slice(0, 2).join('');
  return (
    <div
      ref={box}
      class="tile"
      classList={{ active: props.active }}
      data-testid={`tile-${props.participant.userId}`}
      data-camera={props.video ? 'on' : 'off'}
    >
      <Show when={props.video} keyed fallback={<span class="avatar">{initials()}</span>}>
        {(v) => <video ref={(el) => (el.srcObject = new MediaStream([v.track]))} autoplay muted playsinline />}
      </Show>
      <For each={props.audio}>{(a) => <audio autoplay ref={(el) => (el.srcObject = new MediaStream([a.track]))} />}</For>
      <span class="label">{props.label}</span>
    </div>
  );
}

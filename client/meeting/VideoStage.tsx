import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import type { Participant } from '../../protocol/meeting';
import { t } from '../i18n';
import { localName } from '../lib/dossiers';
import { gridColumns, stageTile, type RoomLayout } from './layout';
import type { MediaSession, RemoteTrack } from './MediaSession';

/**
 * What the tiles read of a connection: oneself, the people in the room, who speaks, and the
 * media. A member's MeetingConnection, or an invited guest's (client/hearing).
 */
export interface TileSource {
  readonly state: { readonly self?: { readonly userId: number }; readonly participants: readonly Participant[]; readonly activeSpeaker: number | null };
  readonly media: MediaSession;
}

/** Every remote microphone, played once, whatever tiles show the videos (a tile may appear in several places). */
export function AudioSink(props: { connection: TileSource }) {
  const audio = () => props.connection.media.state.remote.filter((r) => r.kind === 'audio');
  return <For each={audio()}>{(a) => <audio autoplay data-user={a.userId} ref={(el) => (el.srcObject = new MediaStream([a.track]))} />}</For>;
}

interface TileProps {
  connection: TileSource;
  userId: number;
  /** Report this tile's height so the server sends the simulcast layer that fits it (one rendering per member does). */
  report: boolean;
  layout?: RoomLayout;
  large?: boolean;
  testId?: string;
}

/** One person's tile: their camera, or their initials; oneself from the local camera. */
export function Tile(props: TileProps) {
  const c = props.connection;
  const self = () => props.userId === c.state.self?.userId;
  const p = (): Participant | undefined => c.state.participants.find((x) => x.userId === props.userId);
  const video = (): RemoteTrack | undefined => c.media.state.remote.find((r) => r.userId === props.userId && r.kind === 'video' && !r.paused);
  const track = () => (self() ? (c.media.state.cameraOn ? c.media.localCamera : undefined) : video()?.track);
  const label = () => (p() ? localName(p()!) : '') + (self() ? ` (${t('meeting.you')})` : '');
  const initials = () => (self() ? t('meeting.you') : label().split(/\s+/).map((w) => w[0]).slice(0, 2).join(''));
  let box!: HTMLDivElement;
  createEffect(() => {
    const v = video();
    if (!v || !props.report) return;
    const observer = new ResizeObserver(([entry]) => c.media.setTileHeight(v.consumerId, entry!.contentRect.height * devicePixelRatio));
    observer.observe(box);
    onCleanup(() => observer.disconnect());
  });
  const pinned = () => props.layout?.pinned() === props.userId;
  return (
    <div ref={box} class="tile" classList={{ active: c.state.activeSpeaker === props.userId, self: self(), large: !!props.large }}
      data-testid={props.testId ?? (self() ? 'tile-self' : `tile-${props.userId}`)} data-camera={track() ? 'on' : 'off'} data-pinned={pinned()}>
      <Show when={track()} keyed fallback={<span class="avatar" aria-hidden="true">{initials()}</span>}>
        {(tr) => <video ref={(el) => (el.srcObject = new MediaStream([tr]))} autoplay muted playsinline aria-hidden="true" />}
      </Show>
      <span class="label">{label()}</span>
      <Show when={p()?.micMuted}>
        <span class="tile-muted" role="img" aria-label={t('meeting.micMuted')}>🔇</span>
      </Show>
      <Show when={props.layout}>
        {(layout) => (
          <button type="button" class="pin" data-testid={`pin-${props.userId}`} aria-pressed={pinned()}
            aria-label={t(pinned() ? 'meeting.layout.unpin' : 'meeting.layout.pin', { name: label() })}
            onClick={() => layout().togglePin(props.userId)}>
            {pinned() ? t('meeting.layout.unpinShort') : t('meeting.layout.pinShort')}
          </button>
        )}
      </Show>
    </div>
  );
}

/** Everyone with a tile: oneself first, then the others in the room's order. */
const tileIds = (c: TileSource) => {
  const selfId = c.state.self?.userId;
  return [...(selfId === undefined ? [] : [selfId]), ...c.state.participants.filter((p) => p.userId !== selfId).map((p) => p.userId)];
};

/** The last person other than oneself who spoke, kept while nobody speaks. */
function lastSpeakerOf(c: TileSource) {
  const [last, setLast] = createSignal<number | null>(null);
  createEffect(on(() => c.state.activeSpeaker, (id) => id !== null && id !== c.state.self?.userId && setLast(id)));
  return last;
}

/** Who the large tile is (speaker view) or who the overlay shows (a phone on another pane). */
export function createStage(c: TileSource, layout: RoomLayout) {
  const last = lastSpeakerOf(c);
  return () => stageTile({ pinned: layout.pinned(), lastSpeaker: last(), selfId: c.state.self?.userId ?? null, present: tileIds(c) });
}

/** The video pane: equal tiles (grid), or the speaker (or pinned tile) large above a strip of the others. */
export function VideoStage(props: { connection: TileSource; layout: RoomLayout; stage: () => number | null }) {
  const c = props.connection;
  const view = () => props.layout.view();
  const ids = () => {
    const all = tileIds(c);
    const main = view() === 'speaker' ? props.stage() : null;
    return main === null ? all : [main, ...all.filter((id) => id !== main)];
  };
  // Grid: as many columns as make the tiles largest in the room the pane has.
  const [room, setRoom] = createSignal({ width: 0, height: 0 });
  let el!: HTMLDivElement;
  onMount(() => {
    const observer = new ResizeObserver(([entry]) => setRoom({ width: entry!.contentRect.width, height: entry!.contentRect.height }));
    observer.observe(el.parentElement!);
    onCleanup(() => observer.disconnect());
  });
  const columns = () => gridColumns(ids().length, room().width, room().height);
  return (
    <div ref={el} class="stage" data-testid="grid" data-view={view()} data-count={ids().length}
      style={view() === 'grid' ? { 'grid-template-columns': `repeat(${columns()}, minmax(0, 1fr))` } : undefined}>
      <For each={ids()}>
        {(id, i) => (
          <Tile connection={c} userId={id} layout={props.layout} report={!props.layout.documentFull()} large={view() === 'speaker' && i() === 0} />
        )}
      </For>
    </div>
  );
}

/** Small tiles in a row: beside the full-screen document, everyone stays in sight. */
export function VideoStrip(props: { connection: TileSource; report: boolean }) {
  return (
    <div class="video-strip" data-testid="video-strip" role="group" aria-label={t('meeting.panes.video')}>
      <For each={tileIds(props.connection)}>{(id) => <Tile connection={props.connection} userId={id} report={props.report} testId={`strip-${id}`} />}</For>
    </div>
  );
}

import './document.css';
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { DossierStatus } from '../../protocol/dossiers';
import type { AgendaDocument, PresentedView } from '../../protocol/presentation';
import { t } from '../i18n';
import { api } from '../lib/api';
import { localName } from '../lib/dossiers';
import type { Point } from '../lib/pdf/geometry';
import { linePace, type LineState } from '../lib/pdf/httpRanges';
import { openPdf } from '../lib/pdf/loadPdf';
import { PdfViewer, type ViewState } from '../lib/pdf/PdfViewer';
import { pageMarkups } from './markups';
import type { MeetingConnection } from './MeetingConnection';
import type { PaneFactory } from './pane';
import { presentationOf } from './presentation';
import { presenterUpdates, viewerIntent } from './presenterUpdates';
import { settled } from './signalling';
import { FileName } from '../FileName';

/** A follower whose viewer has not drawn the presenter's page this long after it changed is told they are behind. */
const BEHIND_MS = 3000;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const firstPage = (versionId: number): PresentedView => ({ versionId, page: 1, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0 } });

/**
 * The shared dossier in the meeting room: the agenda (the chair opens items), the open
 * item's documents (the presenter picks one), the chair's hand-over control, and the
 * viewer. Members follow the presenter's view as the server states it; touching the
 * viewer switches to browsing on one's own until "back to presenter". The presenter's own
 * view is kept here (echoes of their own updates would pull the page back) and sent out.
 */
function DocumentPane(props: { connection: MeetingConnection; show: (paneId: string) => void }) {
  const c = props.connection;
  const store = presentationOf(c);
  const selfId = () => c.state.self?.userId;
  const isChair = () => c.state.self?.seat === 'chair';
  const presenting = () => selfId() !== undefined && store.presenterId === selfId();
  const [following, setFollowing] = createSignal(true);
  /** The presenter's own view, or a member's while browsing. */
  const [own, setOwn] = createSignal<PresentedView | null>(null);
  const updates = presenterUpdates((view) => c.request('present', { view }).catch((e: Error) => console.warn('present refused', e.message)));
  onCleanup(updates.cancel);

  const currentItem = createMemo(() => store.agenda.find((i) => i.id === store.currentItemId));

  // What the viewer has really drawn, so the pane says "following" only when it is true.
  const [drawn, setDrawn] = createSignal<{ versionId: number; page: number } | null>(null);
  const [behind, setBehind] = createSignal(false);
  const waiting = createMemo(() => {
    const v = store.view;
    const d = drawn();
    return !presenting() && following() && !!v && (d?.versionId !== v.versionId || d.page !== v.page);
  });
  let behindTimer: ReturnType<typeof setTimeout> | undefined;
  createEffect(on(waiting, (w) => {
    clearTimeout(behindTimer);
    if (w) behindTimer = setTimeout(() => setBehind(true), BEHIND_MS);
    else setBehind(false);
  }));
  onCleanup(() => clearTimeout(behindTimer));
  /** live: the presenter's page is on screen; behind: still loading it; offline: the meeting connection is down. */
  const sync = () => (c.state.phase !== 'joined' ? 'offline' : behind() ? 'behind' : 'live');
  // On a weak line (and until the line has been measured good for a while) the ranges go
  // in small pieces, one at a time, after the meeting's own answers; the line is read at
  // each request (linePace), so a line that turns weak slows a document already open.
  const line = (): LineState => c.media.state.documentLine;
  const open = (url: string, signal: AbortSignal) => openPdf(url, { stream: line() === 'open', pace: linePace(line, () => settled(c.socket)), signal });
  const shown = (): PresentedView | null => (presenting() ? own() : following() ? store.view : own());
  const markups = pageMarkups(c, shown);
  const name = (userId: number | null) => {
    const p = c.state.participants.find((x) => x.userId === userId);
    if (!p) return t('meeting.document.absent');
    return localName(p);
  };

  // The server's word resets the presenter's own place (on becoming presenter, on a new
  // item) and sends members back to following (a new presenter, a new item).
  createEffect(
    on([presenting, () => store.currentItemId], ([isPresenter]) => {
      if (isPresenter) setOwn(store.view ? { ...store.view } : null);
      else setFollowing(true);
    }),
  );
  // Each (re)join: the snapshot is where everyone resumes, the presenter included.
  createEffect(
    on(
      () => c.state.features,
      (features) => {
        const snapshot = features.presentation;
        if (!snapshot) return;
        setFollowing(true);
        if (snapshot.presenterId === selfId()) setOwn(snapshot.view);
      },
      { defer: true },
    ),
  );
  // The chair opened an item or the presenter opened a document: bring the pane forward.
  createEffect(on([() => store.currentItemId, () => store.view?.versionId], ([item, version]) => (item || version) && props.show('document'), { defer: true }));

  // What the member did themselves, as opposed to a scroll the layout caused (a new page loading).
  const { touched, viewOf } = viewerIntent();

  function onViewChange(next: ViewState) {
    const view = viewOf(shown(), next);
    if (!view) return;
    setOwn(view);
    if (presenting()) updates.push(view);
    else setFollowing(false);
  }

  function openDocument(doc: AgendaDocument) {
    const view = firstPage(doc.versionId);
    setOwn(view);
    if (presenting()) updates.push(view);
    else setFollowing(false);
    props.show('document');
  }

  function onPointer(at: Point | null) {
    const point = at && { x: clamp01(at.x), y: clamp01(at.y) };
    c.request('pointer', { at: point }).catch(() => undefined);
  }

  // A refusal is said in the pane, beside what was tried, not in a browser alert that stops the meeting's page.
  const [refusal, setRefusal] = createSignal('');
  const attempt = (p: Promise<unknown>) => {
    setRefusal('');
    void p.catch((e: Error) => setRefusal(e.message));
  };
  const openItem = (agendaItemId: number) => attempt(c.request('openItem', { agendaItemId }));
  const handOver = (userId: number) => attempt(c.request('setPresenter', { userId }));

  const viewState = (): ViewState | null => {
    const v = shown();
    return v && { url: api.documents.contentUrl(v.versionId), page: v.page, zoom: v.zoom, rotation: v.rotation, scroll: v.scroll };
  };

  return (
    <div class="document-pane" data-testid="document-pane">
      <Show when={refusal()}><p class="error" role="alert" data-testid="document-refused">{refusal()}</p></Show>
      <details class="agenda" open={!store.currentItemId}>
        <summary>{t('meeting.document.agenda')} ({store.agenda.length})</summary>
        <Show when={store.agenda.length} fallback={<p class="muted">{t('meeting.document.noAgenda')}</p>}>
          <ol class="agenda-items">
            <For each={store.agenda}>
              {(item) => (
                <li data-testid={`agenda-item-${item.id}`} data-current={item.id === store.currentItemId} classList={{ current: item.id === store.currentItemId }}>
                  <span class="ref">{item.reference}</span>
                  <span>{localName(item.type)}</span>
                  <bdi class="muted">{item.address}</bdi>
                  <span class={`status status-${item.dossierStatus}`}>{t(`words.status.${item.dossierStatus as DossierStatus}`)}</span>
                  <Show when={item.id === store.currentItemId}>
                    <span class="badge">{t('meeting.document.current')}</span>
                  </Show>
                  <Show when={isChair() && item.id !== store.currentItemId}>
                    <button type="button" class="secondary" data-testid={`open-item-${item.id}`} onClick={() => openItem(item.id)}>
                      {t('meeting.document.openItem')}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ol>
        </Show>
      </details>

      <Show when={currentItem()} fallback={<p class="muted" data-testid="no-item">{t('meeting.document.noItem')}</p>}>
        {(item) => (
          <div class="item">
            <h2>
              <span class="ref">{item().reference}</span> — <bdi>{item().address}</bdi>
            </h2>
            <ul class="documents" aria-label={t('meeting.document.documents')}>
              <For each={item().documents}>
                {(doc) => (
                  <li>
                    <button type="button" class="secondary" data-testid={`document-${doc.versionId}`}
                      aria-current={shown()?.versionId === doc.versionId ? 'true' : undefined} onClick={() => openDocument(doc)}>
                      {localName(doc)}{' '}
                      <span class="muted">
                        <FileName name={doc.fileName} /> · <bdi>v{doc.version}</bdi> · {t('meeting.document.pages', { n: String(doc.pageCount) })}
                      </span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </div>
        )}
      </Show>

      <div class="presenter-bar">
        <label>
          {t('meeting.document.presenter')}{' '}
          <Show when={isChair()} fallback={<strong data-testid="presenter-name">{name(store.presenterId)}</strong>}>
            <select data-testid="presenter-select" value={store.presenterId ?? ''} onChange={(e) => handOver(Number(e.currentTarget.value))}>
              <For each={c.state.participants.filter((p) => p.status === 'present' || p.userId === store.presenterId)}>
                {(p) => <option value={p.userId}>{name(p.userId)}</option>}
              </For>
            </select>
          </Show>
        </label>
        <span data-testid="following" data-following={!presenting() && following()} data-sync={sync()} role="status">
          {sync() === 'offline'
            ? t('meeting.document.offline')
            : presenting()
              ? t('meeting.document.presenting')
              : !following()
                ? t('meeting.document.browsing')
                : sync() === 'behind'
                  ? t('meeting.document.behind', { page: String(store.view?.page ?? '') })
                  : t('meeting.document.following')}
        </span>
        <Show when={!presenting() && !following()}>
          <button type="button" data-testid="back-to-presenter" onClick={() => setFollowing(true)}>
            {t('meeting.document.backToPresenter')}
          </button>
        </Show>
      </div>

      <Show
        when={viewState()}
        fallback={<p class="muted" data-testid="no-document">{presenting() && currentItem() ? t('meeting.document.pickDocument') : t('meeting.document.noDocument')}</p>}
      >
        {markups.tools()}
        <div class="document-viewer" onPointerDown={touched} onWheel={touched} onKeyDown={touched} onTouchStart={touched} onInput={touched}>
          <PdfViewer
            view={viewState()!}
            open={open}
            pageCount={currentItem()?.documents.find((d) => d.versionId === shown()?.versionId)?.pageCount}
            onRendered={(page) => {
              const v = shown();
              if (v) setDrawn({ versionId: v.versionId, page });
            }}
            onViewChange={onViewChange}
            pointer={!presenting() && following() ? store.pointer : null}
            onPointer={presenting() ? onPointer : undefined}
            overlay={markups.overlay}
          />
        </div>
      </Show>
    </div>
  );
}

export const documentPane: PaneFactory = (connection, show) => ({
  id: 'document',
  label: () => t('meeting.document.pane'),
  render: () => <DocumentPane connection={connection} show={show} />,
});

import { createEffect, createSignal, on, Show } from 'solid-js';
import type { PresentedView } from '../../protocol/presentation';
import { FileName } from '../FileName';
import { t } from '../i18n';
import { api } from '../lib/api';
import { localName } from '../lib/dossiers';
import { PdfViewer, type ViewState } from '../lib/pdf/PdfViewer';
import { viewerIntent } from '../meeting/presenterUpdates';
import type { GuestConnection } from './GuestConnection';

/**
 * The page the presenter shows of the guest's own dossier (the server sends no other), in
 * the dossier viewer. The guest follows; zooming or turning pages themselves holds their own
 * view until the presenter moves on or they go back to the presenter's.
 */
export function GuestDocument(props: { connection: GuestConnection }) {
  const c = props.connection;
  const presented = () => c.state.presentation?.view ?? null;
  const [own, setOwn] = createSignal<PresentedView | null>(null);
  createEffect(on(presented, () => setOwn(null)));
  const shown = () => own() ?? presented();
  const doc = () => c.state.item?.documents.find((d) => d.versionId === shown()?.versionId);
  const viewState = (): ViewState | null => {
    const v = shown();
    return v && { url: api.hearings.documentUrl(v.versionId), page: v.page, zoom: v.zoom, rotation: v.rotation, scroll: v.scroll };
  };

  const { touched, viewOf } = viewerIntent();
  const onViewChange = (next: ViewState) => {
    const view = viewOf(shown(), next);
    if (view) setOwn(view);
  };

  return (
    <Show when={viewState()} fallback={<p class="muted" data-testid="guest-no-document">{t('hearing.room.noDocument')}</p>}>
      <p class="row hearing-document-name">
        <span data-testid="guest-document-name">{doc() ? localName(doc()!) : ''} <span class="muted"><FileName name={doc()?.fileName ?? ''} /></span></span>
        <Show when={own()}>
          <button type="button" class="secondary" data-testid="guest-back-to-presenter" onClick={() => setOwn(null)}>{t('meeting.document.backToPresenter')}</button>
        </Show>
      </p>
      <div class="document-viewer" onPointerDown={touched} onWheel={touched} onKeyDown={touched} onTouchStart={touched} onInput={touched}>
        <PdfViewer view={viewState()!} pageCount={doc()?.pageCount} onViewChange={onViewChange} />
      </div>
    </Show>
  );
}

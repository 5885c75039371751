import { createSignal, For, Show } from 'solid-js';
import type { ChecklistItemView, DossierDocumentView } from '../../protocol/dossiers';
import { FilePicker } from '../FilePicker';
import { t } from '../i18n';
import { api } from '../lib/api';
import { formatDateTime, localName } from '../lib/dossiers';
import { errorText } from './dossierPage';
import { FileName } from '../FileName';

interface Uploading {
  fileName: string;
  fraction: number;
  controller: AbortController;
}

/**
 * One checklist item of the applicant's dossier: its state (uploaded, missing, or asked for
 * again by the office), its versions, and its upload with a percentage, a cancel button and
 * the server's check once the bytes are sent. What went wrong shows here, naming the item.
 */
export function ChecklistEntry(props: {
  dossierId: number; item: ChecklistItemView; document: DossierDocumentView | undefined; editable: boolean; requested: boolean; onUploaded: () => Promise<unknown>;
}) {
  const [uploading, setUploading] = createSignal<Uploading | null>(null);
  const [outcome, setOutcome] = createSignal<{ ok: boolean; text: string } | null>(null);
  const name = () => localName(props.item);

  async function upload(file: File | undefined, input: HTMLInputElement) {
    if (!file) return;
    const controller = new AbortController();
    setOutcome(null);
    setUploading({ fileName: file.name, fraction: 0, controller });
    try {
      await api.dossiers.upload(props.dossierId, props.item.code, file, (fraction) => setUploading((u) => u && { ...u, fraction }), controller.signal);
      await props.onUploaded();
      setOutcome({ ok: true, text: t('portal.uploadedOk', { item: name() }) });
    } catch (err) {
      setOutcome({ ok: false, text: controller.signal.aborted ? t('portal.uploadCancelled', { item: name() }) : t('portal.uploadFailed', { item: name(), reason: errorText(err) }) });
    } finally {
      setUploading(null);
      input.value = '';
    }
  }

  const state = () => {
    if (props.requested) return { css: 'error', text: t('portal.requested') };
    return props.document ? { css: 'ok', text: t('portal.uploaded') } : { css: 'error', text: t('portal.missing') };
  };
  return (
    <li class={`card stack${props.requested ? ' requested' : ''}`} data-item={props.item.code} data-requested={props.requested ? 'true' : undefined}>
      <div class="row">
        <strong>{name()}</strong>
        <span class="muted">{props.item.required ? t('portal.required') : t('portal.optional')}</span>
        <span class={state().css} data-testid="item-state">{state().text}</span>
      </div>
      <Show when={props.document}>
        {(x) => (
          <details>
            <summary>{t('portal.versions')} ({x().versions.length})</summary>
            <ul>
              <For each={x().versions}>
                {(v) => (
                  <li>
                    <a href={api.documents.contentUrl(v.id)} download={v.fileName}>v{v.version} — <FileName name={v.fileName} /></a>{' '}
                    <span class="muted">{t('portal.pages', { n: String(v.pageCount) })} — {formatDateTime(v.createdAt)} — <code>{v.sha256.slice(0, 12)}…</code></span>
                  </li>
                )}
              </For>
            </ul>
          </details>
        )}
      </Show>
      <Show when={props.editable}>
        <Show when={uploading()} fallback={
          <FilePicker label={props.document ? t('portal.replace') : t('portal.upload')} accept="application/pdf,.pdf" data-upload={props.item.code}
            onFiles={(files, input) => void upload(files[0], input)} />
        }>
          {(u) => (
            <div class="row upload-progress" data-testid="upload-progress">
              <span data-testid="upload-file"><FileName name={u().fileName} /></span>
              <progress max="1" value={u().fraction} aria-label={t('portal.uploading')} />
              <span data-testid="upload-percent">{Math.round(u().fraction * 100)} %</span>
              <Show when={u().fraction >= 1}><span class="muted" role="status" data-testid="upload-checking">{t('portal.checking')}</span></Show>
              <button type="button" class="secondary" data-testid="upload-cancel" onClick={() => u().controller.abort(new Error('cancelled'))}>{t('portal.cancel')}</button>
            </div>
          )}
        </Show>
      </Show>
      <Show when={outcome()}>
        {(o) => <p class={o().ok ? 'ok' : 'error'} role={o().ok ? 'status' : 'alert'} data-testid={o().ok ? 'upload-ok' : 'upload-error'}>{o().text}</p>}
      </Show>
    </li>
  );
}

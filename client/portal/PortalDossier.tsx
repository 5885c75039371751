import { A, useParams } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { t } from '../i18n';
import { api } from '../lib/api';
import { deadlineText, formatDateTime, localName, statusLabel } from '../lib/dossiers';
import { DossierOpinions } from './DossierOpinions';
import { dossierPage } from './dossierPage';
import { DossierHistory } from './DossierTimeline';

/** The applicant's dossier: checklist with uploads, submit, receipt, status timeline, deadline, messages, versions. */
export function PortalDossier() {
  const params = useParams();
  const { dossier, refetch, error, attempt, act, sendMessage } = dossierPage(() => Number(params.id));
  const [progress, setProgress] = createSignal<Record<string, number>>({});
  const editable = () => ['draft', 'incomplete'].includes(dossier()?.status ?? '');

  async function upload(itemCode: string, input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    await attempt(async () => {
      await api.dossiers.upload(dossier()!.id, itemCode, file, (f) => setProgress((p) => ({ ...p, [itemCode]: f })));
      await refetch();
    });
    setProgress(({ [itemCode]: _done, ...uploading }) => uploading);
    input.value = '';
  }

  return (
    <Show when={dossier()}>
      {(d) => (
        <section class="stack">
          <A href="/portal"><span class="arrow" aria-hidden="true">←</span> {t('portal.back')}</A>
          <h1>{d().reference ?? t('portal.draftNoRef')} — {localName(d().type)}</h1>
          <p><span class={`status status-${d().status}`} data-testid="status">{statusLabel(d().status)}</span></p>
          <p class={d().deadline.overdue ? 'error' : ''} data-testid="deadline">{deadlineText(d().deadline)}</p>
          <p class="muted"><bdi>{d().location.address}</bdi> — <bdi>{d().location.parcelRef}</bdi> — {d().coveredAreaM2} m² — {d().levels}</p>

          <h2>{t('portal.checklist')}</h2>
          <ul class="list" data-testid="checklist">
            <For each={d().checklist}>
              {(item) => {
                const doc = () => d().documents.find((x) => x.itemCode === item.code);
                return (
                  <li class="card stack" data-item={item.code}>
                    <div class="row">
                      <strong>{localName(item)}</strong>
                      <span class="muted">{item.required ? t('portal.required') : t('portal.optional')}</span>
                      <span class={doc() ? 'ok' : 'error'}>{doc() ? t('portal.uploaded') : t('portal.missing')}</span>
                    </div>
                    <Show when={doc()}>
                      {(x) => (
                        <details>
                          <summary>{t('portal.versions')} ({x().versions.length})</summary>
                          <ul>
                            <For each={x().versions}>
                              {(v) => (
                                <li>
                                  <a href={api.documents.contentUrl(v.id)} download={v.fileName}>v{v.version} — <bdi>{v.fileName}</bdi></a>{' '}
                                  <span class="muted">{t('portal.pages', { n: String(v.pageCount) })} — {formatDateTime(v.createdAt)} — <code>{v.sha256.slice(0, 12)}…</code></span>
                                </li>
                              )}
                            </For>
                          </ul>
                        </details>
                      )}
                    </Show>
                    <Show when={editable()}>
                      <label class="upload">
                        {doc() ? t('portal.replace') : t('portal.upload')}
                        <input type="file" accept="application/pdf,.pdf" data-upload={item.code} onChange={(e) => upload(item.code, e.currentTarget)} />
                      </label>
                      <Show when={progress()[item.code] !== undefined}>
                        <progress max="1" value={progress()[item.code]} aria-label={t('portal.uploading')} />
                      </Show>
                    </Show>
                  </li>
                );
              }}
            </For>
          </ul>
          <Show when={error()}><p class="error" role="alert" data-testid="error">{error()}</p></Show>
          <div class="row">
            <Show when={editable()}>
              <button data-testid="submit" onClick={() => act(api.dossiers.submit)}>{d().status === 'incomplete' ? t('portal.resubmit') : t('portal.submit')}</button>
            </Show>
            <Show when={d().reference}>
              <a href={api.dossiers.receiptUrl(d().id)} download="" data-testid="receipt">{t('portal.receipt')}</a>
            </Show>
            <Show when={['draft', 'submitted', 'incomplete', 'complete', 'scheduled'].includes(d().status)}>
              <button class="secondary" onClick={() => confirm(t('portal.withdraw')) && act(api.dossiers.withdraw)}>{t('portal.withdraw')}</button>
            </Show>
          </div>

          <Show when={d().opinions.length > 0 || d().decision}>
            <DossierOpinions opinions={d().opinions} decision={d().decision} />
          </Show>

          <DossierHistory dossier={d()} onSend={sendMessage} />
        </section>
      )}
    </Show>
  );
}

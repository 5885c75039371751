import { createResource, For, Show } from 'solid-js';
import { t } from '../i18n';
import { api } from '../lib/api';
import { formatDateTime, formatDay, localName } from '../lib/dossiers';

/**
 * The arrêté of a recorded decision: whether the president has signed it, the permit's
 * validity and the last day to ask for its extension, and its PDFs (signed, once signed).
 */
export function ArreteDocument(props: { dossierId: number }) {
  // A decision recorded before arrêtés were issued has none: nothing to show then.
  const [arrete] = createResource(() => props.dossierId, (id) => api.arretes.get(id).catch(() => null));
  return (
    <Show when={arrete()}>
      {(a) => (
        <div class="stack" data-testid="arrete" data-signed={String(a().signed)}>
          <Show when={a().signed && a().signedBy} fallback={<span class="muted">{t('portal.decision.unsigned')}</span>}>
            {(by) => <span>{t('portal.decision.signed', { name: localName(by()), date: formatDateTime(a().signedAt!) })}</span>}
          </Show>
          <Show when={a().validity}>
            {(v) => (
              <>
                <span data-testid="permit-valid-until">{t('portal.decision.validUntil', { date: formatDay(v().validUntil) })}</span>
                <span data-testid="permit-extension-by">{t('portal.decision.extensionBy', { date: formatDay(v().extensionRequestBy) })}</span>
              </>
            )}
          </Show>
          <div class="row">
            <For each={['ar', 'fr'] as const}>
              {(lang) => <a class="button" href={api.arretes.pdfUrl(props.dossierId, lang)} download="" data-testid={`arrete-pdf-${lang}`}>{t(`portal.decision.pdf.${lang}`)}</a>}
            </For>
          </div>
        </div>
      )}
    </Show>
  );
}

import { createResource, createSignal, For, Show } from 'solid-js';
import { SigningScreen } from '../minutes/SigningScreen';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { formatDateTime, formatDay, isolated, localName } from '../lib/dossiers';

/** The refusals of a signature said in the reader's language; any other is shown as the server words it. */
const SIGNING_REFUSALS = ['reauth_failed', 'too_many_attempts', 'timestamp_unavailable'] as const;

/**
 * The arrêté of a recorded decision: whether the president has signed it, the permit's
 * validity and the last day to ask for its extension, and its PDFs (signed, once signed).
 * Given `signable` (the municipality's president is reading it), the unsigned arrêté comes
 * with its signing screen: the PDF in the viewer, its hashes, the password.
 */
export function ArreteDocument(props: { dossierId: number; signable?: boolean; onSigned?: () => void }) {
  // A decision recorded before arrêtés were issued has none: nothing to show then.
  const [arrete, { mutate }] = createResource(() => props.dossierId, (id) => api.arretes.get(id).catch(() => null));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const sign = async (password: string) => {
    setError('');
    setBusy(true);
    try {
      mutate(await api.arretes.sign(props.dossierId, password));
      props.onSigned?.();
    } catch (e) {
      setError(e instanceof ApiError && (SIGNING_REFUSALS as readonly string[]).includes(e.code) ? t(`portal.decision.refused.${e.code as (typeof SIGNING_REFUSALS)[number]}`) : e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show when={arrete()}>
      {(a) => (
        <div class="stack" data-testid="arrete" data-signed={String(a().signed)}>
          <Show when={a().signed && a().signedBy} fallback={<span class="muted">{t('portal.decision.unsigned')}</span>}>
            {(by) => <span data-testid="arrete-signed-by">{t('portal.decision.signed', { name: localName(by()), date: formatDateTime(a().signedAt!) })}</span>}
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
          <Show when={props.signable && !a().signed}>
            <Show when={error()}><p class="error" role="alert" data-testid="arrete-error">{error()}</p></Show>
            <SigningScreen
              pdfUrl={(lang) => api.arretes.pdfUrl(props.dossierId, lang)}
              intro={
                <div>
                  <p>{t('portal.decision.signIntro', { number: isolated(a().arreteNumber) })}</p>
                  <For each={['ar', 'fr'] as const}>
                    {(lang) => <p>{t(`portal.decision.pdf.${lang}`)} : <code class="sha" data-testid={`arrete-hash-${lang}`}>{a().pdfSha256[lang]}</code></p>}
                  </For>
                </div>
              }
              label={t('portal.decision.sign')}
              testId="sign-arrete"
              busy={busy()}
              onSign={sign}
            />
          </Show>
        </div>
      )}
    </Show>
  );
}

import '../minutes/minutes.css';
import { createSignal, For, Show } from 'solid-js';
import type { MinutesVerification } from '../../protocol/minutes';
import type { ArreteVerification, SignatureCheck } from '../../protocol/signing';
import type { DocumentVerification } from '../../protocol/verification';
import { FilePicker } from '../FilePicker';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { formatDateTime, formatDay, isolated, localName } from '../lib/dossiers';

const HEX64 = /^[0-9a-fA-F]{64}$/;
const ROLES = ['secretary', 'chair', 'president'] as const;
const roleOf = (role: string | null) => ROLES.find((r) => r === role) ?? 'unknown';
type Recognised = Extract<MinutesVerification, { recognised: true }> | ArreteVerification;

/** Who issued a signature's certificate, in the page's language when it is the municipality's own signing authority. */
const issuerOf = (s: SignatureCheck, of: DocumentVerification) => (s.issuedByMunicipality && of.recognised
  ? t('public.verify.municipalAuthority', { municipality: localName(of.municipality) })
  : s.issuer ?? '?');

/** What the document is: the session's minutes, or the arrêté of a dossier's decision. */
function Identity(props: { of: Recognised }) {
  const ok = props.of;
  if (ok.kind === 'arrete') {
    return (
      <>
        <p data-testid="verify-arrete">{t('public.verify.arrete', {
          number: ok.arreteNumber, date: formatDay(ok.signedOn), reference: ok.reference,
          municipality: localName(ok.municipality), outcome: t(`public.verify.outcome.${ok.outcome}`),
        })}</p>
        <p>{t('public.verify.matchedArrete', { language: t(`public.verify.language.${ok.language}`) })}</p>
        <p class="muted">{t('public.verify.issuedHash')}<code class="sha">{ok.issuedSha256}</code></p>
      </>
    );
  }
  return (
    <>
      <p>{t('public.verify.valid', { date: formatDay(ok.date), municipality: localName(ok.municipality), finalizedAt: formatDateTime(ok.finalizedAt) })}</p>
      <p>{ok.matched === 'pdf' ? t('public.verify.matchedPdf', { language: t(`public.verify.language.${ok.language ?? 'fr'}`) }) : t('public.verify.matchedHash')}</p>
      <p class="muted">{t('public.verify.contentHash', { hash: '' })}<code class="sha">{ok.contentHash}</code></p>
    </>
  );
}

/** Public: is this PDF (or this printed fingerprint) of finalized minutes or of an arrêté, and who signed it (each signature checked)? */
export function VerifyPage() {
  const [file, setFile] = createSignal<File>();
  const [hash, setHash] = createSignal('');
  const [result, setResult] = createSignal<DocumentVerification>();
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  const check = async (verify: () => Promise<DocumentVerification>) => {
    setError('');
    setResult(undefined);
    setBusy(true);
    try {
      setResult(await verify());
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'payload_too_large' ? t('public.verify.tooLarge') : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const checkHash = (e: SubmitEvent) => {
    e.preventDefault();
    if (!HEX64.test(hash().trim())) return setError(t('public.verify.badHash'));
    void check(() => api.verify.hash(hash().trim().toLowerCase()));
  };

  return (
    <section class="stack">
      <h1>{t('public.verify.title')}</h1>
      <p>{t('public.verify.intro')}</p>
      <form class="card stack" onSubmit={(e) => { e.preventDefault(); const f = file(); if (f) void check(() => api.verify.file(f)); }}>
        <FilePicker caption={t('public.verify.file')} accept="application/pdf,.pdf" data-testid="verify-file" onFiles={(files) => setFile(files[0])} />
        <button type="submit" data-testid="verify-file-submit" disabled={!file() || busy()}>{t('public.verify.checkFile')}</button>
      </form>
      <form class="card stack" onSubmit={checkHash}>
        <label>
          {t('public.verify.hash')}
          <input class="sha" dir="ltr" spellcheck={false} autocomplete="off" data-testid="verify-hash" value={hash()} onInput={(e) => setHash(e.currentTarget.value)} />
        </label>
        <button type="submit" data-testid="verify-hash-submit" disabled={!hash().trim() || busy()}>{t('public.verify.checkHash')}</button>
      </form>
      <Show when={busy()}><p class="muted" role="status">{t('public.verify.checking')}</p></Show>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <Show when={result()}>
        {(r) => (
          <div class="verify-result" role="status" data-testid="verify-result" data-kind={r().recognised ? (r() as Recognised).kind : 'unknown'} data-valid={String(r().valid)} data-state={r().state ?? 'unknown'}>
            <Show when={r().recognised ? r() as Recognised : undefined} fallback={<p><strong>{t('public.verify.invalid')}</strong></p>}>
              {(ok) => (
                <>
                  <p><strong data-testid="verify-state">{t(`public.verify.state.${ok().state}`, { role: t(`public.verify.role.${ok().awaiting ?? 'unknown'}`) })}</strong></p>
                  <Identity of={ok()} />
                </>
              )}
            </Show>
            <Show when={r().signatures.length}>
              <ol class="signatures" data-testid="verify-signatures">
                <For each={r().signatures}>
                  {(s) => (
                    <li data-role={s.role ?? ''} data-valid={String(s.valid && s.coversRevision)}>
                      {t('public.verify.signature', {
                        role: t(`public.verify.role.${roleOf(s.role)}`),
                        name: s.signedBy ? localName(s.signedBy) : s.name ?? s.signer ?? '?',
                        date: s.signedAt ? formatDateTime(s.signedAt) : '?',
                        issuer: issuerOf(s, r()),
                      })}
                      {' — '}
                      <strong>{s.valid && s.coversRevision ? t('public.verify.signatureOk') : t('public.verify.signatureBad')}</strong>
                      <Show when={s.timestamp}>
                        {(ts) => (
                          <p class="muted" data-testid="verify-timestamp" data-valid={String(ts().valid && ts().matchesSignature)}>
                            {t('public.verify.timestamp', { date: ts().time ? formatDateTime(ts().time!) : '?', authority: isolated(ts().authority ?? '?') })}
                            {' — '}
                            {ts().valid && ts().matchesSignature ? t('public.verify.timestampOk') : <strong>{t('public.verify.timestampBad')}</strong>}
                          </p>
                        )}
                      </Show>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}

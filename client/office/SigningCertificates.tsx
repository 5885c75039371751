import { createResource, createSignal, For, Show } from 'solid-js';
import { commonName, PKCS12_MAX_BYTES, type SigningCertificateView } from '../../protocol/signing';
import { FilePicker } from '../FilePicker';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { formatDay, localName } from '../lib/dossiers';

/** The refusals of an import, by the field they are about. */
const FILE_PROBLEMS = ['not_pkcs12', 'no_key', 'key_mismatch', 'certificate_expired', 'certificate_not_yet_valid', 'key_usage', 'payload_too_large', 'conflict'] as const;
type FileProblem = (typeof FILE_PROBLEMS)[number];
interface Problems {
  file?: FileProblem;
  password?: boolean;
  form?: string;
}

function problemsOf(e: unknown): Problems {
  const code = e instanceof ApiError ? e.code : '';
  if ((FILE_PROBLEMS as readonly string[]).includes(code)) return { file: code as FileProblem };
  if (code === 'wrong_file_password') return { password: true };
  return { form: e instanceof ApiError ? e.message : String(e) };
}

/** The file's bytes in base64, as the API takes them. */
async function base64Of(file: File): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsDataURL(file);
  });
  return url.slice(url.indexOf(',') + 1);
}

function CertificateRow(props: { certificate: SigningCertificateView }) {
  const c = () => props.certificate;
  return (
    <li class="stack" data-testid="certificate" data-source={c().source} data-current={String(c().current)}>
      <span><bdi>{commonName(c().subject)}</bdi></span>
      <span class="muted">
        {t('certificates.issuer', { issuer: '' })}<bdi>{commonName(c().issuer)}</bdi>
        {' — '}{t('certificates.validUntil', { date: formatDay(c().notAfter) })}
      </span>
      <span>
        <strong>{t(`certificates.source.${c().source}`)}</strong>
        <Show when={c().current}>{' · '}{t('certificates.current')}</Show>
      </span>
      <Show when={c().awaitingSignerPassword}><span class="muted">{t('certificates.awaitingPassword')}</span></Show>
    </li>
  );
}

/**
 * For the municipality's admin: who signs its documents (its secretaries and its president)
 * with the certificates each signs with, issued by the municipality's CA or imported; the
 * import of a PKCS#12 (e.g. TunTrust's) for one of them, each refusal said next to its field;
 * and the CA's certificate to download, for the PDF readers that must trust it.
 */
export function SigningCertificates(props: { municipalityId: number }) {
  const [data, { mutate }] = createResource(() => props.municipalityId, (id) => api.signing.signers(id));
  const [problems, setProblems] = createSignal<Problems>({});
  const [done, setDone] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  async function importFile(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const file = f.get('file');
    const userId = Number(f.get('signer'));
    setProblems({});
    setDone('');
    if (!(file instanceof File) || !file.size) return setProblems({ file: 'not_pkcs12' });
    if (file.size > PKCS12_MAX_BYTES) return setProblems({ file: 'payload_too_large' });
    setBusy(true);
    try {
      mutate(await api.signing.importFor(props.municipalityId, userId, { file: await base64Of(file), filePassword: String(f.get('filePassword') ?? '') }));
      const signer = data()?.signers.find((s) => s.userId === userId);
      form.reset();
      setDone(t('certificates.imported', { name: signer ? localName(signer) : '' }));
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Show when={data()}>
      {(d) => (
        <section class="card stack" data-testid="signing-certificates" aria-labelledby="certificates-title">
          <h2 id="certificates-title">{t('certificates.title')}</h2>
          <p class="muted">{t('certificates.intro')}</p>
          <p>
            <a class="button secondary" href={api.signing.caUrl(d().municipality.code)} download="" data-testid="ca-download">
              {t('certificates.caDownload', { municipality: localName(d().municipality) })}
            </a>
          </p>
          <ul class="list" data-testid="signers">
            <For each={d().signers} fallback={<li class="muted">{t('certificates.noSigner')}</li>}>
              {(s) => (
                <li class="stack" data-testid={`signer-${s.userId}`}>
                  <strong><bdi>{localName(s)}</bdi></strong>
                  <span class="muted">{s.roles.map((r) => t(`certificates.role.${r}`)).join(', ')} — <bdi dir="ltr">{s.email}</bdi></span>
                  <Show when={s.certificates.length} fallback={<p class="muted">{t('certificates.none')}</p>}>
                    <ul class="list">
                      <For each={s.certificates}>{(c) => <CertificateRow certificate={c} />}</For>
                    </ul>
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <form class="stack" onSubmit={(e) => void importFile(e)} data-testid="certificate-import" noValidate>
            <h3>{t('certificates.importTitle')}</h3>
            <p class="muted">{t('certificates.importIntro')}</p>
            <label>
              {t('certificates.signer')}
              <select name="signer" data-testid="import-signer">
                <For each={d().signers}>{(s) => <option value={s.userId}>{localName(s)}</option>}</For>
              </select>
            </label>
            <FilePicker caption={t('certificates.file')} name="file" accept=".p12,.pfx,application/x-pkcs12" data-testid="import-file"
              aria-invalid={problems().file ? 'true' : 'false'} aria-describedby="import-file-error" />
            <Show when={problems().file}>
              {(p) => <p id="import-file-error" class="error" role="alert" data-testid="import-file-error">{t(`certificates.errors.${p()}`)}</p>}
            </Show>
            <label>
              {t('certificates.filePassword')}
              <input type="password" name="filePassword" autocomplete="off" data-testid="import-password"
                aria-invalid={problems().password ? 'true' : 'false'} aria-describedby="import-password-error" />
            </label>
            <Show when={problems().password}>
              <p id="import-password-error" class="error" role="alert" data-testid="import-password-error">{t('certificates.errors.wrong_file_password')}</p>
            </Show>
            <div class="row">
              <button type="submit" data-testid="import-submit" disabled={busy() || !d().signers.length}>{t('certificates.import')}</button>
            </div>
            <Show when={problems().form}><p class="error" role="alert" data-testid="import-error">{problems().form}</p></Show>
            <Show when={done()}><p class="ok" role="status" data-testid="import-done"><bdi>{done()}</bdi></p></Show>
          </form>
        </section>
      )}
    </Show>
  );
}

import { createSignal, For, type JSX } from 'solid-js';
import { locale, t } from '../i18n';
import { PdfViewer, type ViewState } from '../lib/pdf/PdfViewer';

type Language = 'ar' | 'fr';

export interface SigningScreenProps {
  /** The PDF as it stands in each language: what the signature is added to. */
  pdfUrl: (language: Language) => string;
  /** What is signed, its hash among it, shown between the document and the password. */
  intro: JSX.Element;
  /** The button's words and test id. */
  label: string;
  testId: string;
  busy: boolean;
  /** Signs with the password typed; the field is emptied once it settles. */
  onSign: (password: string) => Promise<void>;
}

const viewOf = (url: string): ViewState => ({ url, page: 1, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0 } });

/**
 * Signing as a deliberate act: the document itself in the viewer (the Arabic or the French
 * PDF, both are signed), what is signed and its hash, then the signer's password. Used for
 * the minutes and for the arrêté.
 */
export function SigningScreen(props: SigningScreenProps) {
  const [language, setLanguage] = createSignal<Language>(locale() === 'ar' ? 'ar' : 'fr');
  const [view, setView] = createSignal(viewOf(props.pdfUrl(language())));
  const [password, setPassword] = createSignal('');
  // The page drawn last, for whoever checks that the document was really shown (the e2e test).
  const [drawn, setDrawn] = createSignal(0);
  const show = (l: Language) => {
    setLanguage(l);
    setDrawn(0);
    setView(viewOf(props.pdfUrl(l)));
  };
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    await props.onSign(password());
    setPassword('');
  };

  return (
    <div class="stack signing-screen" data-testid="signing-screen">
      <div class="minutes-actions" role="group" aria-label={t('minutes.signing.document')}>
        <For each={['ar', 'fr'] as const}>
          {(l) => (
            <button type="button" class="secondary" aria-pressed={language() === l} data-testid={`signing-show-${l}`} onClick={() => show(l)}>
              {t(`minutes.pdf.${l}`)}
            </button>
          )}
        </For>
      </div>
      <div class="signing-viewer" data-testid="signing-viewer" data-language={language()} data-drawn-page={drawn()}>
        <PdfViewer view={view()} onViewChange={setView} onRendered={setDrawn} />
      </div>
      <form class="stack sign-form" onSubmit={(e) => void submit(e)}>
        {props.intro}
        <label>
          {t('minutes.signPassword')}
          <input type="password" autocomplete="current-password" required data-testid="sign-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" data-testid={props.testId} disabled={props.busy || !password()}>{props.label}</button>
      </form>
    </div>
  );
}

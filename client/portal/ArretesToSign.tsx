import { createResource, createSignal, For, Show } from 'solid-js';
import type { ArreteAwaitingSignature } from '../../protocol/signing';
import { t } from '../i18n';
import { api } from '../lib/api';
import { formatDay, isolated, localName } from '../lib/dossiers';
import { ArreteDocument } from './ArreteDocument';

/**
 * The president's arrêtés awaiting their signature, oldest first. Opening one shows its
 * signing screen, the same deliberate act as for the minutes: the PDF in the viewer, its
 * hashes, the password typed again. Once signed it leaves the list.
 */
export function ArretesToSign() {
  const [rows, { refetch }] = createResource(() => api.arretes.awaitingSignature(), { initialValue: [] });
  const [open, setOpen] = createSignal<number>();
  const [signed, setSigned] = createSignal('');
  const done = async (a: ArreteAwaitingSignature) => {
    setOpen(undefined);
    setSigned(t('portal.decision.toSign.signedNow', { number: isolated(a.arreteNumber) }));
    await refetch();
  };
  return (
    <section class="card stack" data-testid="arretes-to-sign" aria-labelledby="arretes-to-sign-title">
      <h2 id="arretes-to-sign-title">{t('portal.decision.toSign.title')}</h2>
      <Show when={signed()}><p class="ok" role="status" data-testid="arrete-signed-now">{signed()}</p></Show>
      <ul class="stack">
        <For each={rows()} fallback={<li class="muted">{t('portal.decision.toSign.none')}</li>}>
          {(a) => (
            <li class="stack" data-testid={`arrete-to-sign-${a.dossierId}`}>
              <span>{t('portal.decision.toSign.row', {
                number: isolated(a.arreteNumber), date: formatDay(a.signedOn), reference: isolated(a.reference),
                municipality: localName(a.municipality), outcome: t(`portal.decision.toSign.outcome.${a.outcome}`),
              })}</span>
              <Show when={open() === a.dossierId} fallback={
                <div class="row">
                  <button type="button" data-testid={`open-arrete-${a.dossierId}`} onClick={() => { setSigned(''); setOpen(a.dossierId); }}>{t('portal.decision.toSign.open')}</button>
                </div>
              }>
                <ArreteDocument dossierId={a.dossierId} signable onSigned={() => void done(a)} />
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

import { A, useParams } from '@solidjs/router';
import { createSignal, Index, Show } from 'solid-js';
import { ConfirmDialog } from '../ConfirmDialog';
import { t } from '../i18n';
import { api } from '../lib/api';
import { deadlineText, localName, statusLabel } from '../lib/dossiers';
import { ChecklistEntry } from './ChecklistEntry';
import { DossierOpinions } from './DossierOpinions';
import { dossierPage } from './dossierPage';
import { DossierHistory } from './DossierTimeline';

/** The applicant's dossier: checklist with uploads, submit, receipt, status timeline, deadline, messages, versions. */
export function PortalDossier() {
  const params = useParams();
  const { dossier, refetch, error, act, sendMessage } = dossierPage(() => Number(params.id));
  const [confirmingSubmit, setConfirmingSubmit] = createSignal(false);
  const [submitted, setSubmitted] = createSignal('');
  const [confirmingWithdraw, setConfirmingWithdraw] = createSignal(false);
  const editable = () => ['draft', 'incomplete'].includes(dossier()?.status ?? '');
  // What the office asked for last, while the dossier waits for it: the items whose document predates the request.
  const requested = (code: string) => {
    const d = dossier();
    const ask = d?.status === 'incomplete' ? d.timeline.findLast((e) => e.action === 'request_documents') : undefined;
    if (!ask?.items.includes(code)) return false;
    const doc = d!.documents.find((x) => x.itemCode === code);
    return !doc || doc.currentVersion.createdAt < ask.at;
  };
  const submit = async () => {
    setConfirmingSubmit(false);
    await act(api.dossiers.submit);
    if (!error() && dossier()?.reference) setSubmitted(t('portal.submittedOk', { reference: dossier()!.reference! }));
  };

  return (
    <Show when={dossier()}>
      {(d) => (
        <section class="stack">
          <A href="/portal"><span class="arrow" aria-hidden="true">←</span> {t('portal.back')}</A>
          <h1>{d().reference ?? t('portal.draftNoRef')} — {localName(d().type)}</h1>
          <p><span class={`status status-${d().status}`} data-testid="status">{statusLabel(d().status)}</span></p>
          <p class={d().deadline.overdue ? 'error' : ''} data-testid="deadline">{deadlineText(d().deadline)}</p>
          <p class="muted"><bdi>{d().location.address}</bdi> — <bdi>{d().location.parcelRef}</bdi> — <bdi>{d().coveredAreaM2} m²</bdi> — <bdi>{d().levels}</bdi></p>

          <h2>{t('portal.checklist')}</h2>
          {/* By position, not by object: the refetch after an upload brings new objects, and each entry must keep what it says (the upload's outcome). */}
          <ul class="list" data-testid="checklist">
            <Index each={d().checklist}>
              {(item) => (
                <ChecklistEntry dossierId={d().id} item={item()} document={d().documents.find((x) => x.itemCode === item().code)}
                  editable={editable()} requested={requested(item().code)} onUploaded={async () => { await refetch(); }} />
              )}
            </Index>
          </ul>
          <Show when={error()}><p class="error" role="alert" data-testid="error">{error()}</p></Show>
          <Show when={submitted()}><p class="ok" role="status" data-testid="submitted">{submitted()}</p></Show>
          <div class="row">
            <Show when={editable() && !confirmingSubmit()}>
              <button data-testid="submit" onClick={() => setConfirmingSubmit(true)}>{d().status === 'incomplete' ? t('portal.resubmit') : t('portal.submit')}</button>
            </Show>
            <Show when={editable() && confirmingSubmit()}>
              <span data-testid="submit-confirm">{t('portal.submitConfirm')}</span>
              <button data-testid="submit-yes" onClick={() => void submit()}>{t('portal.submitYes')}</button>
              <button class="secondary" onClick={() => setConfirmingSubmit(false)}>{t('portal.cancel')}</button>
            </Show>
            <Show when={d().reference}>
              <a href={api.dossiers.receiptUrl(d().id)} download="" data-testid="receipt">{t('portal.receipt')}</a>
            </Show>
            <Show when={['draft', 'submitted', 'incomplete', 'complete', 'scheduled'].includes(d().status)}>
              <button class="secondary" data-testid="withdraw" onClick={() => setConfirmingWithdraw(true)}>{t('portal.withdraw')}</button>
            </Show>
            <ConfirmDialog
              open={confirmingWithdraw()} message={t('portal.withdrawConfirm')} confirmLabel={t('portal.withdrawYes')} testId="withdraw-confirm"
              onConfirm={() => { setConfirmingWithdraw(false); void act(api.dossiers.withdraw); }} onCancel={() => setConfirmingWithdraw(false)}
            />
          </div>

          <Show when={d().opinions.length > 0 || d().decision}>
            <DossierOpinions dossierId={d().id} opinions={d().opinions} decision={d().decision} />
          </Show>

          <DossierHistory dossier={d()} onSend={sendMessage} />
        </section>
      )}
    </Show>
  );
}

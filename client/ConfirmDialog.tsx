import { createEffect, createUniqueId } from 'solid-js';
import { t } from './i18n';

/**
 * A question asked in the page instead of the browser's confirm(): a modal <dialog> with
 * role=alertdialog, whose showModal() keeps focus inside it (the rest of the page is inert)
 * and closes on Escape; focus starts on Cancel, the safe answer to an act that cannot be undone.
 */
export function ConfirmDialog(props: {
  open: boolean;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  let dialog!: HTMLDialogElement;
  let cancel!: HTMLButtonElement;
  const id = createUniqueId();
  createEffect(() => {
    if (props.open && !dialog.open) {
      dialog.showModal();
      cancel.focus();
    } else if (!props.open && dialog.open) dialog.close();
  });
  return (
    <dialog
      ref={dialog} class="confirm-dialog" role="alertdialog" aria-modal="true" aria-describedby={`${id}-message`}
      data-testid={props.testId} onCancel={(e) => { e.preventDefault(); props.onCancel(); }}
    >
      <p id={`${id}-message`}>{props.message}</p>
      <div class="row">
        <button type="button" data-testid={props.testId && `${props.testId}-yes`} onClick={() => props.onConfirm()}>{props.confirmLabel}</button>
        <button type="button" class="secondary" ref={cancel} data-testid={props.testId && `${props.testId}-no`} onClick={() => props.onCancel()}>{t('dialog.cancel')}</button>
      </div>
    </dialog>
  );
}

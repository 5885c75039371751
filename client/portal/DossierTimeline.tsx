import { For } from 'solid-js';
import type { DossierEventView, DossierMessageView, DossierView } from '../../protocol/dossiers';
import { locale, t } from '../i18n';
import { formatDateTime } from '../lib/dossiers';

/** The dossier's status timeline: every transition, when and by whom (shown to applicant and office alike). */
export function DossierTimeline(props: { events: DossierEventView[] }) {
  return (
    <ol class="timeline" data-testid="timeline">
      <For each={props.events}>
        {(e) => (
          <li>
            <strong>{t(`portal.action.${e.action}` as 'portal.action.create')}</strong>{' '}
            <span class="muted">{formatDateTime(e.at)} — {e.by ? (locale() === 'ar' ? e.by.nameAr : e.by.nameFr) : ''}</span>
            {e.note && <p class="note">{e.note}</p>}
          </li>
        )}
      </For>
    </ol>
  );
}

/** Messages between the applicant and the office, with a form to write one. */
export function DossierMessages(props: { messages: DossierMessageView[]; onSend: (body: string) => Promise<void> }) {
  let input!: HTMLTextAreaElement;
  return (
    <div class="stack" data-testid="messages">
      <For each={props.messages}>
        {(m) => (
          <div class="message">
            <span class="muted">{locale() === 'ar' ? m.author.nameAr : m.author.nameFr} — {formatDateTime(m.at)}</span>
            <p>{m.body}</p>
          </div>
        )}
      </For>
      <form class="row" onSubmit={async (e) => { e.preventDefault(); if (input.value.trim()) { await props.onSend(input.value); input.value = ''; } }}>
        <textarea ref={input} rows={2} maxLength={4000} aria-label={t('portal.messages')} />
        <button type="submit">{t('portal.send')}</button>
      </form>
    </div>
  );
}

/** The end of both dossier pages: the messages with the office, then the timeline. */
export function DossierHistory(props: { dossier: Pick<DossierView, 'messages' | 'timeline'>; onSend: (body: string) => Promise<void> }) {
  return (
    <>
      <h2>{t('portal.messages')}</h2>
      <DossierMessages messages={props.dossier.messages} onSend={props.onSend} />
      <h2>{t('portal.timeline')}</h2>
      <DossierTimeline events={props.dossier.timeline} />
    </>
  );
}

import { For } from 'solid-js';
import type { ChecklistItemView, DossierEventView, DossierMessageView, DossierView } from '../../protocol/dossiers';
import { locale, t } from '../i18n';
import { formatDateTime, localName } from '../lib/dossiers';

/**
 * The dossier's status timeline: every transition, when and by whom (shown to applicant and
 * office alike); the items a step names by their checklist names and its session by its date,
 * what people typed in its own direction.
 */
export function DossierTimeline(props: { events: DossierEventView[]; checklist: ChecklistItemView[] }) {
  const itemName = (code: string) => {
    const item = props.checklist.find((c) => c.code === code);
    return item ? localName(item) : code;
  };
  return (
    <ol class="timeline" data-testid="timeline">
      <For each={props.events}>
        {(e) => (
          <li data-action={e.action}>
            <strong>{t(`portal.action.${e.action}` as 'portal.action.create')}</strong>
            {e.session ? ` — ${t('portal.timelineSession', { date: formatDateTime(e.session.startsAt) })}` : ''}{' '}
            <span class="muted">{formatDateTime(e.at)} — <bdi>{e.by ? (locale() === 'ar' ? e.by.nameAr : e.by.nameFr) : ''}</bdi></span>
            {e.items.length > 0 && <ul class="items" data-testid="timeline-items"><For each={e.items}>{(code) => <li>{itemName(code)}</li>}</For></ul>}
            {e.note && <p class="note" dir="auto">{e.note}</p>}
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
            <span class="muted"><bdi>{locale() === 'ar' ? m.author.nameAr : m.author.nameFr}</bdi> — {formatDateTime(m.at)}</span>
            <p dir="auto">{m.body}</p>
          </div>
        )}
      </For>
      <form class="row" onSubmit={async (e) => { e.preventDefault(); if (input.value.trim()) { await props.onSend(input.value); input.value = ''; } }}>
        <textarea ref={input} rows={2} maxLength={4000} dir="auto" aria-label={t('portal.messages')} />
        <button type="submit">{t('portal.send')}</button>
      </form>
    </div>
  );
}

/** The end of both dossier pages: the messages with the office, then the timeline. */
export function DossierHistory(props: { dossier: Pick<DossierView, 'messages' | 'timeline' | 'checklist'>; onSend: (body: string) => Promise<void> }) {
  return (
    <>
      <h2>{t('portal.messages')}</h2>
      <DossierMessages messages={props.dossier.messages} onSend={props.onSend} />
      <h2>{t('portal.timeline')}</h2>
      <DossierTimeline events={props.dossier.timeline} checklist={props.dossier.checklist} />
    </>
  );
}

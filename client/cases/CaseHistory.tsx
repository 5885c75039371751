import { For } from 'solid-js';
import type { CaseEventView, CaseMessageView } from '../../protocol/informationRequests';
import { t } from '../i18n';
import { formatDateTime } from '../lib/dossiers';
import { DossierMessages } from '../portal/DossierTimeline';

/**
 * The end of a complaint's or an information request's page: the messages with the
 * municipality, then the timeline of its steps, in the words of its strings (`ns`).
 */
export function CaseHistory(props: {
  ns: 'cases' | 'information';
  messages: CaseMessageView[];
  timeline: CaseEventView[];
  onSend: (body: string) => Promise<void>;
  timelineTestId?: string;
}) {
  return (
    <>
      <h2>{t(`${props.ns}.messages` as 'cases.messages')}</h2>
      <DossierMessages messages={props.messages} onSend={props.onSend} />
      <h2>{t(`${props.ns}.timeline` as 'cases.timeline')}</h2>
      <ol class="timeline" data-testid={props.timelineTestId}>
        <For each={props.timeline}>
          {(e) => (
            <li>
              <strong>{t(`${props.ns}.action.${e.action}` as 'cases.action.receive')}</strong>{' '}
              <span class="muted">{formatDateTime(e.at)}</span>
              {e.note && <p class="note">{e.note}</p>}
            </li>
          )}
        </For>
      </ol>
    </>
  );
}

import { createSignal, For, Show } from 'solid-js';
import type { ChatAnnexEntry } from '../../protocol/minutes';
import { formatTime } from '../../protocol/municipalTime';
import { t } from '../i18n';
import { localName } from '../lib/dossiers';
import type { MinutesDraft } from './MinutesDraft';

/** One message of the annex; on a draft the secretary may exclude it, giving a reason. */
function Entry(props: { entry: ChatAnnexEntry; draft?: MinutesDraft }) {
  const e = () => props.entry;
  const [asking, setAsking] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal('');
  const submit = (ev: SubmitEvent) => {
    ev.preventDefault();
    setError('');
    props.draft!.exclude(e().messageId, reason()).then(() => setAsking(false), (err: Error) => setError(err.message));
  };
  return (
    <li data-testid={`annex-${e().messageId}`} data-excluded={e().excluded ? 'true' : 'false'}>
      <bdi class="muted">{formatTime(e().sentAt)}</bdi> <strong>{localName(e())}</strong>:{' '}
      <Show when={e().excluded} fallback={<bdi class="pre">{e().text}</bdi>}>
        {(x) => <em>{t('minutes.chat.excluded', { reason: x().reason })}</em>}
      </Show>
      <Show when={props.draft && !e().excluded}>
        <Show when={asking()} fallback={
          <button type="button" data-testid={`exclude-${e().messageId}`} onClick={() => setAsking(true)}>{t('minutes.chat.exclude')}</button>
        }>
          <form class="exclude" onSubmit={submit}>
            <label>
              {t('minutes.chat.reason')}
              <input required maxLength={500} data-testid={`exclude-reason-${e().messageId}`} value={reason()} onInput={(ev) => setReason(ev.currentTarget.value)} />
            </label>
            <button type="submit" data-testid={`exclude-confirm-${e().messageId}`}>{t('minutes.chat.confirm')}</button>
            <Show when={error()}><span class="error" role="alert">{error()}</span></Show>
          </form>
        </Show>
      </Show>
    </li>
  );
}

/** The meeting chat as the minutes' annex; `draft` given (the secretary, before finalize) lets messages be excluded. */
export function ChatAnnex(props: { chat: ChatAnnexEntry[] | undefined; draft?: MinutesDraft }) {
  return (
    <Show when={props.chat?.length}>
      <section data-testid="minutes-chat">
        <h3>{t('minutes.chat.title')}</h3>
        <ul class="minutes-chat">
          <For each={props.chat}>{(entry) => <Entry entry={entry} draft={props.draft} />}</For>
        </ul>
      </section>
    </Show>
  );
}

import './chat.css';
import { createEffect, createSignal, For, on, onCleanup, onMount, Show, type Signal } from 'solid-js';
import { CHAT_MAX_CHARS, type ChatMessageView } from '../../protocol/chat';
import { formatTime } from '../../protocol/municipalTime';
import { t } from '../i18n';
import { localName } from '../lib/dossiers';
import type { MeetingConnection } from './MeetingConnection';
import type { PaneFactory } from './pane';
import { RequestError } from './signalling';

/** Why a message was not sent, in words: the rate limit says how long to wait. */
function refusal(e: unknown): string {
  if (e instanceof RequestError && e.code === 'too_many_attempts') {
    const seconds = (e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 10;
    return t('meeting.chat.tooFast', { seconds: String(seconds) });
  }
  return t('meeting.chat.failed', { reason: (e as Error).message });
}

/**
 * The session's chat: the history from each join snapshot, then every message as the
 * server sends it (persisted first). Text is shown as typed: isolated in its own direction
 * (an Arabic message in the French room, a reference in an Arabic one), never turned into
 * links, so nobody is one click from a look-alike address.
 */
function ChatPanel(props: { connection: MeetingConnection; unread: Signal<number> }) {
  const c = props.connection;
  const [, setUnread] = props.unread;
  const [messages, setMessages] = createSignal<ChatMessageView[]>([]);
  const [text, setText] = createSignal('');
  const [error, setError] = createSignal('');
  const [sending, setSending] = createSignal(false);
  let list!: HTMLDivElement;

  createEffect(on(() => c.state.features, (features) => features.chat && setMessages(features.chat)));
  const received = (m: ChatMessageView) => setMessages((all) => (all.some((x) => x.id === m.id) ? all : [...all, m]));
  // Someone else's message while the pane is out of sight counts on its tab until it is seen.
  const arrived = (m: ChatMessageView) => {
    received(m);
    if (m.authorId !== c.state.self?.userId && !list.checkVisibility()) setUnread((n) => n + 1);
  };
  c.socket.on('chatMessage', arrived);
  onCleanup(() => c.socket.off('chatMessage', arrived));
  onMount(() => {
    // Shown again (display: none → a size): everything is seen.
    const observer = new ResizeObserver(() => list.checkVisibility() && setUnread(0));
    observer.observe(list);
    onCleanup(() => observer.disconnect());
  });
  // The newest message in view, as people expect of a chat.
  createEffect(on(messages, () => list && (list.scrollTop = list.scrollHeight)));

  const live = () => c.state.session?.status === 'live';
  const send = async () => {
    const body = text().trim();
    if (!body || sending()) return;
    setSending(true);
    setError('');
    try {
      received(await c.request('sendChat', { text: body }));
      setText('');
    } catch (e) {
      setError(refusal(e));
    }
    setSending(false);
  };
  const onKey = (e: KeyboardEvent) => {
    // Enter sends, Shift+Enter starts a new line (what chats do).
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <div class="chat" data-testid="chat">
      <p class="muted">{live() ? t('meeting.chat.record') : t('meeting.chat.waiting')}</p>
      {/* A log (new messages are announced); focusable, so a keyboard scrolls back through it. */}
      <div class="chat-messages" ref={list} role="log" tabIndex={0} aria-label={t('meeting.chat.pane')} data-testid="chat-messages">
        <Show when={messages().length} fallback={<p class="muted">{t('meeting.chat.empty')}</p>}>
          <ol>
            <For each={messages()}>
              {(m) => (
                <li data-testid={`chat-message-${m.id}`} classList={{ mine: m.authorId === c.state.self?.userId }}>
                  <span class="chat-meta"><strong>{localName(m)}</strong> <bdi class="muted">{formatTime(m.sentAt)}</bdi></span>
                  <bdi class="chat-text" dir="auto">{m.text}</bdi>
                </li>
              )}
            </For>
          </ol>
        </Show>
      </div>
      <form class="chat-form" onSubmit={(e) => (e.preventDefault(), void send())}>
        <label for="chat-input" class="visually-hidden">{t('meeting.chat.label')}</label>
        <textarea id="chat-input" data-testid="chat-input" rows={2} maxLength={CHAT_MAX_CHARS} dir="auto" disabled={!live()}
          placeholder={t('meeting.chat.label')} value={text()} onInput={(e) => setText(e.currentTarget.value)} onKeyDown={onKey} />
        <button type="submit" class="primary" data-testid="chat-send" disabled={!live() || sending() || !text().trim()}>{t('meeting.chat.send')}</button>
      </form>
      <Show when={error()}>
        <p class="error" role="alert" data-testid="chat-error">{error()}</p>
      </Show>
    </div>
  );
}

/** The messages tab of the meeting room, for everyone in it; its label counts the messages not seen yet. */
export const chatPane: PaneFactory = (connection) => {
  const unread = createSignal(0);
  return {
    id: 'chat',
    label: () => (unread[0]() ? t('meeting.chat.paneUnread', { n: String(unread[0]()) }) : t('meeting.chat.pane')),
    render: () => <ChatPanel connection={connection} unread={unread} />,
  };
};

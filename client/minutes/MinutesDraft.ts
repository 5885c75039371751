import { createSignal, type Accessor } from 'solid-js';
import { createStore, produce, type SetStoreFunction } from 'solid-js/store';
import type { MinutesTextBody, MinutesView } from '../../protocol/minutes';

export type SaveState = 'saved' | 'saving' | 'offline' | 'refused';

/** Text typed but not yet acknowledged by the server: the remarks and notes by agenda position. */
interface PendingText {
  remarks?: string;
  notes: Record<string, string>;
}

export interface MinutesDraftOptions {
  sessionId: number;
  /** Whose text it is: on a shared device, one person's unsent text is never sent as another's. */
  userId: number;
  /** Sends an edit; resolves with the minutes as the server saved them. */
  send: (edit: MinutesTextBody) => Promise<MinutesView>;
  /** Whether a send can reach the server now. */
  online: () => boolean;
  /** The server's refusal in words, or null when `error` only means it was not reached (then it is sent again). */
  refusal: (error: unknown) => string | null;
  onSaved: (view: MinutesView) => void;
}

const AUTOSAVE_MS = 800;
const RETRY_MS = 3000;

/**
 * The secretary's text on the way to the server: every keystroke goes to localStorage at
 * once and to the server after a pause (one edit in flight at a time); what the server has
 * not acknowledged stays pending and is sent again after a reconnect or a page reload,
 * so no keystroke is lost.
 */
export class MinutesDraft {
  readonly pending: PendingText;
  readonly #setPending: SetStoreFunction<PendingText>;
  readonly state: Accessor<SaveState>;
  readonly #setState: (s: SaveState) => void;
  readonly refusalMessage: Accessor<string>;
  readonly #setRefusal: (s: string) => void;
  readonly #key: string;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The edit on its way to the server (one at a time). */
  #sending: Promise<void> | undefined;

  constructor(private readonly options: MinutesDraftOptions) {
    this.#key = `lajna.minutes.${options.sessionId}.${options.userId}`;
    [this.pending, this.#setPending] = createStore<PendingText>(this.#load());
    [this.state, this.#setState] = createSignal<SaveState>(this.#isEmpty() ? 'saved' : 'saving');
    [this.refusalMessage, this.#setRefusal] = createSignal('');
    // Back online: what was typed meanwhile goes at once.
    window.addEventListener('online', this.#resume);
  }

  readonly #resume = () => void this.flush();

  /** What a field shows: the text still pending, else what the server has. */
  remarks(saved: string): string {
    return this.pending.remarks ?? saved;
  }

  notes(position: number, saved: string): string {
    return this.pending.notes[position] ?? saved;
  }

  /** A keystroke in the remarks (position null) or an item's notes. */
  type(position: number | null, text: string): void {
    this.#setPending(produce((p) => {
      if (position === null) p.remarks = text;
      else p.notes[position] = text;
    }));
    this.#store();
    this.#setState(this.options.online() ? 'saving' : 'offline');
    this.#schedule(AUTOSAVE_MS);
  }

  /**
   * Sends what is pending now (after a reconnect, a reload, or the autosave pause), after
   * the edit already on its way if there is one. Keystrokes made meanwhile go after the
   * next pause.
   */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    while (this.#sending) await this.#sending;
    if (this.#isEmpty()) return;
    if (!this.options.online()) {
      this.#setState('offline');
      return this.#schedule(RETRY_MS);
    }
    this.#sending = this.#send().finally(() => (this.#sending = undefined));
    await this.#sending;
    if (this.state() === 'saving') this.#schedule(AUTOSAVE_MS);
  }

  /** Before finalizing: sends until nothing is pending. False when some text could not reach the server. */
  async drain(): Promise<boolean> {
    for (let round = 0; round < 10 && !this.#isEmpty(); round++) {
      await this.flush();
      if (this.state() !== 'saving') break;
    }
    return this.#isEmpty();
  }

  /**
   * Excludes a chat message from the minutes' annex with a reason: sent at once, not
   * autosaved (an exclusion is final and audited, so it is the secretary's explicit act).
   */
  async exclude(messageId: number, reason: string): Promise<void> {
    this.options.onSaved(await this.options.send({ excludeChat: { [messageId]: reason } }));
  }

  async #send(): Promise<void> {
    const edit: MinutesTextBody = { ...(this.pending.remarks === undefined ? {} : { remarks: this.pending.remarks }), notes: { ...this.pending.notes } };
    this.#setState('saving');
    try {
      const view = await this.options.send(edit);
      // Only what was acknowledged leaves the pending text: keystrokes made meanwhile stay.
      this.#setPending(produce((p) => {
        if (p.remarks === edit.remarks) delete p.remarks;
        for (const [position, text] of Object.entries(edit.notes ?? {})) if (p.notes[position] === text) delete p.notes[position];
      }));
      this.#store();
      this.options.onSaved(view);
      this.#setState(this.#isEmpty() ? 'saved' : 'saving');
    } catch (error) {
      const refusal = this.options.refusal(error);
      if (refusal === null) {
        this.#setState('offline');
        this.#schedule(RETRY_MS);
      } else {
        // Refused for good (finalized meanwhile, no longer the secretary): keeping it would resend it forever.
        this.#setPending({ remarks: undefined, notes: {} });
        this.#store();
        this.#setRefusal(refusal);
        this.#setState('refused');
      }
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
    window.removeEventListener('online', this.#resume);
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), ms);
  }

  #isEmpty(): boolean {
    return this.pending.remarks === undefined && Object.keys(this.pending.notes).length === 0;
  }

  #load(): PendingText {
    try {
      const saved = JSON.parse(localStorage.getItem(this.#key) ?? 'null') as PendingText | null;
      return { notes: {}, ...saved };
    } catch {
      return { notes: {} };
    }
  }

  #store(): void {
    if (this.#isEmpty()) localStorage.removeItem(this.#key);
    else localStorage.setItem(this.#key, JSON.stringify(this.pending));
  }
}

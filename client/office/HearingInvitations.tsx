import { createResource, createSignal, For, Show } from 'solid-js';
import type { DossierAgendaEntry } from '../../protocol/dossiers';
import { invitationState, type HearingInvitationView } from '../../protocol/hearings';
import type { Violation } from '../../protocol/validate';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { formatDateTime } from '../lib/dossiers';

/** The refusals of inviting and withdrawing that the page names; any other is shown with its code. */
const NAMED = ['item_not_in_session', 'dossier_not_item', 'invalid_transition', 'forbidden', 'not_found', 'unauthenticated'] as const;
type Named = (typeof NAMED)[number];

/** What is wrong, field by field (the server's violations), or for the whole form (its translated code). */
interface Problems {
  name?: boolean;
  email?: boolean;
  form?: string;
}

function problemsOf(e: unknown): Problems {
  if (e instanceof ApiError && e.code === 'invalid_payload') {
    const paths = new Set(((e.details ?? []) as Violation[]).map((v) => v.path));
    if (paths.has('name') || paths.has('email')) return { name: paths.has('name'), email: paths.has('email') };
  }
  const code = e instanceof ApiError ? e.code : 'internal';
  return { form: (NAMED as readonly string[]).includes(code) ? t(`invitations.errors.${code as Named}`) : t('invitations.errors.other', { code }) };
}

/**
 * The hearing on one agenda item of the dossier: the secretary or the chair invites the
 * applicant or their architect (name, email: the server emails the one-time link), sees
 * each invitation's state and withdraws one. A refusal is said next to the field it is about.
 */
export function HearingInvitations(props: { dossierId: number; entry: DossierAgendaEntry }) {
  const [all, { refetch }] = createResource(() => props.entry.sessionId, (id) => api.hearings.list(id), { initialValue: [] });
  const mine = () => all().filter((i) => i.agendaItemId === props.entry.agendaItemId);
  const [problems, setProblems] = createSignal<Problems>({});
  const [done, setDone] = createSignal('');
  const key = `${props.entry.sessionId}-${props.entry.agendaItemId}`;

  async function invite(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    setProblems({});
    setDone('');
    try {
      const made = await api.hearings.invite({
        sessionId: props.entry.sessionId, agendaItemId: props.entry.agendaItemId, dossierId: props.dossierId, name: String(f.get('name') ?? ''), email: String(f.get('email') ?? ''),
      });
      form.reset();
      setDone(t('invitations.invited', { name: made.name }));
      await refetch();
    } catch (err) {
      setProblems(problemsOf(err));
    }
  }

  async function revoke(inv: HearingInvitationView) {
    setProblems({});
    setDone('');
    try {
      await api.hearings.revoke(inv.id);
      setDone(t('invitations.revoked', { name: inv.name }));
      await refetch();
    } catch (err) {
      setProblems({ form: problemsOf(err).form });
    }
  }

  return (
    <section class="card stack" data-testid={`hearing-${props.entry.agendaItemId}`} aria-labelledby={`hearing-title-${key}`}>
      <h2 id={`hearing-title-${key}`}>{t('invitations.title', { when: formatDateTime(props.entry.startsAt), position: String(props.entry.position) })}</h2>
      <p class="muted">{t('invitations.intro')}</p>
      <form class="stack" onSubmit={invite} data-testid="invite-form" noValidate>
        <label>
          {t('invitations.name')}
          <input name="name" maxLength={120} autocomplete="off" dir="auto" data-testid="invite-name"
            aria-invalid={problems().name ? 'true' : 'false'} aria-describedby={`invite-name-error-${key}`} />
        </label>
        <Show when={problems().name}>
          <p id={`invite-name-error-${key}`} class="error" role="alert" data-testid="invite-name-error">{t('invitations.field.name')}</p>
        </Show>
        <label>
          {t('invitations.email')}
          {/* An address reads left to right in every language. */}
          <input name="email" type="email" maxLength={254} autocomplete="off" dir="ltr" data-testid="invite-email"
            aria-invalid={problems().email ? 'true' : 'false'} aria-describedby={`invite-email-error-${key}`} />
        </label>
        <Show when={problems().email}>
          <p id={`invite-email-error-${key}`} class="error" role="alert" data-testid="invite-email-error">{t('invitations.field.email')}</p>
        </Show>
        <div class="row">
          <button type="submit" data-testid="invite">{t('invitations.invite')}</button>
        </div>
        <Show when={problems().form}><p class="error" role="alert" data-testid="invite-error">{problems().form}</p></Show>
        <Show when={done()}><p class="ok" role="status" data-testid="invite-done"><bdi>{done()}</bdi></p></Show>
      </form>
      <h3>{t('invitations.list')}</h3>
      <ul class="stack" data-testid="invitations">
        <For each={mine()} fallback={<li class="muted">{t('invitations.none')}</li>}>
          {(inv) => {
            const state = () => invitationState(inv, new Date());
            return (
              <li class="row" data-testid={`invitation-${inv.id}`} data-state={state()}>
                <bdi>{inv.name}</bdi> <bdi dir="ltr" class="muted">{inv.email}</bdi>
                <span class={`badge invitation-${state()}`} data-testid="invitation-state">{t(`invitations.state.${state()}`)}</span>
                <span class="muted">{t('invitations.sentOn', { at: formatDateTime(inv.createdAt) })}</span>
                <Show when={state() === 'sent' || state() === 'used'}>
                  <button type="button" class="secondary" data-testid={`revoke-${inv.id}`} onClick={() => void revoke(inv)}
                    aria-label={`${t('invitations.revoke')} — ${inv.name}`}>{t('invitations.revoke')}</button>
                </Show>
              </li>
            );
          }}
        </For>
      </ul>
    </section>
  );
}

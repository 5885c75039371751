import '../meeting/meeting.css';
import './hearing.css';
import { createResource, createSignal, Match, onCleanup, Switch } from 'solid-js';
import type { GuestView } from '../../protocol/hearings';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { formatDateTime, localName } from '../lib/dossiers';
import { PreJoin } from '../meeting/PreJoin';
import { GuestConnection } from './GuestConnection';
import { GuestRoom } from './GuestRoom';

/** The refusals the page names; any other is shown with its code. */
const NAMED = ['hearing_link_used', 'hearing_link_expired', 'hearing_link_revoked', 'hearing_link_unknown', 'unauthenticated', 'over', 'elsewhere'] as const;
type Named = (typeof NAMED)[number];

function refusalText(code: string): string {
  // A token of the wrong shape is no link of ours either.
  const named = code === 'invalid_payload' ? 'hearing_link_unknown' : code;
  return (NAMED as readonly string[]).includes(named) ? t(`hearing.errors.${named as Named}`) : t('hearing.errors.other', { code });
}

/**
 * The invitation behind the page: the email's link (`/hearing#<token>`) is followed once,
 * the token taken out of the address at once (it stays in no history or bookmark); a page
 * opened again without it is the guest cookie's. The link followed again in the browser that
 * first followed it still finds its login.
 */
async function openInvitation(): Promise<GuestView> {
  const token = location.hash.slice(1);
  if (!token) return api.hearings.guest();
  history.replaceState(history.state, '', location.pathname + location.search);
  try {
    return await api.hearings.redeem(token);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'hearing_link_used') return api.hearings.guest().catch(() => Promise.reject(e));
    throw e;
  }
}

/**
 * The page of the applicant or architect invited to be heard on one agenda item: which
 * session and dossier, the pre-join check of microphone and camera, the waiting room until
 * the chair admits them, the room of their hearing, and the end (or why the link does not
 * let them in).
 */
export function HearingPage() {
  const [invitation] = createResource(openInvitation);
  const [connection, setConnection] = createSignal<GuestConnection>();
  onCleanup(() => void connection()?.leave());
  const phase = () => connection()?.state.phase;
  const refusal = () => {
    const e: unknown = invitation.error;
    if (e) return e instanceof ApiError ? e.code : 'internal';
    return phase() === 'refused' ? (connection()!.state.error ?? 'internal') : null;
  };
  return (
    <section class="meeting hearing" data-testid="hearing-page" data-phase={phase() ?? (invitation.loading ? 'opening' : 'prejoin')}>
      <h1>{t('hearing.title')}</h1>
      <Switch>
        <Match when={refusal()}>{(code) => <p class="error" role="alert" data-testid="hearing-refused" data-code={code()}>{refusalText(code())}</p>}</Match>
        <Match when={invitation.loading}><p class="muted" role="status">{t('hearing.opening')}</p></Match>
        <Match when={invitation()}>
          {(guest) => (
            <Switch>
              <Match when={!connection()}>
                <PreJoin joinLabel={t('hearing.prejoin.enter')} onJoin={(o) => setConnection(new GuestConnection(guest(), o))}>
                  <GuestHeading guest={guest()} />
                  <p>{t('hearing.prejoin.intro')}</p>
                </PreJoin>
              </Match>
              <Match when={phase() === 'admitted' || (phase() === 'lost' && connection()!.state.item)}>
                <GuestRoom connection={connection()!} />
              </Match>
              <Match when={phase() === 'ended'}>
                <div class="notice stack" role="status" data-testid="hearing-end">
                  <h2>{t('hearing.end.title')}</h2>
                  <p>{t(`hearing.end.${connection()!.state.endReason ?? 'ended'}`)}</p>
                </div>
              </Match>
              <Match when={phase() === 'left'}>
                <div class="stack" data-testid="hearing-left">
                  <p>{t('hearing.left.text')}</p>
                  <button type="button" class="primary" data-testid="hearing-back" onClick={() => setConnection(undefined)}>{t('hearing.left.back')}</button>
                </div>
              </Match>
              <Match when={true}>
                <Lobby guest={guest()} connection={connection()!} />
              </Match>
            </Switch>
          )}
        </Match>
      </Switch>
    </section>
  );
}

/** Who is invited, to which session of which committee, on which item of which dossier. */
function GuestHeading(props: { guest: GuestView }) {
  const g = () => props.guest;
  return (
    <div class="hearing-heading" data-testid="hearing-heading">
      <p>{t('hearing.invited', { name: g().name, position: String(g().position), when: formatDateTime(g().startsAt) })}</p>
      <dl class="row">
        <div><dt>{t('hearing.committee')}</dt><dd><bdi>{localName(g().committee)}</bdi></dd></div>
        <div><dt>{t('hearing.dossier')}</dt><dd><bdi data-testid="hearing-reference">{g().reference ?? '—'}</bdi></dd></div>
      </dl>
    </div>
  );
}

/** Waiting for the chair to admit them (or for the connection to come back). */
function Lobby(props: { guest: GuestView; connection: GuestConnection }) {
  const s = props.connection.state;
  return (
    <div class="stack hearing-lobby" data-testid="hearing-lobby">
      <GuestHeading guest={props.guest} />
      <div class="notice stack" role="status">
        <h2>{t('hearing.lobby.title')}</h2>
        <p>{s.phase === 'lost' ? t('hearing.lost') : s.again ? t('hearing.lobby.again') : t('hearing.lobby.text')}</p>
      </div>
      <p>
        <button type="button" class="secondary" data-testid="leave" onClick={() => void props.connection.leave()}>{t('hearing.room.leave')}</button>
      </p>
    </div>
  );
}

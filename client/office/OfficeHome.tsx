import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { CASE_KINDS } from '../../protocol/cases';
import type { DossierListRow } from '../../protocol/dossiers';
import { CaseList } from '../cases/CaseList';
import type { SessionMode } from '../../protocol/enums';
import type { SessionView } from '../../protocol/sessions';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { formatDateTime } from '../lib/dossiers';
import { municipalInstant } from '../../protocol/municipalTime';
import { hasAnyRole, me } from '../lib/session';
import { RecentMinutes } from '../minutes/RecentMinutes';
import { SigningCertificates } from './SigningCertificates';
import { SmsQuota } from './SmsQuota';


/**
 * The office's home: the queue of every kind of case its roles give, by type, status and days
 * left (overdue first); for the secretariat, the sessions with their agenda too. An information
 * officer alone lands here on the access-to-information office: the requests to answer, named
 * as such, and no sessions (they are not theirs and the API refuses them).
 */
export function OfficeHome() {
  const secretariat = () => hasAnyRole(['secretary']);
  const [sessions, { refetch: refetchSessions }] = createResource(secretariat, () => api.sessions.list(), { initialValue: [] });
  const [complete, { refetch: refetchComplete }] = createResource(secretariat, () => api.dossiers.list('complete'), { initialValue: [] });
  const [notice, setNotice] = createSignal('');
  // The kinds of case the roles give: permits and complaints to the secretariat, requests to the information officer.
  const officeKinds = () => CASE_KINDS.filter((k) => hasAnyRole(k === 'information_request' ? ['information_officer'] : ['secretary']));
  const municipalityId = () => me()?.memberships.find((m) => m.role === 'secretary' || m.role === 'admin')?.municipalityId;

  const run = async (f: () => Promise<unknown>) => {
    setNotice('');
    try {
      await f();
      await Promise.all([refetchSessions(), refetchComplete()]);
    } catch (e) {
      setNotice(e instanceof ApiError ? e.message : String(e));
    }
  };

  async function createSession(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    // The form gives the municipality's wall time, whatever the device's zone.
    const startsAt = municipalInstant(String(f.get('date')), String(f.get('time')));
    await run(() => api.sessions.create({
      municipalityId: municipalityId()!, startsAt: startsAt.toISOString(), mode: f.get('mode') as SessionMode, location: String(f.get('location') ?? ''),
    }));
  }

  return (
    <section class="stack">
      <h1>{secretariat() ? t('office.title') : t('information.office')}</h1>
      <h2>{secretariat() ? t('office.queue') : t('information.toHandle')}</h2>
      <CaseList office kinds={officeKinds()} />

      <Show when={secretariat()}>
        <h2>{t('office.sessions')}</h2>
        <Show when={notice()}><p class="error" role="alert">{notice()}</p></Show>
        <For each={sessions()} fallback={<p class="muted">{t('office.noSession')}</p>}>
          {(s) => <SessionCard session={s} complete={complete()} run={run} />}
        </For>
        <RecentMinutes />
        <Show when={me()?.memberships.find((m) => m.role === 'admin')?.municipalityId}>
          {(id) => (
            <>
              <SmsQuota municipalityId={id()} />
              <SigningCertificates municipalityId={id()} />
            </>
          )}
        </Show>
        <details class="card">
          <summary>{t('office.newSession')}</summary>
          <form class="stack" onSubmit={createSession} data-testid="new-session">
            <div class="row">
              <label>{t('office.date')}<input type="date" name="date" required /></label>
              <label>{t('office.time')}<input type="time" name="time" required value="09:00" /></label>
            </div>
            <label>{t('office.mode')}
              <select name="mode"><option value="remote">{t('words.sessionMode.remote')}</option><option value="hybrid">{t('words.sessionMode.hybrid')}</option></select>
            </label>
            <label>{t('office.location')}<input name="location" maxLength={300} /></label>
            <button type="submit">{t('office.createSession')}</button>
          </form>
        </details>
      </Show>
    </section>
  );
}

/** One session: its agenda (checkboxes over complete dossiers, in order), saving it, convening the members. */
function SessionCard(props: { session: SessionView; complete: DossierListRow[]; run: (f: () => Promise<unknown>) => Promise<void> }) {
  const [confirming, setConfirming] = createSignal(false);
  const convene = (again: boolean) => props.run(async () => {
    setConfirming(false);
    await api.sessions.convene(props.session.id, { again });
  });
  const candidates = () => [
    ...props.session.agenda.map((a) => ({ id: a.dossier.id, reference: a.dossier.reference, checked: true })),
    ...props.complete.map((d) => ({ id: d.id, reference: d.reference, checked: false })),
  ];
  let form!: HTMLFormElement;
  const save = () => props.run(() => api.sessions.setAgenda(
    props.session.id, [...form.querySelectorAll<HTMLInputElement>('input[name=dossier]:checked')].map((i) => Number(i.value)),
  ));
  return (
    <article class="card stack" data-session={props.session.id}>
      <h3>{formatDateTime(props.session.startsAt)} — {t(`words.sessionMode.${props.session.mode}`)} <bdi>{props.session.location}</bdi></h3>
      <A href={`/minutes/${props.session.id}`} data-testid={`minutes-link-${props.session.id}`}>{t('minutes.open')}</A>
      <form ref={form} class="stack" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <strong>{t('office.agenda')}</strong>
        <span class="muted">{t('office.tickToSchedule')}</span>
        <For each={candidates()}>
          {(c) => <label class="check"><input type="checkbox" name="dossier" value={c.id} checked={c.checked} data-reference={c.reference ?? ''} />{c.reference}</label>}
        </For>
        <div class="row">
          <button type="submit" data-testid="save-agenda">{t('office.saveAgenda')}</button>
          <Show when={!props.session.convocation}>
            <button type="button" class="secondary" data-testid="convene" disabled={!props.session.agenda.length} onClick={() => void convene(false)}>
              {t('office.convene')}
            </button>
          </Show>
        </div>
        <Show when={props.session.convocation}>
          {(c) => (
            <div class="stack" data-testid="convocation">
              <p class="ok" role="status" data-testid="convened">
                {t('office.convened', { at: formatDateTime(c().lastAt), n: String(c().recipients), delivered: String(c().delivered) })}
                {c().rounds > 1 ? ` ${t('office.conveneRounds', { rounds: String(c().rounds) })}` : ''}
              </p>
              <Show when={confirming()} fallback={
                <div class="row"><button type="button" class="secondary" data-testid="convene-again" onClick={() => setConfirming(true)}>{t('office.conveneAgain')}</button></div>
              }>
                <div class="row" data-testid="convene-again-confirm">
                  <span>{t('office.conveneAgainConfirm', { n: String(c().recipients) })}</span>
                  <button type="button" data-testid="convene-again-yes" onClick={() => void convene(true)}>{t('office.conveneAgainYes')}</button>
                  <button type="button" class="secondary" onClick={() => setConfirming(false)}>{t('office.cancel')}</button>
                </div>
              </Show>
            </div>
          )}
        </Show>
      </form>
    </article>
  );
}

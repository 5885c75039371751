import './minutes.css';
import { For, Show } from 'solid-js';
import type { MinutesAttendance, MinutesItem, MinutesView, NamedBallot, VoteRecord } from '../../protocol/minutes';
import type { QuorumRecord } from '../../protocol/voting';
import { formatTime } from '../../protocol/municipalTime';
import { locale, t } from '../i18n';
import { formatDateTime, localName } from '../lib/dossiers';
import { ChatAnnex } from './ChatAnnex';
import type { MinutesDraft } from './MinutesDraft';
import { FileName } from '../FileName';

/** Joins a list with the language's comma (or semicolon, `strong`). */
const joined = (parts: string[], strong = false) => parts.join(locale() === 'ar' ? (strong ? '؛ ' : '، ') : (strong ? '; ' : ', '));
const time = (iso: string) => formatTime(iso);

function Quorum(props: { q: QuorumRecord }) {
  return (
    <span>
      {t('words.minutes.quorum', { present: String(props.q.present), total: String(props.q.votingMembers), required: String(props.q.required) })}
      {' — '}
      <strong>{props.q.met ? t('words.minutes.quorumMet') : t('words.minutes.quorumNotMet')}</strong>
    </span>
  );
}

function Attendance(props: { attendance: MinutesAttendance[] }) {
  return (
    <ul class="minutes-attendance" data-testid="minutes-attendance">
      <For each={props.attendance}>
        {(a) => (
          <li data-user={a.userId} data-stretches={a.stretches.length}>
            <strong>{localName(a)}</strong> — {t(`words.seat.${a.seat}`)}
            <Show when={a.stretches.length} fallback={<span class="muted"> — {t('words.minutes.absent')}</span>}>
              {': '}
              <For each={a.stretches}>
                {(s, i) => (
                  <span class="stretch" data-mode={s.mode}>
                    {i() > 0 ? joined(['', '']) : ''}
                    <bdi>{time(s.joinedAt)}–{s.leftAt ? time(s.leftAt) : t('minutes.stillPresent')}</bdi> ({t(`words.attendance.${s.mode}`)})
                  </span>
                )}
              </For>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}

function Vote(props: { vote: VoteRecord; n: number }) {
  const v = () => props.vote;
  const ballot = (b: NamedBallot) => `${localName(b)}: ${t(`words.ballot.${b.choice}`)}`;
  const outcome = () => {
    const o = v().outcome;
    return o.valid ? `${t(`words.opinion.${o.opinion}`)} (${t(`words.decidedBy.${o.decidedBy}`)})` : t('words.quorumLost');
  };
  return (
    <div class="minutes-vote" data-testid="minutes-vote">
      <strong>{t('minutes.vote', { n: String(props.n) })}: <bdi>{v().question}</bdi></strong> <bdi class="muted">({time(v().openedAt)}–{time(v().closedAt)})</bdi>
      <div><Quorum q={v().quorumAtClose} /></div>
      <div>{t('words.minutes.ballots')}: {joined(v().ballots.map(ballot), true)}</div>
      <div>
        {t('words.minutes.tally')}: {joined((['favourable', 'favourable_with_conditions', 'unfavourable', 'deferred', 'abstain'] as const).map((c) => `${t(`words.ballot.${c}`)} ${v().tally[c]}`))}
      </div>
      <div data-testid="minutes-vote-outcome">{t('words.minutes.outcome')}: {outcome()}</div>
      <Show when={v().reasons}><div>{t('words.minutes.reasons')}: <bdi>{v().reasons}</bdi></div></Show>
    </div>
  );
}

function Item(props: { item: MinutesItem; editable: boolean; draft?: MinutesDraft }) {
  const item = () => props.item;
  return (
    <article class="card stack minutes-item" data-testid={`minutes-item-${item().position}`}>
      <h3>
        {t('minutes.item', { n: String(item().position) })} — <span class="ref">{item().dossierReference}</span> — {localName({ nameAr: item().dossierTypeAr, nameFr: item().dossierTypeFr })}
      </h3>
      <div>
        <strong>{t('words.minutes.documents')}</strong>
        <Show when={item().documents.length} fallback={<p class="muted">{t('minutes.noDocument')}</p>}>
          <ul>
            <For each={item().documents}>
              {(d) => <li>{localName(d)} — <FileName name={d.fileName} /> (v{d.version}) <code class="sha">{d.sha256}</code></li>}
            </For>
          </ul>
        </Show>
      </div>
      <Show when={item().recusals.length}>
        <div><strong>{t('words.minutes.recusals')}</strong>: {joined(item().recusals.map((r) => `${localName(r)}${r.reason ? ` — ${r.reason}` : ''}`), true)}</div>
      </Show>
      <Show when={item().hearings?.length}>
        <div data-testid="minutes-heard"><strong>{t('words.minutes.heard')}</strong>: {joined((item().hearings ?? []).map((h) => `${h.name} (${time(h.admittedAt)}–${h.leftAt ? time(h.leftAt) : '…'})`), true)}</div>
      </Show>
      <For each={item().votes}>{(v, i) => <Vote vote={v} n={i() + 1} />}</For>
      <Show when={item().markups?.length}>
        <div data-testid="minutes-markups">
          <strong>{t('words.minutes.markups')}</strong>
          <ul>
            <For each={item().markups}>
              {(m) => (
                <li data-testid={`minutes-markup-${m.number}`}>
                  #{m.number} {t(`words.markupKind.${m.kind}`)}
                  {m.measurement ? ` ${m.measurement.value.toFixed(2)} ${m.measurement.unit === 'm' ? 'm' : 'm²'}` : ''}
                  {' — '}<FileName name={m.fileName} /> {t('words.minutes.page')} {m.page} — <bdi>{locale() === 'ar' ? m.authorName.ar : m.authorName.fr}</bdi>
                  <Show when={m.cited}> <em>({t('words.minutes.cited')})</em></Show>
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
      <div data-testid="minutes-opinion"><strong>{t('words.minutes.opinion')}: {item().opinion ? t(`words.opinion.${item().opinion!}`) : t('words.minutes.noOpinion')}</strong></div>
      <Show when={item().conditions}><div>{t('words.minutes.conditions')}: <bdi>{item().conditions}</bdi></div></Show>
      <Show when={item().reasons}><div>{t('words.minutes.reasons')}: <bdi>{item().reasons}</bdi></div></Show>
      <Show when={props.editable && props.draft} fallback={<Show when={item().notes}><div class="pre">{t('minutes.notes')}: {item().notes}</div></Show>}>
        <label>
          {t('minutes.notes')}
          <textarea rows={3} maxLength={20_000} data-testid={`minutes-notes-${item().position}`}
            value={props.draft!.notes(item().position, item().notes)}
            onInput={(e) => props.draft!.type(item().position, e.currentTarget.value)} />
        </label>
      </Show>
    </article>
  );
}

/**
 * The minutes as the records fill them: session, attendance with times and modes, quorum,
 * each agenda item (documents shown with their sha256, recusals, votes with named ballots,
 * outcome, opinion, conditions, reasons), the secretary's text, editable through `draft`,
 * and the meeting chat as the annex.
 */
export function MinutesDocument(props: { view: MinutesView; draft?: MinutesDraft }) {
  const c = () => props.view.content;
  const editable = () => props.view.status === 'draft' && !!props.draft;
  return (
    <div class="minutes stack" data-testid="minutes" data-status={props.view.status}>
      <header>
        <strong>{localName(c().municipality)}</strong> — {localName(c().committee)}
        <div>{t('minutes.sessionOf', { date: formatDateTime(c().session.startsAt) })}</div>
      </header>
      <section>
        <h3>{t('words.minutes.attendance')}</h3>
        <Attendance attendance={c().attendance} />
        <p data-testid="minutes-quorum"><Quorum q={c().quorum} /></p>
      </section>
      <For each={c().items}>{(item) => <Item item={item} editable={editable()} draft={props.draft} />}</For>
      <section>
        <Show when={editable()} fallback={<Show when={c().remarks}><h3>{t('words.minutes.remarks')}</h3><p class="pre" dir="auto">{c().remarks}</p></Show>}>
          <label>
            <strong>{t('words.minutes.remarks')}</strong>
            <textarea rows={4} maxLength={20_000} data-testid="minutes-remarks"
              value={props.draft!.remarks(c().remarks)}
              onInput={(e) => props.draft!.type(null, e.currentTarget.value)} />
          </label>
        </Show>
      </section>
      <ChatAnnex chat={c().chat} draft={editable() ? props.draft : undefined} />
    </div>
  );
}

/** Where the secretary's text stands: saved, saving, offline (kept on this device), or refused. */
export function SaveState(props: { draft: MinutesDraft }) {
  return (
    <p class={`save-state save-${props.draft.state()}`} role="status" data-testid="minutes-save-state" data-state={props.draft.state()}>
      {props.draft.state() === 'refused' ? t('minutes.save.refused', { reason: props.draft.refusalMessage() }) : t(`minutes.save.${props.draft.state()}`)}
    </p>
  );
}

import './vote.css';
import { createEffect, createMemo, createSignal, For, on, Show, type JSX } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import { VOTING_SEAT_KINDS } from '../../protocol/enums';
import type { VoteTally } from '../../protocol/voting';
import { BALLOT_CHOICES, type BallotChoice, type ClosedVoteView, type OpenVoteView, type VotingSnapshot } from '../../protocol/voting';
import { CITATION_WORDS, type CitedMarkup } from '../../protocol/citations';
import { locale, t } from '../i18n';
import { ConditionText } from '../lib/ConditionText';
import { localName } from '../lib/dossiers';
import type { MeetingConnection } from './MeetingConnection';
import { markupsOf } from './markups/store';
import { RequestError } from './signalling';
import type { PaneFactory } from './pane';
import { presentationOf } from './presentation';

const EXPLAINED_ERRORS = ['quorum_not_met', 'vote_closed', 'recused', 'conflict', 'forbidden', 'invalid_transition', 'guest_present'];

/**
 * A vote's conditions with each cited markup a link: it brings the document pane forward
 * and, for the presenter, turns everyone's viewer to that markup's page.
 */
function VoteConditions(props: { connection: MeetingConnection; text: string; markups: CitedMarkup[]; show: (paneId: string) => void }) {
  const presentation = presentationOf(props.connection);
  const turnTo = (n: number) => {
    const m = props.markups.find((x) => x.number === n);
    const view = presentation.view;
    if (m && view && presentation.presenterId === props.connection.state.self?.userId) {
      void props.connection.request('present', { view: { ...view, versionId: m.documentVersionId, page: m.page } }).catch(() => undefined);
    }
    props.show('document');
  };
  return (
    <ConditionText text={props.text} cited={props.markups.map((m) => m.number)} link={(n, text) => (
      <button type="button" class="link" data-testid="vote-markup-link" data-number={n} onClick={() => turnTo(n)}>{text}</button>
    )} />
  );
}

/**
 * The session's votes as the server states them: reset from each join snapshot (so a
 * reconnect or a restarted server shows the open vote with who has voted), then kept by
 * the `recusal`, `voteOpened`, `voteProgress` and `voteClosed` events.
 */
function votingStore(c: MeetingConnection, onOpened: () => void) {
  const [state, set] = createStore<VotingSnapshot>({ recusals: [], open: [], closed: [], myBallots: {}, ballotChange: true });
  // Names of everyone seen in the room, kept after they leave (the named ballots of members who left).
  const [names, setNames] = createStore<Record<number, { nameAr: string; nameFr: string }>>({});
  createEffect(on(() => c.state.features, (features) => {
    if (features.voting) set(reconcile(features.voting));
  }));
  createEffect(() => {
    for (const p of c.state.participants) setNames(p.userId, { nameAr: p.nameAr, nameFr: p.nameFr });
  });
  const s = c.socket;
  s.on('recusal', (r) => set('recusals', (list) => (list.some((x) => x.agendaItemId === r.agendaItemId && x.userId === r.userId) ? list : [...list, r])));
  s.on('voteOpened', (v) => {
    set('open', (list) => [...list.filter((x) => x.id !== v.id), v]);
    onOpened();
  });
  s.on('voteProgress', ({ voteId, voted, tally }) => set('open', (v) => v.id === voteId, { voted, tally }));
  s.on('voteClosed', (v) => set(produce((st) => {
    st.open = st.open.filter((x) => x.id !== v.id);
    if (!st.closed.some((x) => x.id === v.id)) st.closed.push(v);
    delete st.myBallots[v.id];
  })));
  return { state, names, setBallot: (voteId: number, choice: BallotChoice) => set('myBallots', voteId, choice) };
}

function Tally(props: { tally: VoteTally }) {
  return (
    <ul class="tally" data-testid="vote-tally">
      <For each={BALLOT_CHOICES}>
        {(choice) => <li>{t(`words.ballot.${choice}`)} : <bdi>{props.tally[choice]}</bdi></li>}
      </For>
    </ul>
  );
}

/**
 * The vote in the meeting room. The chair opens a vote on the item under discussion and
 * closes it with the reasons; voting members present and not recused cast (and may change)
 * their ballot; everyone sees who has voted, the tally only when the rules show it, and
 * after close the same outcome with the named ballots. A member may declare a conflict of
 * interest on the item before its vote opens.
 */
function VotePanel(props: { connection: MeetingConnection; votes: ReturnType<typeof votingStore>; show: (paneId: string) => void }) {
  const c = props.connection;
  const presentation = presentationOf(c);
  const markups = markupsOf(c);
  const { state, names, setBallot } = props.votes;
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const self = () => c.state.self;
  const isChair = () => self()?.seat === 'chair';
  const item = createMemo(() => presentation.agenda.find((i) => i.id === presentation.currentItemId));
  const openVote = createMemo(() => state.open.find((v) => v.agendaItemId === presentation.currentItemId) ?? state.open[0]);
  const closedHere = createMemo(() => state.closed.filter((v) => item() === undefined || v.agendaItemId === item()!.id).slice().reverse());
  const recusedOn = (agendaItemId: number) => state.recusals.filter((r) => r.agendaItemId === agendaItemId);
  const recused = (agendaItemId: number) => recusedOn(agendaItemId).some((r) => r.userId === self()?.userId);
  const mayVote = (v: OpenVoteView) => !!self() && VOTING_SEAT_KINDS.includes(self()!.seat) && !recused(v.agendaItemId);
  /** A ballot cast where the rules forbid changing it: the other choices are closed. */
  const final = (voteId: number, choice: BallotChoice) => !state.ballotChange && !!state.myBallots[voteId] && state.myBallots[voteId] !== choice;
  const name = (userId: number) => {
    const n = names[userId];
    return n ? localName(n) : `#${userId}`;
  };
  /** The open item's markups still shown: what the chair's conditions may cite. */
  const citable = createMemo(() => markups.state.markups.filter((m) => !m.deletedAt && m.agendaItemId === item()?.id));
  const [cited, setCited] = createSignal<number[]>([]);
  createEffect(on(() => item()?.id, () => setCited([])));
  /** A chip toggles a markup in the citations, and writes "annotation N" into the conditions the first time. */
  const toggleCited = (n: number) => {
    const on = cited().includes(n);
    setCited(on ? cited().filter((x) => x !== n) : [...cited(), n].sort((a, b) => a - b));
    const word = `${CITATION_WORDS[locale()]} ${n}`;
    if (!on && !conditions.value.includes(word)) conditions.value = `${conditions.value}${conditions.value && !/\s$/.test(conditions.value) ? ' ' : ''}${word}`;
  };
  const referenceOf = (agendaItemId: number) => presentation.agenda.find((i) => i.id === agendaItemId)?.reference ?? '';

  let question!: HTMLTextAreaElement;
  let conditions!: HTMLTextAreaElement;
  let reasons!: HTMLTextAreaElement;
  let recusal!: HTMLInputElement;

  async function run(action: () => Promise<unknown>) {
    setError('');
    setBusy(true);
    try {
      await action();
    } catch (e) {
      const code = e instanceof RequestError ? e.code : '';
      setError(EXPLAINED_ERRORS.includes(code) ? `${t(`meeting.vote.errors.${code}` as 'meeting.vote.errors.conflict')} (${(e as Error).message})` : (e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const open = () => run(() => c.request('openVote', {
    agendaItemId: item()!.id, question: question.value, conditions: conditions.value,
    markups: cited().filter((n) => citable().some((m) => m.number === n)),
  }));
  const cast = (voteId: number, choice: BallotChoice) => run(async () => setBallot(voteId, (await c.request('castBallot', { voteId, choice })).choice));
  const close = (voteId: number) => run(async () => {
    await c.request('closeVote', { voteId, reasons: reasons.value });
    reasons.value = '';
  });
  const recuse = (agendaItemId: number) => run(() => c.request('recuse', { agendaItemId, reason: recusal.value }));

  return (
    <div class="vote stack" data-testid="vote-pane">
      <Show when={item()} fallback={<p class="muted">{t('meeting.vote.noItem')}</p>}>
        {(i) => (
          <>
            <h2>{t('meeting.vote.item')} <bdi class="reference">{i().reference}</bdi></h2>
            <Show when={recusedOn(i().id).length > 0}>
              <ul class="recusals" data-testid="recusals">
                <For each={recusedOn(i().id)}>{(r) => <li>{t('meeting.vote.recused', { name: name(r.userId) })} — {r.reason}</li>}</For>
              </ul>
            </Show>
            <Show when={!openVote() && i().dossierStatus === 'scheduled'}>
              <Show when={isChair()}>
                <form class="stack" onSubmit={(e) => { e.preventDefault(); void open(); }}>
                  <label>{t('meeting.vote.question')}
                    <textarea ref={question} rows={2} maxLength={1000} required dir="auto" data-testid="open-vote-question"
                      value={t('meeting.vote.defaultQuestion', { reference: i().reference })} />
                  </label>
                  <label>{t('meeting.vote.conditions')}
                    <textarea ref={conditions} rows={2} maxLength={4000} dir="auto" data-testid="open-vote-conditions" />
                  </label>
                  <Show when={citable().length > 0}>
                    <div class="row cite-markups" role="group" aria-label={t('meeting.vote.citeMarkups')}>
                      <For each={citable()}>
                        {(m) => (
                          <button type="button" class="secondary chip" aria-pressed={cited().includes(m.number)} data-testid={`cite-markup-${m.number}`}
                            onClick={() => toggleCited(m.number)}>{t('meeting.vote.citeMarkup', { n: String(m.number) })}</button>
                        )}
                      </For>
                    </div>
                  </Show>
                  <button type="submit" data-testid="open-vote" disabled={busy()}>{t('meeting.vote.open')}</button>
                </form>
              </Show>
              <Show when={self()?.seat !== 'secretary' && !recused(i().id)}>
                <form class="row" onSubmit={(e) => { e.preventDefault(); void recuse(i().id); }}>
                  <input ref={recusal} required maxLength={1000} placeholder={t('meeting.vote.recuseReason')} aria-label={t('meeting.vote.recuseReason')} data-testid="recuse-reason" />
                  <button type="submit" class="secondary" data-testid="recuse" disabled={busy()}>{t('meeting.vote.recuse')}</button>
                </form>
              </Show>
            </Show>
          </>
        )}
      </Show>

      <Show when={openVote()}>
        {(v) => (
          <section class="card stack" data-testid="open-vote-card" data-vote-id={v().id}>
            <p class="muted">{t('meeting.vote.openOn')} <bdi class="reference">{referenceOf(v().agendaItemId)}</bdi></p>
            <h3 data-testid="vote-question" dir="auto">{v().question}</h3>
            <Show when={v().conditions}>
              <p>{t('meeting.vote.conditions')} : <VoteConditions connection={c} text={v().conditions} markups={v().markups} show={props.show} /></p>
            </Show>
            <p class="muted">{t('meeting.vote.quorum', { present: String(v().quorumAtOpen.present), required: String(v().quorumAtOpen.required) })}</p>
            <Show when={mayVote(v())} fallback={<p class="muted" data-testid="no-ballot">{recused(v().agendaItemId) ? t('meeting.vote.youRecused') : t('meeting.vote.noVote')}</p>}>
              <div class="ballots row" role="group" aria-label={t('meeting.vote.yourBallot')}>
                <For each={BALLOT_CHOICES}>
                  {(choice) => (
                    <button type="button" class={`ballot ballot-${choice}`} data-testid={`ballot-${choice}`} disabled={busy() || final(v().id, choice)}
                      aria-pressed={state.myBallots[v().id] === choice} onClick={() => void cast(v().id, choice)}>
                      {t(`words.ballot.${choice}`)}
                    </button>
                  )}
                </For>
              </div>
              <Show when={!state.ballotChange && state.myBallots[v().id]}>
                <p class="muted" data-testid="ballot-final">{t('meeting.vote.final')}</p>
              </Show>
            </Show>
            <h4>{t('meeting.vote.voted', { n: String(v().voted.length) })}</h4>
            <ul class="voted" data-testid="voted">
              <For each={v().voted}>{(userId) => <li data-testid={`voted-${userId}`}>{name(userId)}</li>}</For>
            </ul>
            <Show when={v().tally} fallback={<p class="muted">{t('meeting.vote.tallyHidden')}</p>}>{(tally) => <Tally tally={tally()} />}</Show>
            <Show when={isChair()}>
              <label class="stack">{t('meeting.vote.reasons')}<textarea ref={reasons} rows={3} maxLength={4000} data-testid="close-vote-reasons" /></label>
              <button type="button" data-testid="close-vote" disabled={busy()} onClick={() => void close(v().id)}>{t('meeting.vote.close')}</button>
            </Show>
          </section>
        )}
      </Show>

      <Show when={error()}><p class="error" role="alert" data-testid="vote-error">{error()}</p></Show>

      <For each={closedHere()}>{(v) => <ClosedVote vote={v} name={name} reference={referenceOf(v.agendaItemId)} conditions={<VoteConditions connection={c} text={v.conditions} markups={v.markups} show={props.show} />} />}</For>
    </div>
  );
}

function ClosedVote(props: { vote: ClosedVoteView; name: (userId: number) => string; reference: string; conditions: JSX.Element }) {
  const v = () => props.vote;
  const outcome = () => v().outcome;
  return (
    <section class="card stack closed-vote" data-vote-id={v().id}>
      <p class="muted">{t('meeting.vote.closedOn')} <bdi class="reference">{props.reference}</bdi> — <bdi>{v().question}</bdi></p>
      <p class="outcome" data-testid="vote-outcome" data-opinion={outcome().valid ? (outcome() as { opinion: string }).opinion : 'none'}>
        <strong>
          {(() => {
            const o = outcome();
            return o.valid ? t(`words.opinion.${o.opinion}`) : t('words.quorumLost');
          })()}
        </strong>
        <Show when={outcome().valid}> — {t(`words.decidedBy.${(outcome() as { decidedBy: 'majority' }).decidedBy}`)}</Show>
      </p>
      <Show when={outcome().valid && (outcome() as { opinion: string }).opinion === 'favourable_with_conditions' && v().conditions}>
        <p data-testid="vote-conditions">{t('meeting.vote.conditions')} : {props.conditions}</p>
      </Show>
      <Show when={v().reasons}><p data-testid="vote-reasons">{t('meeting.vote.reasons')} : <bdi>{v().reasons}</bdi></p></Show>
      <p class="muted">{t('meeting.vote.quorum', { present: String(v().quorumAtClose.present), required: String(v().quorumAtClose.required) })}</p>
      <Tally tally={v().tally} />
      <ul class="named-ballots" data-testid="named-ballots">
        <For each={v().ballots}>{(b) => <li data-testid={`ballot-of-${b.userId}`}>{props.name(b.userId)} : {t(`words.ballot.${b.choice}`)}</li>}</For>
      </ul>
    </section>
  );
}

/** The vote pane; its state lives as long as the room, so it follows events even while another pane is shown. */
export const votePane: PaneFactory = (connection, show) => {
  const votes = votingStore(connection, () => show('vote'));
  return {
    id: 'vote',
    label: () => t('meeting.vote.pane'),
    render: () => <VotePanel connection={connection} votes={votes} show={show} />,
  };
};

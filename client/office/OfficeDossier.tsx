import { A, useParams } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { PermitOutcome } from '../../protocol/opinions';
import { locale, t } from '../i18n';
import { api } from '../lib/api';
import { deadlineText, formatDateTime, localName, statusLabel } from '../lib/dossiers';
import { DossierOpinions } from '../portal/DossierOpinions';
import { DossierHistory } from '../portal/DossierTimeline';
import { dossierPage } from '../portal/dossierPage';
import { hasAnyRole, me } from '../lib/session';
import { HearingInvitations } from './HearingInvitations';
import { FileName } from '../FileName';

/** The municipality's president: the chair of its committee, who signs its arrêtés. */
const isPresident = (municipalityId: number) => !!me()?.memberships.some((m) => m.role === 'chair' && m.municipalityId === municipalityId);

/**
 * The office's view of a dossier: completeness item by item, request documents, mark complete,
 * record the decision, timeline, messages; the president opens it to sign the arrêté.
 */
export function OfficeDossier() {
  const params = useParams();
  const { dossier, error, act, sendMessage } = dossierPage(() => Number(params.id));
  let message!: HTMLTextAreaElement;
  let items!: HTMLFieldSetElement;

  return (
    <Show when={dossier()}>
      {(d) => (
        <section class="stack">
          <A href="/office"><span class="arrow" aria-hidden="true">←</span> {t('portal.back')}</A>
          <h1>{d().reference} — {localName(d().type)}</h1>
          <p><span class={`status status-${d().status}`} data-testid="status">{statusLabel(d().status)}</span>{' '}
            <span class={d().deadline.overdue ? 'error' : 'muted'} data-testid="deadline">{deadlineText(d().deadline)}</span></p>
          <p><bdi>{locale() === 'ar' ? d().applicant?.nameAr : d().applicant?.nameFr}</bdi> — <bdi>{d().location.address}</bdi> — <bdi>{d().location.parcelRef}</bdi>
            {d().location.lat != null ? ` (${d().location.lat}, ${d().location.lng})` : ''} — <bdi>{d().coveredAreaM2} m²</bdi> — <bdi>{d().levels}</bdi>
            {d().nearProtectedSite ? ` — ${t('portal.nearProtectedSite')}` : ''}{d().localPlanInDrafting ? ` — ${t('portal.localPlanInDrafting')}` : ''}</p>

          <h2>{t('office.completeness')}</h2>
          <fieldset ref={items} class="stack" data-testid="completeness">
            <legend class="muted">{t('office.tickToRequest')}</legend>
            <For each={d().checklist}>
              {(item) => {
                const doc = () => d().documents.find((x) => x.itemCode === item.code);
                return (
                  <label class="check" data-item={item.code}>
                    <input type="checkbox" name="item" value={item.code} />
                    <span class={doc() ? 'ok' : item.required ? 'error' : 'muted'}>{doc() ? '✓' : '✗'}</span>
                    {localName(item)} {item.required ? '' : `(${t('portal.optional')})`}
                    <Show when={doc()}>
                      {(x) => <a href={api.documents.contentUrl(x().currentVersion.id)} download={x().currentVersion.fileName}><FileName name={x().currentVersion.fileName} /> · v{x().currentVersion.version} · {t('portal.pages', { n: String(x().currentVersion.pageCount) })} · {formatDateTime(x().currentVersion.createdAt)}</a>}
                    </Show>
                  </label>
                );
              }}
            </For>
          </fieldset>
          <Show when={['submitted', 'complete'].includes(d().status)}>
            <label class="stack">{t('office.requestMessage')}<textarea ref={message} rows={3} dir="auto" data-testid="request-message" /></label>
            <div class="row">
              <button class="secondary" data-testid="request-documents" onClick={() => act((id) => api.dossiers.requestDocuments(id, {
                message: message.value,
                items: [...items.querySelectorAll<HTMLInputElement>('input[name=item]:checked')].map((i) => i.value),
              }))}>{t('office.requestDocuments')}</button>
              <Show when={d().status === 'submitted'}>
                <button data-testid="mark-complete" onClick={() => act(api.dossiers.markComplete)}>{t('office.markComplete')}</button>
              </Show>
            </div>
          </Show>
          <Show when={d().opinions.length > 0 || d().decision}>
            <DossierOpinions dossierId={d().id} opinions={d().opinions} decision={d().decision} signArrete={isPresident(d().municipality.id)} />
          </Show>
          <Show when={['favourable', 'favourable_with_conditions', 'unfavourable'].includes(d().status) && !d().decision && hasAnyRole(['secretary'])}>
            <form class="card stack" data-testid="decision-form" onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              void act((id) => api.dossiers.recordDecision(id, {
                outcome: f.get('outcome') as PermitOutcome, arreteNumber: String(f.get('arreteNumber')), signedOn: String(f.get('signedOn')), notes: String(f.get('notes') ?? ''),
              }));
            }}>
              <h2>{t('office.recordDecision')}</h2>
              <label>{t('office.decisionOutcome')}
                <select name="outcome" data-testid="decision-outcome">
                  <option value="granted" selected={d().status !== 'unfavourable'}>{t('words.permit.granted')}</option>
                  <option value="refused" selected={d().status === 'unfavourable'}>{t('words.permit.refused')}</option>
                </select>
              </label>
              <label>{t('office.arreteNumber')}<input name="arreteNumber" required maxLength={64} dir="ltr" data-testid="decision-arrete" /></label>
              <label>{t('office.signedOn')}<input name="signedOn" type="date" required value={new Date().toISOString().slice(0, 10)} data-testid="decision-date" /></label>
              <label>{t('office.decisionNotes')}<textarea name="notes" rows={2} maxLength={4000} data-testid="decision-notes" /></label>
              <button type="submit" data-testid="record-decision">{t('office.recordDecision')}</button>
            </form>
          </Show>
          <For each={d().sessions}>{(entry) => <HearingInvitations dossierId={d().id} entry={entry} />}</For>
          <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
          <DossierHistory dossier={d()} onSend={sendMessage} />
        </section>
      )}
    </Show>
  );
}

import { For, Show } from 'solid-js';
import type { DecisionView, OpinionView } from '../../protocol/opinions';
import { t } from '../i18n';
import { formatDateTime, formatDay, isolated, localName } from '../lib/dossiers';
import { ArreteDocument } from './ArreteDocument';
import { CitedMarkups, OpinionConditions } from './CitedMarkups';
import { FileName } from '../FileName';

/**
 * The committee's opinions on a dossier (conditions with the marked-up pages they cite,
 * reasons, the documents it examined, by their sha256) and, as a separate record, the municipality's decision. Shown to the
 * applicant and the office alike; the president signs the arrêté here (`signArrete`).
 */
export function DossierOpinions(props: { dossierId: number; opinions: OpinionView[]; decision: DecisionView | null; signArrete?: boolean }) {
  return (
    <section class="stack" data-testid="opinions">
      <h2>{t('portal.opinion.title')}</h2>
      <Show when={props.opinions.length > 0} fallback={<p class="muted">{t('portal.opinion.none')}</p>}>
        <For each={props.opinions}>
          {(o) => (
            <article class="card stack" data-testid="opinion" data-opinion={o.opinion}>
              <strong>{t(`words.opinion.${o.opinion}`)}</strong>
              <span class="muted">{t('portal.opinion.given', { date: formatDateTime(o.givenAt) })}</span>
              <Show when={o.conditions}><p data-testid="opinion-conditions"><strong>{t('portal.opinion.conditions')}</strong> : <OpinionConditions opinion={o} /></p></Show>
              <CitedMarkups opinion={o} />
              <Show when={o.reasons}><p data-testid="opinion-reasons"><strong>{t('portal.opinion.reasons')}</strong> : <bdi>{o.reasons}</bdi></p></Show>
              <Show when={o.documents.length > 0}>
                <details>
                  <summary>{t('portal.opinion.documents')} ({o.documents.length})</summary>
                  <ul>
                    <For each={o.documents}>
                      {(d) => <li>{localName(d)} — <FileName name={d.fileName} /> v{d.version} — <code dir="ltr">{d.sha256}</code></li>}
                    </For>
                  </ul>
                </details>
              </Show>
            </article>
          )}
        </For>
      </Show>
      <h2>{t('portal.decision.title')}</h2>
      <Show when={props.decision} fallback={<p class="muted">{t('portal.decision.none')}</p>}>
        {(d) => (
          <article class="card stack" data-testid="decision" data-outcome={d().outcome}>
            <strong>{t(`words.permit.${d().outcome}`)}</strong>
            <span>{t('portal.decision.arrete', { number: isolated(d().arreteNumber), date: formatDay(d().signedOn) })}</span>
            <Show when={d().notes}><p dir="auto">{d().notes}</p></Show>
            <ArreteDocument dossierId={props.dossierId} signable={props.signArrete} />
          </article>
        )}
      </Show>
    </section>
  );
}

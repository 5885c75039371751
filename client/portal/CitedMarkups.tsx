import { For, Show } from 'solid-js';
import { citedPages, type CitedMarkup } from '../../protocol/citations';
import { formatMeasurement } from '../../protocol/markupGeometry';
import type { OpinionView } from '../../protocol/opinions';
import { locale, t } from '../i18n';
import { localName } from '../lib/dossiers';
import { ConditionText } from '../lib/ConditionText';

const pageAnchor = (o: OpinionView, m: Pick<CitedMarkup, 'documentVersionId' | 'page'>) => `opinion-${o.id}-page-${m.documentVersionId}-${m.page}`;

/** Brings the marked-up page of markup `n` into view (and focus, for a keyboard or screen reader). */
function showMarkup(o: OpinionView, n: number) {
  const m = o.markups.find((x) => x.number === n);
  const figure = m && document.getElementById(pageAnchor(o, m));
  figure?.scrollIntoView({ block: 'start' });
  figure?.focus({ preventScroll: true });
}

/** The opinion's conditions, each cited markup a link to its marked-up page. */
export function OpinionConditions(props: { opinion: OpinionView }) {
  const o = () => props.opinion;
  return (
    <ConditionText text={o().conditions} cited={o().markups.map((m) => m.number)} link={(n, text) => (
      <a href={`#${pageAnchor(o(), o().markups.find((m) => m.number === n)!)}`} data-testid="condition-markup-link" data-number={n}
        onClick={(e) => { e.preventDefault(); showMarkup(o(), n); }}>{text}</a>
    )} />
  );
}

/**
 * The markups an opinion's conditions cite, as they were drawn (number, kind, page,
 * measurement, author), and each page they are on rendered with them by the server
 * (GET /api/opinions/:id/pages/:versionId/:page).
 */
export function CitedMarkups(props: { opinion: OpinionView }) {
  const o = () => props.opinion;
  const documentOf = (versionId: number) => o().documents.find((d) => d.documentVersionId === versionId);
  return (
    <Show when={o().markups.length > 0}>
      <section class="stack cited-markups" data-testid="cited-markups">
        <strong>{t('portal.opinion.markups')}</strong>
        <ul>
          <For each={o().markups}>
            {(m) => (
              <li data-testid="cited-markup" data-number={m.number}>
                {t('portal.opinion.markupLine', { n: String(m.number), kind: t(`portal.opinion.kinds.${m.kind}`), page: String(m.page), author: localName({ nameAr: m.authorName.ar, nameFr: m.authorName.fr }) })}
                <Show when={m.measurement}>{(v) => <> — <bdi>{formatMeasurement(v(), locale())}</bdi></>}</Show>
                <Show when={m.text}>{(text) => <> — <bdi>{text()}</bdi></>}</Show>
              </li>
            )}
          </For>
        </ul>
        <For each={citedPages(o().markups)}>
          {(p) => {
            const d = documentOf(p.documentVersionId);
            const caption = t('portal.opinion.page', {
              page: String(p.page), file: d ? localName(d) : '', version: String(d?.version ?? ''),
              numbers: p.numbers.map((n) => String(n)).join(', '),
            });
            return (
              <figure class="marked-page" id={pageAnchor(o(), p)} tabindex="-1" data-testid="marked-page">
                <img src={`/api/opinions/${o().id}/pages/${p.documentVersionId}/${p.page}`} alt={caption} loading="lazy" data-testid="marked-page-image" />
                <figcaption class="muted">{caption} — <code dir="ltr">{p.documentSha256.slice(0, 16)}…</code></figcaption>
              </figure>
            );
          }}
        </For>
      </section>
    </Show>
  );
}

import sharp from 'sharp';
import { AgendaItem, DocumentVersion, Vote } from '../../db/models';
import { citedPages } from '../../protocol/citations';
import type { DocumentStore } from './documentStore';
import type { MarkupRenderer } from './markupRender';
import type { MarkedPageImage } from './minutesPdf';

/** An agenda item's closed votes, in the order they were held. */
export const closedVotesOf = (agendaItemId: number): Promise<Vote[]> =>
  Vote.findAll({ where: { agendaItemId, status: 'closed' }, order: [['openedAt', 'ASC'], ['id', 'ASC']] });

/**
 * The vote that gives an item's opinion (its last valid one), and that vote again as
 * `conditioned` when the opinion carries conditions: then its conditions and frozen
 * markups are the ones the minutes cite.
 */
export function opinionVote(votes: readonly Vote[]): { lastValid?: Vote; conditioned?: Vote } {
  const lastValid = [...votes].reverse().find((v) => v.outcome?.valid);
  const outcome = lastValid?.outcome;
  return { lastValid, conditioned: outcome?.valid && outcome.opinion === 'favourable_with_conditions' ? lastValid : undefined };
}

/**
 * The marked-up pages the minutes print: per agenda item, the pages its opinion's conditions
 * cite (the frozen markups of its `opinionVote`, as `assemble` lists them), rendered with those
 * markups drawn. Rendered before the layout, so the PDFs are laid out from bytes in hand.
 */
export async function minutesPageImages(sessionId: number, store: DocumentStore, renderer: MarkupRenderer): Promise<MarkedPageImage[]> {
  const images: MarkedPageImage[] = [];
  for (const item of await AgendaItem.findAll({ where: { sessionId }, order: [['position', 'ASC']] })) {
    const { conditioned } = opinionVote(await closedVotesOf(item.id));
    if (!conditioned) continue;
    for (const page of citedPages(conditioned.citedMarkups)) {
      const version = await DocumentVersion.findByPk(page.documentVersionId);
      if (!version || version.sha256 !== page.documentSha256) continue;
      const drawn = conditioned.citedMarkups.filter((m) => m.documentVersionId === page.documentVersionId && m.page === page.page);
      const { png } = await renderer.render(store.absolute(version.storagePath), version.sha256, page.page, drawn);
      const { width = 1, height = 1 } = await sharp(png).metadata();
      images.push({ position: item.position, documentSha256: page.documentSha256, page: page.page, numbers: page.numbers, png, width, height });
    }
  }
  return images;
}

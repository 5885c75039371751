import sharp from 'sharp';
import { AgendaItem, DocumentVersion, Vote } from '../../db/models';
import { citedPages } from '../../protocol/citations';
import type { DocumentStore } from './documentStore';
import type { MarkupRenderer } from './markupRender';
import type { MarkedPageImage } from './minutesPdf';

/**
 * The marked-up pages the minutes print: per agenda item, the pages its opinion's conditions
 * cite (the last valid vote's frozen markups, as `assemble` lists them), rendered with those
 * markups drawn. Rendered before the layout, so the PDFs are laid out from bytes in hand.
 */
export async function minutesPageImages(sessionId: number, store: DocumentStore, renderer: MarkupRenderer): Promise<MarkedPageImage[]> {
  const images: MarkedPageImage[] = [];
  for (const item of await AgendaItem.findAll({ where: { sessionId }, order: [['position', 'ASC']] })) {
    const votes = await Vote.findAll({ where: { agendaItemId: item.id, status: 'closed' }, order: [['openedAt', 'ASC'], ['id', 'ASC']] });
    const last = [...votes].reverse().find((v) => v.outcome?.valid);
    if (!last?.outcome?.valid || last.outcome.opinion !== 'favourable_with_conditions') continue;
    for (const page of citedPages(last.citedMarkups)) {
      const version = await DocumentVersion.findByPk(page.documentVersionId);
      if (!version || version.sha256 !== page.documentSha256) continue;
      const drawn = last.citedMarkups.filter((m) => m.documentVersionId === page.documentVersionId && m.page === page.page);
      const { png } = await renderer.render(store.absolute(version.storagePath), version.sha256, page.page, drawn);
      const { width = 1, height = 1 } = await sharp(png).metadata();
      images.push({ position: item.position, documentSha256: page.documentSha256, page: page.page, numbers: page.numbers, png, width, height });
    }
  }
  return images;
}

import { Router } from 'express';
import { z } from 'zod';
import { CommitteeOpinion } from '../../db/models';
import { IdParam } from '../../protocol/ids';
import { notFound } from '../errors';
import { documentVersionFor } from '../services/dossierAccess';
import type { DocumentStore } from '../services/documentStore';
import type { MarkupRenderer } from '../services/markupRender';
import { parse } from '../validation';
import { requireLogin } from './middleware';

const PageParams = z.object({ opinionId: IdParam, versionId: IdParam, page: IdParam });

/**
 * /api/opinions/:opinionId/pages/:versionId/:page: the page of that document version with
 * the markups the opinion's conditions cite drawn on it (PNG), for whoever may read the
 * document (the applicant, the office, the committee's members): 404 to anyone else, and
 * for a page the opinion cites nothing on. The image never changes (the markups are the
 * opinion's frozen copy), so it is cached privately and revalidated by its key.
 */
export function opinionPagesRouter(store: DocumentStore, renderer: MarkupRenderer): Router {
  const router = Router();
  router.use(requireLogin);

  router.get('/:opinionId/pages/:versionId/:page', async (req, res) => {
    const { opinionId, versionId, page } = parse(PageParams, req.params);
    const { version, dossier } = await documentVersionFor(req.principal, versionId);
    const opinion = await CommitteeOpinion.findByPk(opinionId);
    const cited = opinion?.dossierId === dossier.id ? opinion.markups.filter((m) => m.documentVersionId === versionId && m.page === page && m.documentSha256 === version.sha256) : [];
    if (!cited.length) throw notFound('marked-up page');
    const etag = `"${renderer.key(version.sha256, page, cited)}"`;
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.setHeader('ETag', etag);
    if (req.get('if-none-match') === etag) return void res.status(304).end();
    const { png } = await renderer.render(store.absolute(version.storagePath), version.sha256, page, cited);
    res.status(200).type('image/png').send(png);
  });

  return router;
}

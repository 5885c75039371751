import { Router } from 'express';
import { z } from 'zod';
import { Municipality } from '../../db/models';
import { IdParam } from '../../protocol/ids';
import { notFound } from '../errors';
import { committeeOf, municipalityList } from '../services/municipalities';
import { parse } from '../validation';
import { requireRole } from './middleware';

const IdParams = z.object({ id: IdParam });

/** /api/municipalities: the public list, and a committee's composition for its own staff and members. */
export function municipalitiesRouter(): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json(await municipalityList());
  });

  router.get(
    '/:id/committee',
    requireRole(['secretary', 'chair', 'member'], async (req) => {
      const { id } = parse(IdParams, req.params);
      if (!(await Municipality.findByPk(id))) throw notFound('municipality');
      return id;
    }),
    async (req, res) => {
      res.json(await committeeOf(parse(IdParams, req.params).id));
    },
  );
  return router;
}

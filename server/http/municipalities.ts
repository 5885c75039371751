import { Router } from 'express';
import { z } from 'zod';
import { Committee, CommitteeSeat, Municipality, User } from '../../db/models';
import { notFound } from '../errors';
import { parse } from '../validation';
import { requireRole } from './middleware';

const IdParams = z.object({ id: z.coerce.number().int().positive() });

/** /api/municipalities: the public list, and a committee's composition for its own staff and members. */
export function municipalitiesRouter(): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const all = await Municipality.findAll({ order: [['nameFr', 'ASC']] });
    res.json(all.map((m) => m.toJSON()));
  });

  router.get(
    '/:id/committee',
    requireRole(['secretary', 'chair', 'member'], async (req) => {
      const { id } = parse(IdParams, req.params);
      if (!(await Municipality.findByPk(id))) throw notFound('municipality');
      return id;
    }),
    async (req, res) => {
      const { id } = parse(IdParams, req.params);
      const committee = await Committee.findOne({
        where: { municipalityId: id },
        include: [{ model: CommitteeSeat, include: [{ model: User, attributes: ['id', 'nameAr', 'nameFr', 'email'] }] }],
      });
      if (!committee) throw notFound('committee');
      res.json(committee.toJSON());
    },
  );
  return router;
}

import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * Conditions that cite markups: the vote keeps a frozen copy of the markups its conditions
 * cite (taken when it opens), and the opinion keeps that copy (JSON, as the shown documents).
 */
export const citedMarkups: Migration = {
  name: '1510-cited-markups',
  async up({ context: q }) {
    await q.addColumn('votes', 'citedMarkups', { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' });
    await q.addColumn('committee_opinions', 'markups', { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' });
  },
  async down({ context: q }) {
    await q.removeColumn('committee_opinions', 'markups');
    await q.removeColumn('votes', 'citedMarkups');
  },
};

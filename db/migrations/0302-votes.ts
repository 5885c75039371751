import { DataTypes } from 'sequelize';
import type { Migration } from './index';

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
const ref = (model: string) => ({ type: DataTypes.INTEGER, allowNull: false, references: { model, key: 'id' } });

export const votes: Migration = {
  name: '0302-votes',
  async up({ context: q }) {
    await q.createTable('recusals', {
      id, agendaItemId: ref('agenda_items'), userId: ref('users'),
      reason: { type: DataTypes.TEXT, allowNull: false },
      at: { type: DataTypes.DATE, allowNull: false },
    });
    await q.addIndex('recusals', ['agendaItemId', 'userId'], { unique: true });
    await q.createTable('votes', {
      id, agendaItemId: ref('agenda_items'), openedById: ref('users'),
      question: { type: DataTypes.TEXT, allowNull: false },
      conditions: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      status: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'open' },
      openedAt: { type: DataTypes.DATE, allowNull: false },
      quorumAtOpen: { type: DataTypes.TEXT, allowNull: false },
      closedAt: { type: DataTypes.DATE, allowNull: true },
      quorumAtClose: { type: DataTypes.TEXT, allowNull: true },
      tally: { type: DataTypes.TEXT, allowNull: true },
      outcome: { type: DataTypes.TEXT, allowNull: true },
    });
    // At most one open vote per agenda item.
    await q.addIndex('votes', ['agendaItemId'], { unique: true, where: { status: 'open' }, name: 'votes_one_open_per_item' });
    await q.createTable('ballots', {
      id, voteId: ref('votes'), userId: ref('users'),
      choice: { type: DataTypes.STRING(32), allowNull: false },
      castAt: { type: DataTypes.DATE, allowNull: false },
    });
    // One ballot per member per vote, whatever the application does.
    await q.addIndex('ballots', ['voteId', 'userId'], { unique: true });
  },
  async down({ context: q }) {
    await q.dropTable('ballots');
    await q.dropTable('votes');
    await q.dropTable('recusals');
  },
};

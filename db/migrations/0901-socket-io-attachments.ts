import type { Migration } from './index';

/**
 * The table @socket.io/postgres-adapter keeps the messages between app nodes in that do not
 * fit a NOTIFY (over 8000 bytes, or binary); it deletes them itself after a while. PostgreSQL
 * only: on SQLite there is one node and no adapter.
 */
export const socketIoAttachments: Migration = {
  name: '0901-socket-io-attachments',
  async up({ context: q }) {
    if (q.sequelize.getDialect() !== 'postgres') return;
    await q.sequelize.query('CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)');
  },
  async down({ context: q }) {
    if (q.sequelize.getDialect() !== 'postgres') return;
    await q.sequelize.query('DROP TABLE IF EXISTS socket_io_attachments');
  },
};

import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/** Who a signing key is locked for: its holder's password, or (imported by an admin, until its holder's next signature) the server's signing passphrase. */
export const signingKeyLock: Migration = {
  name: '1350-signing-key-lock',
  async up({ context: q }) {
    await q.addColumn('signing_certificates', 'lockedBy', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'password' });
  },
  async down({ context: q }) {
    await q.removeColumn('signing_certificates', 'lockedBy');
  },
};

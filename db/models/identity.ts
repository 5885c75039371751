import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { foreignKey, idColumn } from './columns';
import type { CommitteeRules, CommitteeSeatKind, Role } from '../../protocol/enums';

/** A municipality (commune): the unit of access control. */
export class Municipality extends Model<InferAttributes<Municipality>, InferCreationAttributes<Municipality>> {
  declare id: CreationOptional<number>;
  /** Short code used in dossier references, e.g. ADR-2026-0001. */
  declare code: string;
  declare nameAr: string;
  declare nameFr: string;
  declare governorateAr: string;
  declare governorateFr: string;
  /** SMS this municipality may send per calendar month (Tunis time); null: no limit. */
  declare smsMonthlyQuota: CreationOptional<number | null>;
}

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare email: string;
  declare passwordHash: string;
  declare nameAr: string;
  declare nameFr: string;
  /** Mobile number in E.164 (+216 and 8 digits), given by the person. */
  declare smsNumber: CreationOptional<string | null>;
  /** Notices also by SMS (to smsNumber). */
  declare smsOptIn: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
}

/** A role a user holds in one municipality. */
export class Membership extends Model<InferAttributes<Membership>, InferCreationAttributes<Membership>> {
  declare id: CreationOptional<number>;
  declare userId: ForeignKey<number>;
  declare municipalityId: ForeignKey<number>;
  declare role: Role;
}

/** A municipality's permit committee, with its voting rules. */
export class Committee extends Model<InferAttributes<Committee>, InferCreationAttributes<Committee>> {
  declare id: CreationOptional<number>;
  declare municipalityId: ForeignKey<number>;
  declare nameAr: string;
  declare nameFr: string;
  declare rules: CommitteeRules;
}

/** A seat on a committee: who sits, and whether they vote. */
export class CommitteeSeat extends Model<InferAttributes<CommitteeSeat>, InferCreationAttributes<CommitteeSeat>> {
  declare id: CreationOptional<number>;
  declare committeeId: ForeignKey<number>;
  declare userId: ForeignKey<number>;
  declare kind: CommitteeSeatKind;
  /** Title shown in the minutes, e.g. "civil protection delegate". */
  declare titleAr: string;
  declare titleFr: string;
  declare vetoHolder: CreationOptional<boolean>;
}

/** A logged-in browser; the cookie holds a random token, the table only its sha256. */
export class LoginSession extends Model<InferAttributes<LoginSession>, InferCreationAttributes<LoginSession>> {
  declare id: string;
  declare userId: ForeignKey<number>;
  declare expiresAt: Date;
  declare createdAt: CreationOptional<Date>;
}

export function initIdentity(sequelize: Sequelize): void {
  Municipality.init(
    {
      id: idColumn(),
      code: { type: DataTypes.STRING(8), allowNull: false, unique: true },
      nameAr: { type: DataTypes.STRING, allowNull: false },
      nameFr: { type: DataTypes.STRING, allowNull: false },
      governorateAr: { type: DataTypes.STRING, allowNull: false },
      governorateFr: { type: DataTypes.STRING, allowNull: false },
      smsMonthlyQuota: { type: DataTypes.INTEGER, allowNull: true },
    },
    { sequelize, tableName: 'municipalities', timestamps: false },
  );
  User.init(
    {
      id: idColumn(),
      email: { type: DataTypes.STRING, allowNull: false, unique: true },
      passwordHash: { type: DataTypes.STRING, allowNull: false },
      nameAr: { type: DataTypes.STRING, allowNull: false },
      nameFr: { type: DataTypes.STRING, allowNull: false },
      smsNumber: { type: DataTypes.STRING(16), allowNull: true },
      smsOptIn: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'users', updatedAt: false },
  );
  Membership.init(
    { id: idColumn(), role: { type: DataTypes.STRING(16), allowNull: false } },
    { sequelize, tableName: 'memberships', timestamps: false },
  );
  Committee.init(
    {
      id: idColumn(),
      nameAr: { type: DataTypes.STRING, allowNull: false },
      nameFr: { type: DataTypes.STRING, allowNull: false },
      rules: { type: DataTypes.JSON, allowNull: false },
    },
    { sequelize, tableName: 'committees', timestamps: false },
  );
  CommitteeSeat.init(
    {
      id: idColumn(),
      kind: { type: DataTypes.STRING(16), allowNull: false },
      titleAr: { type: DataTypes.STRING, allowNull: false, defaultValue: '' },
      titleFr: { type: DataTypes.STRING, allowNull: false, defaultValue: '' },
      vetoHolder: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    },
    { sequelize, tableName: 'committee_seats', timestamps: false },
  );
  LoginSession.init(
    {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'login_sessions', updatedAt: false },
  );

  Municipality.hasMany(Membership, foreignKey('municipalityId'));
  Membership.belongsTo(Municipality, foreignKey('municipalityId'));
  User.hasMany(Membership, foreignKey('userId'));
  Membership.belongsTo(User, foreignKey('userId'));
  Municipality.hasMany(Committee, foreignKey('municipalityId'));
  Committee.belongsTo(Municipality, foreignKey('municipalityId'));
  Committee.hasMany(CommitteeSeat, foreignKey('committeeId'));
  CommitteeSeat.belongsTo(Committee, foreignKey('committeeId'));
  User.hasMany(CommitteeSeat, foreignKey('userId'));
  CommitteeSeat.belongsTo(User, foreignKey('userId'));
  User.hasMany(LoginSession, foreignKey('userId'));
  LoginSession.belongsTo(User, foreignKey('userId'));
}

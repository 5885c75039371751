import { DataTypes, type Model } from 'sequelize';

/** A column holding JSON as TEXT (SQLite has no JSON type; PostgreSQL reads the same). */
export function jsonColumn(field: string, allowNull = true) {
  return {
    type: DataTypes.TEXT,
    allowNull,
    get(this: Model) {
      const raw = this.getDataValue(field) as string | null;
      return raw === null ? null : JSON.parse(raw);
    },
    set(this: Model, value: unknown) {
      this.setDataValue(field, value === null ? null : JSON.stringify(value));
    },
  };
}

/**
 * The integer primary key every table of ours has: a fresh definition per model, since
 * Sequelize writes the model into the definition it is given (Model, fieldName, field).
 */
export const idColumn = () => ({ type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true });

/** The options of an association on a required (or optional) foreign key column. */
export const foreignKey = (name: string, allowNull = false) => ({ foreignKey: { name, allowNull } });

/**
 * How long a building permit holds (CATU: three years from the arrêté) and by when its one
 * extension must be asked for (at least one month before it expires). Calendar days as
 * yyyy-mm-dd, as the arrêté writes them; a day the month lacks (29 February, 31st) falls back
 * to the month's last day. Pure.
 */

export const PERMIT_YEARS = 3;

function shift(day: string, years: number, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + years * 12 + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface PermitValidity {
  /** The last day the permit holds. */
  validUntil: string;
  /** The last day its extension may be requested. */
  extensionRequestBy: string;
}

export function permitValidity(signedOn: string): PermitValidity {
  const validUntil = shift(signedOn, PERMIT_YEARS, 0);
  return { validUntil, extensionRequestBy: shift(validUntil, 0, -1) };
}

/** The dossier reference: `{municipality code}-{year}-{sequence}`, the sequence on 4 digits at least. */
export function formatReference(code: string, year: number, sequence: number): string {
  return `${code}-${year}-${String(sequence).padStart(4, '0')}`;
}

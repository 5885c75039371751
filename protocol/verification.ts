import type { MinutesVerification } from './minutes';
import type { ArreteVerification } from './signing';

/** What /api/verify answers about a PDF or a sha256: minutes, an arrêté, or nothing Lajna issued. */
export type DocumentVerification = MinutesVerification | ArreteVerification;

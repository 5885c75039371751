import { User } from '../../db/models';
import type { Principal } from '../domain/access';
import { LoginThrottle } from '../domain/loginThrottle';
import { AppError } from '../errors';
import type { PasswordHasher } from '../services/PasswordHasher';

export interface ReauthenticationRules {
  maxFailures: number;
  windowMs: number;
  maxDelayMs: number;
}

/**
 * Signing is a deliberate act: the signer types their password again at that moment. A
 * wrong one is 401 `reauth_failed`; failures are limited like logins (domain/loginThrottle,
 * per account and per address: after `maxFailures`, each attempt waits, 5 s doubling up to
 * `maxDelayMs`, → 429 `too_many_attempts`), so a session left open cannot be used to guess.
 */
export class Reauthentication {
  readonly #throttle: LoginThrottle;

  constructor(private readonly hasher: PasswordHasher, rules: ReauthenticationRules) {
    this.#throttle = new LoginThrottle({
      maxFailures: rules.maxFailures, windowMs: rules.windowMs, firstDelayMs: Math.min(5_000, rules.maxDelayMs), maxDelayMs: rules.maxDelayMs,
      // Only people already logged in get here: the server-wide cap and known addresses are the login's business.
      globalFailuresPerMinute: Number.MAX_SAFE_INTEGER, knownForMs: 0, maxKnown: 0,
    });
  }

  /** Resolves when `password` is the principal's; refuses otherwise. */
  async check(principal: Principal, password: string, address: string): Promise<void> {
    const verdict = this.#throttle.begin(`user:${principal.userId}`, address, Date.now());
    if (!verdict.allowed) {
      const seconds = Math.ceil(verdict.retryAfterMs / 1000);
      throw new AppError(429, 'too_many_attempts', `too many wrong passwords; try again in ${seconds} s`, { retryAfterSeconds: seconds, limit: verdict.limit }, { 'Retry-After': String(seconds) });
    }
    let outcome: 'failure' | 'success' | 'none' = 'none';
    try {
      const user = await User.findByPk(principal.userId);
      if (!user || !(await this.hasher.verify(password, user.passwordHash))) {
        outcome = 'failure';
        throw new AppError(401, 'reauth_failed', 'the password is wrong: nothing was signed');
      }
      outcome = 'success';
    } finally {
      this.#throttle.end(verdict.attempt, outcome, Date.now());
    }
  }
}

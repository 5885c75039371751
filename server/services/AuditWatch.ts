import type { ChainVerdict } from '../domain/auditChain';
import type { Logger } from '../log';
import { verifyAuditLog } from './audit';

export interface AuditStatus {
  verdict: ChainVerdict;
  checkedAt: string;
}

/**
 * Verifies the audit log (chain and authentication codes) at start and every `everyMs`
 * (an hour): a break is logged at error level with the first bad entry's sequence number,
 * and the last verdict is what admins read (GET /api/audit).
 */
export class AuditWatch {
  #timer: NodeJS.Timeout | undefined;
  #status: AuditStatus | undefined;

  private constructor(private readonly log: Logger) {}

  static async create(o: { log: Logger; everyMs?: number }): Promise<AuditWatch> {
    const watch = new AuditWatch(o.log);
    await watch.check();
    watch.#timer = setInterval(() => void watch.check().catch((error: Error) => o.log.error({ error: error.message }, 'audit log check failed')), o.everyMs ?? 3_600_000);
    watch.#timer.unref();
    return watch;
  }

  get status(): AuditStatus {
    return this.#status!;
  }

  async check(): Promise<AuditStatus> {
    const verdict = await verifyAuditLog();
    this.#status = { verdict, checkedAt: new Date().toISOString() };
    if (!verdict.ok) this.log.error({ seq: verdict.seq, problem: verdict.problem }, `audit log broken from entry ${verdict.seq} (${verdict.problem}): an entry was changed, removed, or written without the key`);
    return this.#status;
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

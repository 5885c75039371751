import type { OutboxMessage } from '../../db/models';
import type { Config } from '../config';

/** The gateway refused or did not answer in time: the outbox retries the message later. */
const TIMEOUT_MS = 15_000;

/**
 * SMS_SENDER=http: POSTs `{ to, text }` as JSON to SMS_HTTP_URL with `Authorization: Bearer
 * SMS_HTTP_TOKEN`; any 2xx is accepted. One adapter; another provider is another function here.
 */
export function smsSender(sms: NonNullable<Config['sms']>): (message: OutboxMessage) => Promise<void> {
  return async (message) => {
    const res = await fetch(sms.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(sms.token ? { Authorization: `Bearer ${sms.token}` } : {}) },
      body: JSON.stringify({ to: message.toAddress, text: message.text, ...(sms.senderId ? { from: sms.senderId } : {}) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
  };
}

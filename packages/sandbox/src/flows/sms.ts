/**
 * @module
 * The SMS gateway of the sandbox: nothing leaves the machine. Messages go to the `sms_outbox`
 * table, readable through `GET /__sandbox/outbox/sms?phone=`. Phones in answers are masked with
 * {@link maskPhone}.
 */

import { randomId } from '../secrets.ts';
import type { Queryable } from '../store/db.ts';

export interface SmsMessage {
  phone: string;
  body: string;
  /** The one-time code the message carries, if any (for the outbox; never logged). */
  code?: string;
  /** What the message is for: `registration`, `login_device`, `password_reset`, … */
  purpose: string;
}

export async function sendSms(q: Queryable, message: SmsMessage, now: Date): Promise<string> {
  const id = randomId();
  await q.query(
    'INSERT INTO sms_outbox (id, phone, body, code, purpose, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, message.phone, message.body, message.code ?? null, message.purpose, now],
  );
  return id;
}

/** `0351234535` → `035****535`, as the VNeID screens show it. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 6) + phone.slice(-3);
}

/** `001099012345` → `001******345`. */
export function maskPersonalId(id: string): string {
  if (id.length < 7) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 6) + id.slice(-3);
}

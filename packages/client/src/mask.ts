/**
 * @module
 * Masking of the 12-digit personal ID (số định danh cá nhân) in everything the client prints:
 * `001099012123` becomes `001******123` in messages, logs and the string forms of objects
 * that hold one. The phone is masked the way VNeID shows it (`035****535`).
 */

const ID_RUN = /(?<![0-9])([0-9]{3})[0-9]{6}([0-9]{3})(?![0-9])/g;

/** `001099012123` → `001******123`; anything that is not 12 digits is masked entirely. */
export function maskPersonalId(personalId: string): string {
  if (/^[0-9]{12}$/.test(personalId)) return `${personalId.slice(0, 3)}******${personalId.slice(9)}`;
  return '************';
}

/** Masks every run of exactly 12 digits inside a text (messages, log lines). */
export function maskText(text: string): string {
  return text.replace(ID_RUN, '$1******$2');
}

/** `0351234535` → `035****535`. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 6)}${phone.slice(-3)}`;
}

/** Deep copy of a JSON-like value with every 12-digit run in strings masked. */
export function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, depth + 1);
  return out;
}

/** The symbol Node's `util.inspect` calls (no `node:util` import needed). */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * Gives an answer that holds a personal ID (a session, an account) string forms that mask it:
 * `toJSON` (bearer tokens redacted too), `toString` and Node's `util.inspect`. The data itself
 * is unchanged and the added members are not enumerable.
 */
export function withMaskedForms<T extends object>(value: T, label: string): T {
  const safe = () => {
    const copy = maskValue(value) as Record<string, unknown>;
    for (const k of ['accessToken', 'refreshToken', 'idToken'])
      if (typeof copy[k] === 'string') copy[k] = '[redacted]';
    return copy;
  };
  Object.defineProperties(value, {
    toJSON: { enumerable: false, configurable: true, value: safe },
    toString: { enumerable: false, configurable: true, value: () => `${label}(${JSON.stringify(safe())})` },
    [INSPECT]: {
      enumerable: false,
      configurable: true,
      value: () => `${label} ${JSON.stringify(safe(), null, 2)}`,
    },
  });
  return value;
}

/**
 * @module
 * The service's policies, published in the discovery metadata (`vneid_policies`) and at
 * `GET /v1/policies` so that clients never hard-code them. Defaults follow the VNeID guides
 * (IDENTITY-NOTES §2) where they say something and NIST SP 800-63B / Keycloak where they do not.
 */

export type PasswordRule = 'vneid' | 'nist-800-63b';

export interface Policy {
  password: { rule: PasswordRule; minLength: number; maxLength: number; specialCharacters: string };
  otp: {
    length: number;
    ttlSeconds: number;
    maxAttempts: number;
    resendCooldownSeconds: number;
    /** Per account (or registration) and per phone, in `sendWindowSeconds`. */
    maxSendsPerWindow: number;
    sendWindowSeconds: number;
  };
  login: {
    /** Consecutive failures per account before a temporary lockout. */
    maxFailures: number;
    lockoutSeconds: number;
    /** Login attempts per personal ID and per phone in `throttleWindowSeconds`. */
    maxAttemptsPerWindow: number;
    /**
     * Login attempts per client address in `throttleWindowSeconds`: higher, because a bank
     * branch, an office or a mobile carrier's NAT puts many citizens behind one address; the
     * per-ID and per-phone limits are what stop guessing one account's password.
     */
    maxAttemptsPerAddressPerWindow: number;
    throttleWindowSeconds: number;
    sessionTtlSeconds: number;
  };
  passcode: { length: number; maxAttempts: number };
  registration: { appAccountTtlSeconds: number };
  shareRequest: { maxTtlSeconds: number };
}

export function defaultPolicy(rule: PasswordRule = 'vneid'): Policy {
  return {
    password:
      rule === 'vneid'
        ? { rule, minLength: 8, maxLength: 20, specialCharacters: '!@#$%^*()' }
        : { rule, minLength: 15, maxLength: 64, specialCharacters: '' },
    otp: {
      length: 6,
      ttlSeconds: 180,
      maxAttempts: 5,
      resendCooldownSeconds: 60,
      maxSendsPerWindow: 5,
      sendWindowSeconds: 3600,
    },
    login: {
      maxFailures: 5,
      lockoutSeconds: 900,
      maxAttemptsPerWindow: 30,
      maxAttemptsPerAddressPerWindow: 300,
      throttleWindowSeconds: 3600,
      sessionTtlSeconds: 12 * 3600,
    },
    passcode: { length: 6, maxAttempts: 5 },
    registration: { appAccountTtlSeconds: 3 * 24 * 3600 },
    shareRequest: { maxTtlSeconds: 300 },
  };
}

/**
 * @module
 * Storage for the OTP challenge life cycle: the {@link OtpStore} contract (get, atomic
 * compare-and-set with versions, delete, per-entry TTL) and an in-memory implementation.
 */

export type { MemoryStore, MemoryStoreOptions } from './memory-store.ts';
export { createMemoryStore } from './memory-store.ts';
export type { OtpStore, OtpStoreEntry } from './otp-store.ts';

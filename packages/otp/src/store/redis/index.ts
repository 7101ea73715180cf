/**
 * @module
 * `@vneid/otp/store/redis`: the {@link OtpStore} on Redis (Lua scripts for atomic
 * compare-and-set), for a node-redis client (`redis` ≥ 5, an optional peer dependency).
 */
export type { RedisEvalClient, RedisOtpStoreOptions } from './redis-store.ts';
export { createRedisOtpStore } from './redis-store.ts';

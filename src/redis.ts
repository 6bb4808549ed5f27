/**
 * `hotpath/redis`: limits and budgets that hold across processes, kept in Redis through
 * `ioredis` (an optional peer, imported by this entry only).
 */
export { createRedisLimits, type RedisLimits, type RedisLimitsOptions } from './redis/redis-limits';

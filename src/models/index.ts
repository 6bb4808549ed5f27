import { catalog, findProfile } from './catalog';
import { createEmulatedPool } from './emulated-pool';
import { fromEnv } from './from-env';
import { createModelPool, defineModel } from './pool';

export {
  catalog,
  catalogAliases,
  claudeHaiku45,
  deepseekV4Flash,
  findProfile,
  gpt5Mini,
  mercury2,
} from './catalog';
export { addUsage, computeCost, emptyUsage, type TokenUsage } from './cost';
export { createEmulatedPool, type EmulatedPool, type EmulatedPoolOptions } from './emulated-pool';
export { type FromEnvOptions, fromEnv, providerKeys } from './from-env';
export {
  createModelPool,
  defineModel,
  type ModelPool,
  type PoolModel,
  validateProfile,
} from './pool';
export type {
  ModelArchitecture,
  ModelCapabilities,
  ModelPricing,
  ModelProfile,
} from './profile';

/**
 * Model pools and profiles in one place: `models.fromEnv()`, `models.emulated()`,
 * `models.pool([...])`, `models.define(model, profile)`, `models.catalog`.
 */
export const models = {
  fromEnv,
  emulated: createEmulatedPool,
  pool: createModelPool,
  define: defineModel,
  catalog,
  find: findProfile,
};

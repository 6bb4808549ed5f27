import { catalog, findProfile } from './catalog';
import { createEmulatedPool } from './emulated-pool';
import { fromEnv } from './from-env';
import { createModelPool, defineModel } from './pool';
import { withOverrides } from './profile-overrides';
import { createDeepSeekModel, createInceptionModel, createOpenAIModel } from './providers';

export {
  type CatalogModelId,
  catalog,
  catalogAliases,
  claudeHaiku45,
  deepseekFlash,
  deepseekV4Flash,
  deepseekV4Pro,
  findProfile,
  gpt5Mini,
  mercury2,
} from './catalog';
export { addUsage, computeCost, emptyUsage, type TokenUsage } from './cost';
export { createEmulatedPool, type EmulatedPool, type EmulatedPoolOptions } from './emulated-pool';
export { type FromEnvOptions, fromEnv, providerKeys } from './from-env';
export { mergeProfile, type ProfileOverride } from './merge-profile';
export {
  createModelPool,
  defineModel,
  type EndpointOptions,
  type ModelPool,
  type PoolModel,
} from './pool';
export { type PricesAt, pricesAt } from './price-windows';
export type {
  ModelArchitecture,
  ModelCapabilities,
  ModelPricing,
  ModelProfile,
  PriceWindow,
} from './profile';
export { type ProfileOverrides, withOverrides } from './profile-overrides';
export * from './providers';
export { validateProfile } from './validate-profile';

/**
 * Model pools and profiles in one place: `models.fromEnv()`, `models.emulated()`,
 * `models.pool([...])`, `models.define(model, profile)`, `models.withOverrides(pool, overrides)`,
 * `models.catalog`, `models.find(id)` (a catalog profile by id or alias), and the provider
 * presets `models.inception()`, `models.deepseek()`, `models.openai()`.
 */
export const models = {
  fromEnv,
  emulated: createEmulatedPool,
  pool: createModelPool,
  define: defineModel,
  withOverrides,
  catalog,
  find: findProfile,
  inception: createInceptionModel,
  deepseek: createDeepSeekModel,
  openai: createOpenAIModel,
};

import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { PoolModel } from './pool';

// Models known to be the emulator without being the in-process one: the catalog over a running
// `hotpath emulate` (`HOTPATH_EMULATOR_URL`), which is a real OpenAI provider on the wire.
const emulated = new WeakSet<LanguageModelV4>();

/** Marks a model as served by the emulator (whose tool-call arguments are invented). */
export function markEmulated(entry: PoolModel): PoolModel {
  emulated.add(entry.model);
  return entry;
}

/** Whether a pool model is the emulator, in process or over HTTP. */
export function isEmulatedModel(entry: PoolModel): boolean {
  return entry.model.provider === 'hotpath.emulator' || emulated.has(entry.model);
}

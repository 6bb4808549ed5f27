// The in-process emulator: runs anywhere the core runs (the HTTP server is in `hotpath/node`).
export { createEmulatedModel, type EmulatedModelOptions } from './emulated-model';
export type {
  EmulatorFault,
  EmulatorFaultKind,
  EmulatorFaultRule,
  EmulatorFaults,
} from './faults';
export type { EmulatorModelStats, EmulatorRequestLogEntry, EmulatorStats } from './stats';
export type { EmulatedTruth, ModelTruth } from './truth';

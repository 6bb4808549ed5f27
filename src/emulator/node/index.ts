export { parseFaultSpec } from '../fault-spec';
export type {
  EmulatorFault,
  EmulatorFaultKind,
  EmulatorFaultRule,
  EmulatorFaults,
} from '../faults';
export type { EmulatorModelStats, EmulatorStats } from '../stats';
export type { EmulatorRequest } from './request-log';
export { type Emulator, type EmulatorOptions, startEmulator } from './start-emulator';

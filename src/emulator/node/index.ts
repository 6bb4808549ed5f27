export { parseFaultSpec } from '../fault-spec';
export type {
  EmulatorFault,
  EmulatorFaultKind,
  EmulatorFaultRule,
  EmulatorFaults,
} from '../faults';
export type { EmulatorModelStats, EmulatorRequestLogEntry, EmulatorStats } from '../stats';
export { type Emulator, type EmulatorOptions, startEmulator } from './start-emulator';

// hotpath/node: the Node-only parts (the HTTP emulator, file exporters), kept out of the core so
// that the core runs in edge runtimes. Named one by one; `test/public-api.test.ts` pins the list.
export {
  type Emulator,
  type EmulatorFault,
  type EmulatorFaultKind,
  type EmulatorFaultRule,
  type EmulatorFaults,
  type EmulatorModelStats,
  type EmulatorOptions,
  type EmulatorRequestLogEntry,
  type EmulatorStats,
  startEmulator,
} from './emulator/node';
export {
  createFileEstimateStore,
  type FileEstimateStore,
  type FileEstimateStoreOptions,
} from './scheduler/node/file-estimate-store';
export { createFileRunStore, type FileRunStoreOptions } from './stores/node';
export type { LoggedRun, ParsedTraceLog } from './tracing/log/parse-log';
export {
  type JsonlExporter,
  type JsonlExporterOptions,
  jsonlExporter,
  readTraceLog,
} from './tracing/node';

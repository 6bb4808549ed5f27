// hotpath/node: the Node-only parts (the HTTP emulator, file exporters), kept out of the core so
// that the core runs in edge runtimes.
export * from './emulator/node';
export * from './tracing/node';

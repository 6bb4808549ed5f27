export * from './chain';
export * from './clock';
export * from './emulator';
export * from './errors';
export * from './models';
export * from './runtime';
export * from './scheduler';
export * from './tracing';

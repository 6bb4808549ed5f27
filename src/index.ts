export * from './chain';
export * from './clock';
export * from './errors';
export * from './models';
export * from './runtime';
export * from './scheduler';
export * from './tracing';

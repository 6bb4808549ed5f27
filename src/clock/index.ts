export { type Clock, createSystemClock, systemClock } from './clock';
export { createVirtualClock } from './virtual-clock';

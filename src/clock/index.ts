export { type Clock, clockEpochMs, createSystemClock, systemClock } from './clock';
export { createVirtualClock, type VirtualClockOptions } from './virtual-clock';

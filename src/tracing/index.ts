export { buildTrace, type TraceInput } from './build-trace';
export { createEventHub, type EventHub, type EventSource } from './event-hub';
export type {
  ChainStartEvent,
  HotpathEventName,
  HotpathEvents,
  HotpathListener,
  PlanEvent,
  ReplanEvent,
  RetryReason,
  StepErrorEvent,
  StepFallbackEvent,
  StepFirstTokenEvent,
  StepHedgeEvent,
  StepRetryEvent,
  StepStartEvent,
} from './events';
export {
  type ConsoleExporterOptions,
  consoleExporter,
  type TraceExporter,
} from './exporters/console';
export type { TerminalStream } from './exporters/terminal';
export { formatWaterfall, type WaterfallOptions } from './format/waterfall';
export { formatTrace } from './format-trace';
export { attachHooks, type TraceHooks } from './hooks';
export type {
  BaselineCost,
  ModelTotals,
  RunTrace,
  StepRecord,
  TraceWarning,
} from './records';
export { defaultReferenceModel } from './totals/baselines';

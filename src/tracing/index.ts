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
export { hotpathEventNames } from './events';
export {
  type ConsoleExporterOptions,
  consoleExporter,
  type TraceExporter,
} from './exporters/console';
export type { TerminalStream } from './exporters/terminal';
export { formatWaterfall, type WaterfallOptions } from './format/waterfall';
export { attachHooks, type TraceHooks } from './hooks';
export { type HtmlReportOptions, renderHtmlReport } from './html/render-html';
export {
  aggregateRuns,
  type ChainAggregate,
  loggedRunOf,
  type ModelAggregate,
  type Percentiles,
  percentile,
  type StepAggregate,
} from './log/aggregate';
export { formatAggregate } from './log/format-aggregate';
export { createRedactor } from './log/json-writer';
export { createLogLineFormatter, type TraceLogLine, traceLogVersion } from './log/log-line';
export {
  type LoggedRun,
  mergeTraceLogs,
  type ParsedTraceLog,
  parseTraceLog,
} from './log/parse-log';
export {
  type LogInclude,
  type RedactOptions,
  secretsFromEnv,
} from './log/redact';
export type {
  BaselineCost,
  DurableTotals,
  ModelTotals,
  RecordSource,
  RunFailure,
  RunTrace,
  StepRecord,
  TraceWarning,
  UnfinishedRunTrace,
} from './records';
export { defaultReferenceModel } from './totals/baselines';

import type { EventSource } from './event-hub';
import type { HotpathEventName, HotpathListener } from './events';

/** Event listeners passed as options: `onStepEnd` listens to `step:end`, and so on. */
export interface TraceHooks {
  /** A run started (its input and chain). */
  onChainStart?: HotpathListener<'chain:start'>;
  /** The plan a run follows, before its first step. */
  onPlan?: HotpathListener<'plan'>;
  /** A step (or map item) started on its model. */
  onStepStart?: HotpathListener<'step:start'>;
  /** A step's first output token arrived. */
  onStepFirstToken?: HotpathListener<'step:first-token'>;
  /** A step (or map item) ended: its record, with tokens, cost and timing. */
  onStepEnd?: HotpathListener<'step:end'>;
  /** A call failed and is tried again. */
  onStepRetry?: HotpathListener<'step:retry'>;
  /** A step moved to another model after its own failed. */
  onStepFallback?: HotpathListener<'step:fallback'>;
  /** A slow call was raced against a second model, and how the race ended. */
  onStepHedge?: HotpathListener<'step:hedge'>;
  /** A step failed for good. */
  onStepError?: HotpathListener<'step:error'>;
  /** The steps not yet started were planned again while the run went on. */
  onReplan?: HotpathListener<'replan'>;
  /** A run ended: its trace. */
  onChainEnd?: HotpathListener<'chain:end'>;
}

const hookEvents: { readonly [K in keyof Required<TraceHooks>]: HotpathEventName } = {
  onChainStart: 'chain:start',
  onPlan: 'plan',
  onStepStart: 'step:start',
  onStepFirstToken: 'step:first-token',
  onStepEnd: 'step:end',
  onStepRetry: 'step:retry',
  onStepFallback: 'step:fallback',
  onStepHedge: 'step:hedge',
  onStepError: 'step:error',
  onReplan: 'replan',
  onChainEnd: 'chain:end',
};

/** The names of every hook option (`onStepEnd`, ...). */
export const traceHookNames: readonly string[] = Object.keys(hookEvents);

/** Subscribes every hook given in `hooks` to its event. */
export function attachHooks(events: EventSource, hooks: TraceHooks): void {
  for (const [hook, event] of Object.entries(hookEvents)) {
    const listener = hooks[hook as keyof TraceHooks];
    if (typeof listener === 'function') events.on(event, listener as HotpathListener<typeof event>);
  }
}

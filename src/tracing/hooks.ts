import type { EventSource } from './event-hub';
import type { HotpathEventName, HotpathListener } from './events';

/** Event listeners passed as options: `onStepEnd` listens to `step:end`, and so on. */
export interface TraceHooks {
  onChainStart?: HotpathListener<'chain:start'>;
  onPlan?: HotpathListener<'plan'>;
  onStepStart?: HotpathListener<'step:start'>;
  onStepFirstToken?: HotpathListener<'step:first-token'>;
  onStepEnd?: HotpathListener<'step:end'>;
  onStepRetry?: HotpathListener<'step:retry'>;
  onStepFallback?: HotpathListener<'step:fallback'>;
  onStepHedge?: HotpathListener<'step:hedge'>;
  onStepError?: HotpathListener<'step:error'>;
  onReplan?: HotpathListener<'replan'>;
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

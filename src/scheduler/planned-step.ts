import type { Lane, StepKind } from '../chain';
import type { PlannedStep, StepPrediction, StepState } from './plan';

/** Works out the reason of the step at a position of the plan, on first read. */
export type ReasonOf = (position: number) => string;

/** The fields of a {@link PlannedStep} but its reason. */
export interface PlannedFields {
  readonly stepId: string;
  readonly kind: StepKind;
  readonly model: string | undefined;
  readonly endpoint: string | undefined;
  readonly lane: Lane | undefined;
  readonly items: number | undefined;
  readonly predicted: StepPrediction;
  readonly slackMs: number;
  readonly critical: boolean;
  readonly state: StepState;
}

/**
 * A planned step whose `reason` is a field when it was cheap to give at once, else an own
 * enumerable getter worked out on first read: JSON, spreads and equality see a field either
 * way. Every step of every plan shares one getter function, so V8 keeps the objects in fast
 * mode; a getter made per object (an object literal's `get`) turns each step into a dictionary,
 * several times slower to make and to read.
 */
class LazyPlannedStep {
  declare readonly stepId: string;
  declare readonly kind: StepKind;
  declare readonly model: string | undefined;
  declare readonly endpoint?: string;
  declare readonly lane: Lane | undefined;
  declare readonly items: number | undefined;
  declare readonly predicted: StepPrediction;
  declare readonly slackMs: number;
  declare readonly critical: boolean;
  declare readonly reason: string;
  declare readonly state: StepState;
  readonly #reasonOf: ReasonOf;
  readonly #position: number;

  static readonly #reason: PropertyDescriptor = {
    get(this: LazyPlannedStep) {
      return this.#reasonOf(this.#position);
    },
    enumerable: true,
    configurable: true,
  };

  constructor(
    fields: PlannedFields,
    reason: string | undefined,
    position: number,
    reasonOf: ReasonOf,
  ) {
    this.#reasonOf = reasonOf;
    this.#position = position;
    // The fields in the order plans have always listed them (JSON keeps it); `endpoint` only
    // when there is one.
    const self = this as { -readonly [K in keyof PlannedStep]: PlannedStep[K] };
    self.stepId = fields.stepId;
    self.kind = fields.kind;
    self.model = fields.model;
    if (fields.endpoint !== undefined) self.endpoint = fields.endpoint;
    self.lane = fields.lane;
    self.items = fields.items;
    self.predicted = fields.predicted;
    self.slackMs = fields.slackMs;
    self.critical = fields.critical;
    if (reason === undefined) Object.defineProperty(this, 'reason', LazyPlannedStep.#reason);
    else self.reason = reason;
    self.state = fields.state;
  }
}

/**
 * A {@link PlannedStep} with `reason`, or when that is undefined, the reason `reasonOf(position)`
 * gives on first read.
 */
export function createPlannedStep(
  fields: PlannedFields,
  reason: string | undefined,
  position: number,
  reasonOf: ReasonOf,
): PlannedStep {
  return new LazyPlannedStep(fields, reason, position, reasonOf);
}

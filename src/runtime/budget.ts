import { BudgetExceededError } from '../errors';
import type { BudgetHold, SharedBudget } from './shared-limits';

/** A reserved amount, settled with what the call really cost. */
export interface Reservation {
  settle(actualUsd: number): void;
}

/**
 * A run's hard spending limit: every call reserves its worst-case cost before it starts, and a
 * call whose reservation would cross the limit does not start. Without a limit it only counts.
 */
export class Budget {
  spentUsd = 0;
  reservedUsd = 0;

  constructor(
    readonly maxCostUsd: number | undefined,
    /** The same limit shared with other processes (a run's `budgetKey`). */
    private readonly shared?: SharedBudget,
  ) {}

  /**
   * Reserves `worstCaseUsd` under the budget shared with other processes, when the run shares
   * one, or throws a `BudgetExceededError` with what every process spent and reserved.
   */
  async reserveShared(
    worstCaseUsd: number,
    where: { chain: string; stepId: string; model: string },
    signal?: AbortSignal,
  ): Promise<BudgetHold | undefined> {
    if (this.shared === undefined || this.maxCostUsd === undefined) return undefined;
    const hold = await this.shared.reserve(worstCaseUsd, signal);
    if (hold !== undefined) return hold;
    const { spentUsd, reservedUsd } = await this.shared.read();
    throw new BudgetExceededError({
      ...where,
      maxCostUsd: this.maxCostUsd,
      spentUsd,
      reservedUsd,
      requiredUsd: worstCaseUsd,
    });
  }

  /** Whether `worstCaseUsd` more still fits (without reserving it). */
  fits(worstCaseUsd: number): boolean {
    return (
      this.maxCostUsd === undefined ||
      this.spentUsd + this.reservedUsd + worstCaseUsd <= this.maxCostUsd + 1e-12
    );
  }

  /** Reserves `worstCaseUsd` or throws a `BudgetExceededError` naming the step and model. */
  reserve(
    worstCaseUsd: number,
    where: { chain: string; stepId: string; model: string },
  ): Reservation {
    if (!this.fits(worstCaseUsd)) {
      throw new BudgetExceededError({
        ...where,
        maxCostUsd: this.maxCostUsd!,
        spentUsd: this.spentUsd,
        reservedUsd: this.reservedUsd,
        requiredUsd: worstCaseUsd,
      });
    }
    this.reservedUsd += worstCaseUsd;
    let settled = false;
    return {
      settle: (actualUsd) => {
        if (settled) return;
        settled = true;
        this.reservedUsd -= worstCaseUsd;
        this.spentUsd += actualUsd;
      },
    };
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleExporter, createRuntime, type Runtime, type TraceExporter } from 'hotpath';
import { jsonlExporter } from 'hotpath/node';
import type { createZeroModel } from './zero-model';

/** A runtime configuration whose cost over plain calls the overhead table reports. */
export interface Variant {
  readonly id: string;
  readonly label: string;
  readonly runtime: Runtime;
  /** Resolves once the exporters wrote what they were given (counted in the run's time). */
  readonly flush: () => Promise<void>;
}

/** A deadline no run comes near: it turns on re-planning without changing any model. */
const farDeadline = { deadlineMs: 3_600_000 };

/**
 * The runtimes the overhead is measured for, on the zero-latency pool: the defaults; tracing
 * (a console exporter writing to a no-op sink and a JSONL log in a temp folder) with a deadline
 * objective, re-planning `auto`; and the same with `replan: 'always'`.
 */
export function createVariants(pool: ReturnType<typeof createZeroModel>['pool']) {
  const folder = mkdtempSync(join(tmpdir(), 'hotpath-bench-'));
  const traced = (name: string): TraceExporter[] => [
    consoleExporter({ write: () => {}, live: false }),
    jsonlExporter({ path: join(folder, `${name}.jsonl`), onError: () => {} }),
  ];
  const make = (id: string, label: string, exporters: TraceExporter[], options = {}): Variant => ({
    id,
    label,
    // The zero model's clock never waits, so a timer of any length fires at once: no timeouts,
    // as in the store bench (default first-token timeouts came after this bench was written).
    runtime: createRuntime({ models: pool, exporters, timeouts: false, ...options }),
    flush: async () => {
      await Promise.all(exporters.map((exporter) => exporter.flush?.()));
    },
  });
  const variants: Variant[] = [
    make('default', 'defaults (no exporters, balanced)', []),
    make('traced', 'tracing + deadline, re-plan auto', traced('auto'), { objective: farDeadline }),
    make('always', 'tracing + deadline, re-plan always', traced('always'), {
      objective: farDeadline,
      replan: 'always',
    }),
  ];
  return { variants, cleanUp: () => rmSync(folder, { recursive: true, force: true }) };
}

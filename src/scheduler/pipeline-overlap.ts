import { pipelineProducer } from '../chain';
import type { Problem } from './problem';
import type { Timing } from './timing';

/**
 * The forward pass again, with pipelined maps overlapping their producers: the producer's
 * items come evenly between its first token and its end (item k is complete once item k + 1
 * begins), and item k starts when it is complete, the map's other needs are done, and item
 * k - concurrency has ended. Returns the makespan. The solvers choose models with the map
 * waiting for its producer, a bound the overlap only improves on; this pass gives the plan the
 * times it will show.
 */
export function overlapPipelines(problem: Problem, choice: Int32Array, timing: Timing): number {
  const { infos, needs, options, fixedStart, releaseMs, index } = problem;
  const { start, end } = timing;
  const steps = infos.map((info) => info.step);
  let makespan = 0;
  for (let i = 0; i < options.length; i++) {
    const { step, estimate } = infos[i]!;
    const option = options[i]![choice[i]!]!;
    const producer =
      step.pipeline && Number.isNaN(fixedStart[i]!)
        ? index.get(pipelineProducer(steps, step.needs)?.id ?? '')
        : undefined;
    let begin = fixedStart[i]!;
    if (Number.isNaN(begin)) {
      begin = releaseMs;
      for (const need of needs[i]!) if (need !== producer && end[need]! > begin) begin = end[need]!;
    }
    if (producer === undefined) {
      start[i] = begin;
      end[i] = begin + option.durationMs;
    } else {
      const made = options[producer]![choice[producer]!]!;
      const first = start[producer]! + (made.firstTokenMs ?? 0);
      const last = end[producer]!;
      const count = Math.max(1, estimate.items);
      const concurrency = step.concurrency ?? 1;
      const itemMs = option.itemMs ?? option.durationMs;
      const ends: number[] = [];
      for (let k = 0; k < count; k++) {
        const complete = k === count - 1 ? last : first + ((k + 1) / count) * (last - first);
        const slot = k >= concurrency ? ends[k - concurrency]! : 0;
        ends.push(Math.max(begin, complete, slot) + itemMs);
      }
      start[i] = ends[0]! - itemMs;
      end[i] = ends[count - 1]!;
    }
    if (end[i]! > makespan) makespan = end[i]!;
  }
  timing.durationMs = makespan;
  return makespan;
}

/**
 * The shapes every framework in the peer benchmark runs, described once so each framework builds
 * the same graph: K model calls with the same prompts and the same dependencies.
 */
export interface PeerShape {
  readonly id: 'seq10' | 'seq1000' | 'fanout100' | 'diamond' | 'map10k';
  readonly label: string;
  readonly kind: 'sequential' | 'fanout' | 'diamond';
  /** Model calls per run. */
  readonly calls: number;
  /** Calls at once (fan-outs only). */
  readonly concurrency: number;
}

export const peerShapes: readonly PeerShape[] = [
  { id: 'seq10', label: 'seq10', kind: 'sequential', calls: 10, concurrency: 1 },
  { id: 'seq1000', label: 'seq1000', kind: 'sequential', calls: 1000, concurrency: 1 },
  { id: 'fanout100', label: 'fanout100 (c=16)', kind: 'fanout', calls: 100, concurrency: 16 },
  { id: 'diamond', label: 'diamond', kind: 'diamond', calls: 10, concurrency: 1 },
];

/** The 10,000-item map, run once per child process for its time and peak RSS. */
export const mapShape: PeerShape = {
  id: 'map10k',
  label: '10,000-item map (c=16)',
  kind: 'fanout',
  calls: 10_000,
  concurrency: 16,
};

/** The diamond: a plan, 4 branches of 2 steps, a join (10 calls). */
export const diamondBranches = 4;

export const stepPrompt = (index: number) => `Step ${index}: one line on overhead.`;
export const itemPrompt = (item: number) => `Item ${item}: one line.`;
export const branchPrompt = (branch: number, part: 'a' | 'b') => `Task ${branch}${part}: one line.`;
export const planPrompt = 'Plan 4 tasks on overhead.';
export const joinPrompt = 'Join the 4 tasks.';

/** Runs `count` tasks, `concurrency` at once, in order of index; resolves to their results. */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

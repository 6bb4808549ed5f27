import { chain, llm } from 'hotpath';
import { z } from 'zod';

// The chain both terminals load: the coordinator runs it, the workers run its map's items.
export const summaries = chain('summaries', { input: z.object({ count: z.number() }) }).map(
  'summaries',
  ({ input }) => Array.from({ length: input.count }, (_, index) => `document ${index}`),
  llm({ prompt: (document: string) => `Summarise in one line: ${document}`, maxOutputTokens: 40 }),
  { concurrency: 64, onItemError: 'collect' },
);

import { chain, consoleExporter, createRuntime, llm, models } from 'hotpath';
import { z } from 'zod';

// Structured extraction over a batch of documents: every document is an item of a map, a
// fan-out whose items run side by side, so the batch goes to the cheap lane (pinned here).
const invoice = z.object({
  vendor: z.string(),
  total: z.number().min(0),
  currency: z.enum(['EUR', 'USD', 'GBP']),
  lines: z.array(z.object({ item: z.string(), amount: z.number() })).max(5),
});

export const extraction = chain('extraction', {
  input: z.object({ documents: z.array(z.string()).min(1) }),
})
  .map(
    'invoices',
    ({ input }) => input.documents,
    llm({
      system: 'Extract the invoice fields. Answer with JSON only.',
      prompt: (document: string) => document,
      output: invoice,
      lane: 'cheap',
    }),
    { concurrency: 16, expect: { items: 20 }, onItemError: 'collect' },
  )
  .returns(({ invoices }) => {
    const ok = invoices.flatMap((result) => (result.ok ? [result.value] : []));
    return { extracted: ok.length, failed: invoices.length - ok.length, invoices: ok };
  });

export const sampleDocuments = Array.from(
  { length: 20 },
  (_, index) =>
    `Invoice #${1000 + index} from Vendor ${index % 4}: ${index + 1} items, total ${(index + 1) * 42.5} EUR`,
);

/** Extracts the sample batch and prints the totals (`npx tsx examples/extraction.ts`). */
export async function main(runtime = createRuntime({ models: models.fromEnv() })) {
  console.log(runtime.plan(extraction, { documents: sampleDocuments }).explain());
  const off = consoleExporter().attach(runtime);
  const { output } = await runtime.run(extraction, { documents: sampleDocuments });
  off();
  console.log(`\nextracted ${output.extracted} invoices, ${output.failed} failed`);
  return output;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

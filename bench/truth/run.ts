/**
 * The truth-world benchmarks on their own: `npx tsx bench/truth/run.ts` prints the tables
 * (`npm run bench` includes them and writes `bench/results.md`).
 */
import { formatMarkdownTable } from '../lib/table';
import { shapes } from '../scheduler/shapes';
import { benchConfidenceSection, confidenceIntro, confidenceRows } from './confidence';
import { benchLearning, learningRows } from './learning';
import { benchPriceWindows } from './prices';

const results = [];
for (const shape of shapes) {
  console.error(`[truth] ${shape.id}`);
  results.push(await benchLearning(shape));
}
console.log(formatMarkdownTable(learningRows(results)));
console.log(formatMarkdownTable(await benchPriceWindows(shapes)));
const confidence = await benchConfidenceSection(shapes);
console.log(confidenceIntro(confidence));
console.log(formatMarkdownTable(confidenceRows(confidence)));

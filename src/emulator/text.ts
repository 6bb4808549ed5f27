import type { Random } from './random';

const ADJECTIVES = [
  'careful',
  'clear',
  'early',
  'fast',
  'likely',
  'main',
  'new',
  'simple',
  'small',
];
const NOUNS = [
  'answer',
  'approach',
  'data',
  'design',
  'detail',
  'model',
  'plan',
  'result',
  'source',
  'step',
  'summary',
  'system',
  'team',
  'trade-off',
];
const VERBS = [
  'changes',
  'explains',
  'improves',
  'informs',
  'reduces',
  'shapes',
  'suggests',
  'supports',
];
const OPENERS = ['In practice,', 'Overall,', 'For now,', 'As a result,', 'In short,'];
const CONNECTORS = ['and', 'because', 'while', 'so'];

/** Function words that read badly where the sentence templates expect a noun. */
const STOPWORDS = new Set(
  [
    'about also and are but can could does following for from has have how into its not our',
    'please should than that the their them then there these they this was were what when',
    'which while who why will with would you your',
  ]
    .join(' ')
    .split(' '),
);

/** Fillers of every length from 1 to 12, so any small gap before the target can be closed. */
const FILLERS = [
  'a',
  'so',
  'now',
  'also',
  'often',
  'indeed',
  'overall',
  'together',
  'therefore',
  'ultimately',
  'nonetheless',
  'consequently',
];

/**
 * Generates readable English-like prose whose `countTokens` is exactly `targetTokens`
 * (an empty string for 0). Words of `topic` are woven into the sentences. The output depends
 * only on the state of `random`, so the same seed gives the same text.
 *
 * @example
 * generateProse(createRandom(7), 50, 'vector databases');
 */
export function generateProse(random: Random, targetTokens: number, topic?: string): string {
  if (!Number.isInteger(targetTokens) || targetTokens < 0) {
    throw new RangeError(
      `Expected \`targetTokens\` to be a whole number from 0 up, got \`${targetTokens}\` (${typeof targetTokens})`,
    );
  }
  if (targetTokens === 0) return '';
  const maxChars = targetTokens * 4;
  const topicWords = (topic?.toLowerCase().match(/[a-z][a-z'-]*/g) ?? []).filter(
    (word) => word.length >= 3 && !STOPWORDS.has(word),
  );

  // The same text as appending word by word with `appendWord` and measuring `finish(candidate)`,
  // built from parts with the length and last character tracked: reading the end of a growing
  // string flattens it, which made long answers quadratic (100,000 tokens took minutes).
  const parts: string[] = [];
  let length = 0;
  let last = '';
  let pending: string[] = [];
  for (;;) {
    if (pending.length === 0) pending = generateSentence(random, topicWords);
    const word = pending[0] as string;
    const piece =
      length === 0 ? capitalize(word) : last === '.' ? ` ${capitalize(word)}` : ` ${word}`;
    const nextLength = length + piece.length;
    const nextLast = piece === '' ? last : piece.charAt(piece.length - 1);
    const finished =
      nextLength === 0 || nextLast === '.' || nextLast === ',' ? nextLength : nextLength + 1;
    if (finished > maxChars) break;
    parts.push(piece);
    length = nextLength;
    last = nextLast;
    pending.shift();
  }
  return finish(fillTail(random, parts.join(''), maxChars));
}

/**
 * Generates a few lowercase words, at most `maxLength` characters long, for JSON string fields.
 *
 * @example
 * generateShortString(createRandom(1)); // e.g. 'clear plan'
 */
export function generateShortString(random: Random, maxLength = 40): string {
  const words = [random.pick(ADJECTIVES), random.pick(NOUNS)];
  if (random.next() < 0.5) words.push(random.pick(NOUNS));
  let text = words.join(' ');
  while (text.length > maxLength && text.includes(' ')) {
    text = text.slice(0, text.lastIndexOf(' '));
  }
  return text.slice(0, Math.max(0, maxLength));
}

/** Closes the gap to the token target with filler words; the target band is 4 characters wide. */
function fillTail(random: Random, start: string, maxChars: number): string {
  const minChars = maxChars - 3;
  let body = start;
  while (body === '' || finish(body).length < minChars) {
    const fits = FILLERS.filter((word) => {
      const length = finish(appendWord(body, word)).length;
      return length >= minChars && length <= maxChars;
    });
    if (fits.length > 0) return appendWord(body, random.pick(fits));
    // The gap is wider than any filler, so take the longest and go round again.
    body = appendWord(body, FILLERS[FILLERS.length - 1] as string);
  }
  return body;
}

function generateSentence(random: Random, topicWords: readonly string[]): string[] {
  const noun = (): string =>
    topicWords.length > 0 && random.next() < 0.35 ? random.pick(topicWords) : random.pick(NOUNS);
  const words: string[] = [];
  if (random.next() < 0.3) words.push(...random.pick(OPENERS).split(' '));
  words.push('the', random.pick(ADJECTIVES), noun(), random.pick(VERBS), 'the', noun());
  if (random.next() < 0.5) {
    words.push(random.pick(CONNECTORS), 'the', noun(), random.pick(VERBS), 'the', noun());
  }
  words[words.length - 1] += '.';
  return words;
}

function appendWord(body: string, word: string): string {
  if (body === '') return capitalize(word);
  return body.endsWith('.') ? `${body} ${capitalize(word)}` : `${body} ${word}`;
}

/** Ends the text with a period; a trailing comma becomes the period, keeping the length. */
function finish(body: string): string {
  if (body === '' || body.endsWith('.')) return body;
  return body.endsWith(',') ? `${body.slice(0, -1)}.` : `${body}.`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

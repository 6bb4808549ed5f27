import { credentialsOfUrl } from '../../models/secrets';

/** What a trace log may hold beyond timings, tokens and costs. Nothing more by default. */
export interface LogInclude {
  /** The chain input (`chain:start`), prompts, messages and system prompts (`step:start`). */
  prompts?: boolean;
  /** Step outputs. */
  outputs?: boolean;
}

/** Options of {@link createRedactor}. */
export interface RedactOptions {
  readonly include?: LogInclude;
  /** Values never to write (API keys). @default every environment variable that looks secret */
  readonly secrets?: readonly string[];
}

const promptKeys = new Set(['input', 'prompt', 'messages', 'system']);
const outputKeys = new Set(['output']);
/** Keys whose values are credentials or transport details: dropped whatever `include` says. */
const secretKey =
  /(^|[-_])(headers?|authorization|cookie|password|secret)$|api[-_]?key|access[-_]?token|^(request|response)(Headers|Body|BodyValues)$/i;
/**
 * Credentials that look like one wherever they appear: `sk-...` (OpenAI, DeepSeek, Anthropic),
 * `Bearer ...`, Google's `AIza...`, `x-api-key: ...` and `api_key=...` pairs.
 */
const secretPattern =
  /\b(?:sk|pk|rk|sess)-[A-Za-z0-9_-]{12,}|\bBearer\s+[A-Za-z0-9._~+/=-]{8,}|\bAIza[0-9A-Za-z_-]{20,}|\b((?:x-)?api[-_]?key["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]{8,}/gi;
/** The user-information part of a URL (`https://user:password@host`). */
const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
const secretEnvName = /key|token|secret|password|credential|auth/i;
/** Known values shorter than this are not masked: they would mask ordinary words. */
const shortestSecret = 6;
/** A masker remembers what it made of strings up to this long, and this many of them. */
const rememberedLength = 200;
const rememberedStrings = 4096;

type Env = Readonly<Record<string, string | undefined>>;
const processEnv = (): Env =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};

/**
 * The values of environment variables whose names say they are secret (at least 8 long), and the
 * user name and password of every URL in the environment (`OPENAI_BASE_URL=https://u:p@host`).
 */
export function secretsFromEnv(env: Env = processEnv()): string[] {
  const named = Object.entries(env)
    .filter(([name, value]) => secretEnvName.test(name) && value !== undefined && value.length >= 8)
    .map(([, value]) => value!);
  const inUrls = Object.values(env).flatMap((value) =>
    value?.includes('@') ? credentialsOfUrl(value) : [],
  );
  return [...named, ...inUrls];
}

/**
 * The one masking function every output goes through: replaces each known secret value, each
 * key-shaped string (`sk-...`, `Bearer ...`) and the credentials in URLs with `[redacted]`.
 * Core code: no `node:*`, so the runtime and every exporter share it.
 */
export function createSecretMasker(secrets: Iterable<string> = []): (text: string) => string {
  const known = [...new Set(secrets)]
    .filter((secret) => typeof secret === 'string' && secret.length >= shortestSecret)
    .sort((a, b) => b.length - a.length);
  // Logs repeat the same short strings (step ids, models, reasons) thousands of times: each is
  // masked once. Long strings (prompts, outputs, error bodies) are masked every time.
  const seen = new Map<string, string>();
  return (text) => {
    // Nothing shorter than `a://b@` or a known secret can hold one.
    if (text.length < shortestSecret) return text;
    const short = text.length <= rememberedLength;
    if (short) {
      const found = seen.get(text);
      if (found !== undefined) return found;
    }
    let masked = text
      .replace(secretPattern, (_match, prefix?: string) => `${prefix ?? ''}[redacted]`)
      .replace(urlCredentials, '$1[redacted]@');
    for (const secret of known) {
      if (masked.includes(secret)) masked = masked.split(secret).join('[redacted]');
    }
    if (short) {
      if (seen.size >= rememberedStrings) seen.clear();
      seen.set(text, masked);
    }
    return masked;
  };
}

/**
 * Masks, in place, every string an error carries out of the process: its message and stack, its
 * own fields (an AI SDK `APICallError`'s `url` and `responseBody`), and the same of its `cause`
 * and nested errors. Returns the error.
 */
export function maskError<T>(error: T, mask: (text: string) => string): T {
  maskInPlace(error, mask, new WeakSet(), 0);
  return error;
}

function maskInPlace(
  value: unknown,
  mask: (text: string) => string,
  seen: WeakSet<object>,
  depth: number,
): void {
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > 6) return;
  seen.add(value);
  const target = value as Record<string, unknown>;
  const keys = new Set(Object.keys(target));
  if (value instanceof Error) for (const key of ['message', 'stack', 'cause']) keys.add(key);
  for (const key of keys) {
    let item: unknown;
    try {
      item = target[key];
    } catch {
      continue;
    }
    if (typeof item === 'string') {
      const masked = mask(item);
      if (masked !== item) {
        try {
          target[key] = masked;
        } catch {
          // A frozen or read-only field: nothing to do but leave it.
        }
      }
    } else if (typeof item === 'object' && item !== null) {
      maskInPlace(item, mask, seen, depth + 1);
    }
  }
}

/**
 * Whether a payload key is written to a log: never a credential or transport detail (`headers`,
 * `apiKey`, `requestBodyValues`...), prompts and outputs only when `include` says so. Each key
 * is judged once.
 */
export function shouldKeepKey(include: LogInclude): (key: string) => boolean {
  const kept = new Map<string, boolean>();
  return (key) => {
    let verdict = kept.get(key);
    if (verdict === undefined) {
      verdict =
        !secretKey.test(key) &&
        (include.prompts || !promptKeys.has(key)) &&
        (include.outputs || !outputKeys.has(key));
      kept.set(key, verdict);
    }
    return verdict;
  };
}

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
/** Credentials that look like one wherever they appear: `sk-...`, `Bearer ...`. */
const secretPattern =
  /\b(?:sk|pk|rk|sess)-[A-Za-z0-9_-]{12,}|\bBearer\s+[A-Za-z0-9._~+/=-]{8,}|\bAIza[0-9A-Za-z_-]{20,}/g;
const secretEnvName = /key|token|secret|password|credential|auth/i;

/** The values of environment variables whose names say they are secret (at least 8 long). */
export function secretsFromEnv(
  env: Readonly<Record<string, string | undefined>> = (
    globalThis as { process?: { env?: Record<string, string | undefined> } }
  ).process?.env ?? {},
): string[] {
  return Object.entries(env)
    .filter(([name, value]) => secretEnvName.test(name) && value !== undefined && value.length >= 8)
    .map(([, value]) => value!);
}

/**
 * A function that turns an event payload into plain JSON fit for a log: prompts, inputs and
 * outputs left out unless included, credentials and header objects always left out, any known
 * secret value or key-shaped string masked, errors reduced to name and message (an AI SDK error
 * carries the request body and headers), functions and cycles dropped.
 */
export function createRedactor(options: RedactOptions = {}): (value: unknown) => unknown {
  const include = options.include ?? {};
  const secrets = [...new Set(options.secrets ?? secretsFromEnv())].sort(
    (a, b) => b.length - a.length,
  );
  const maskText = (text: string) => {
    let masked = text.replace(secretPattern, '[redacted]');
    for (const secret of secrets) masked = masked.split(secret).join('[redacted]');
    return masked;
  };
  const keep = (key: string) =>
    !secretKey.test(key) &&
    (include.prompts || !promptKeys.has(key)) &&
    (include.outputs || !outputKeys.has(key));

  const visit = (value: unknown, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return maskText(value);
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value !== 'object') return undefined;
    if (seen.has(value)) return undefined;
    seen.add(value);
    if (value instanceof Error) return { name: value.name, message: maskText(value.message) };
    if (Array.isArray(value)) return value.map((item) => visit(item, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!keep(key)) continue;
      const clean = visit(item, seen);
      if (clean !== undefined) out[key] = clean;
    }
    seen.delete(value);
    return out;
  };
  return (value) => visit(value, new WeakSet());
}

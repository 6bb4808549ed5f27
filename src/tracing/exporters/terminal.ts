/** Where a live view draws: `process.stdout` or anything shaped like it. */
export interface TerminalStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

interface ProcessLike {
  readonly stdout?: TerminalStream;
  readonly env?: Env;
}

// Read through globalThis: the core runs in edge runtimes, where there is no `process`.
const host = (globalThis as { process?: ProcessLike }).process;

/** The process's stdout, when there is one. */
export function defaultStream(): TerminalStream | undefined {
  return host?.stdout;
}

/**
 * Whether to colour: `NO_COLOR` (set and not empty) turns colour off, `FORCE_COLOR` turns it on
 * (unless `0` or `false`), otherwise colour when the stream is a terminal that is not `dumb`.
 */
export function detectColor(
  stream: TerminalStream | undefined,
  env: Env = host?.env ?? {},
): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream?.isTTY === true && env.TERM !== 'dumb';
}

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { faultSpecSyntax, parseFaultSpec } from '../../emulator/fault-spec';
import type { EmulatorFaultRule } from '../../emulator/faults';
import { startEmulator } from '../../emulator/node/start-emulator';
import { type EmulatedTruth, resolveTruth } from '../../emulator/truth';
import { catalog } from '../../models/catalog';
import { readProblem } from '../read-problem';
import type { Command } from '.';

const help = `Usage: hotpath emulate [options]

Starts an OpenAI-compatible server whose models behave like hotpath's catalog (Mercury 2,
DeepSeek V4 Flash, Claude Haiku 4.5, GPT-5 mini) in timing, usage, tool calls and failures.
Runs until Ctrl-C.

Options:
  --port N          port to listen on; 0 picks a free one (default 8787)
  --host HOST       interface to listen on (default 127.0.0.1)
  --time-scale X    run every delay X times faster, same ratios (default 1)
  --seed N          seed of the text, timing jitter and fault draws (default 1)
  --rtt MS          play a place MS milliseconds away: every response waits MS before its
                    headers, instead of the profiles' round trip (default: the profiles')
  --api-key KEY     refuse requests without \`Authorization: Bearer KEY\` (401)
  --fault SPEC      inject a fault; repeat for more (the first rule that fires wins)
  --truth FILE      run models that differ from the catalog: a JSON object of model truths
                    by id (profile figures, spread, peakSlowdown, prefixCache; see README)
  -h, --help        show this help

Fault SPEC: ${faultSpecSyntax}
  429[=S]      answer 429 with Retry-After: S seconds (default 1)
  500          answer 500
  503[=S]      answer 503, with Retry-After: S seconds when given
  stall=MS     hold the first token MS milliseconds longer; with chunks=N, send N chunks,
               then nothing for MS while the stream stays open
  slow=F       decode F times slower than the profile
  cut[=P]      close the connection after a share P of the output (default 0.5)
  reset        reset the connection before any response
  error-frame[=S]  send a share of the stream (after=P, default 0.5), then an error frame
               with status S (default 500); non-streaming: answer S
  bad-chunk[=P]  send a share P of the stream (default 0.5), then a chunk that is not JSON
  model=ID     only this model (default: all models)
  rate=P       on a seeded share P of requests (default: every request)
  at=N+N       on these request numbers, counted per model with model=, else overall

Examples:
  hotpath emulate --time-scale 10
  hotpath emulate --fault 429=2,model=deepseek-flash,rate=0.2 --fault cut,at=3
  hotpath emulate --truth truth.json   # {"deepseek-flash":{"outputTokensPerSecond":60}}`;

/** `hotpath emulate`: runs the emulator server until Ctrl-C. */
export const emulate: Command = {
  summary: 'start the OpenAI-compatible emulator of the catalog models',
  async run(args) {
    let options: ReturnType<typeof readOptions>;
    try {
      options = readOptions(args);
    } catch (error) {
      console.error(`hotpath emulate: ${(error as Error).message}\n\n${help}`);
      return 2;
    }
    if (options === 'help') {
      console.log(help);
      return 0;
    }
    if (options.truthFile !== undefined) {
      const truth = await readTruth(options.truthFile);
      if (typeof truth === 'string') {
        console.error(`hotpath emulate: ${truth}`);
        return 2;
      }
      options.truth = truth;
    }
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    try {
      const { truthFile: _, ...emulatorOptions } = options;
      emulator = await startEmulator(emulatorOptions);
    } catch (error) {
      console.error(`hotpath emulate: ${listenProblem(error, options.host, options.port)}`);
      return 1;
    }
    console.log(`hotpath emulator: ${emulator.baseURL}`);
    for (const profile of emulator.models) {
      console.log(
        `  ${profile.id.padEnd(20)}${profile.architecture.padEnd(16)}${profile.outputTokensPerSecond} tok/s, first token ${profile.timeToFirstTokenMs} ms`,
      );
    }
    const scale = options.timeScale === 1 ? 'real time' : `${options.timeScale}x faster`;
    const distance =
      options.roundTripMs === undefined ? '' : `, ${options.roundTripMs} ms round trip`;
    console.log(`  ${scale}, seed ${options.seed}${distance}, ${describeFaults(options.faults)}`);
    if (options.truthFile !== undefined)
      console.log(`  truth from ${options.truthFile}: clients plan with the catalog`);
    console.log(`  try: HOTPATH_EMULATOR_URL=${emulator.baseURL} (Ctrl-C stops)`);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    const stats = emulator.stats();
    await emulator.close();
    console.log(
      `\nhotpath emulator: closed after ${stats.requests} requests (${stats.outputTokens} output tokens, peak ${stats.peakConcurrency} at once)`,
    );
    return 0;
  },
};

function readOptions(args: readonly string[]) {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'time-scale': { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      rtt: { type: 'string' },
      'api-key': { type: 'string' },
      fault: { type: 'string', multiple: true, default: [] },
      truth: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help' as const;
  const number = (
    flag: string,
    text: string,
    expected: string,
    valid: (value: number) => boolean,
  ) => {
    const value = Number(text);
    if (!valid(value)) throw new Error(`expected \`--${flag}\` to be ${expected}, got \`${text}\``);
    return value;
  };
  return {
    port: number(
      'port',
      values.port,
      'a port from 0 to 65535',
      (n) => Number.isInteger(n) && n >= 0 && n <= 65_535,
    ),
    host: values.host,
    timeScale: number(
      'time-scale',
      values['time-scale'],
      'a number above 0',
      (n) => n > 0 && Number.isFinite(n),
    ),
    seed: number('seed', values.seed, 'a whole number', Number.isInteger),
    roundTripMs:
      values.rtt === undefined
        ? undefined
        : number('rtt', values.rtt, 'milliseconds from 0 up', (n) => n >= 0 && Number.isFinite(n)),
    apiKey: values['api-key'],
    faults: values.fault.map((spec) => parseFaultSpec(spec, Object.keys(catalog))),
    truthFile: values.truth,
    truth: undefined as EmulatedTruth | undefined,
  };
}

/** The truth file's models, checked against the catalog; a string says what is wrong. */
async function readTruth(path: string): Promise<EmulatedTruth | string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return `cannot read the truth file \`${path}\`: ${readProblem(error)}`;
  }
  let truth: unknown;
  try {
    truth = JSON.parse(text);
  } catch (error) {
    return `the truth file \`${path}\` is not JSON: ${(error as Error).message}`;
  }
  try {
    resolveTruth(truth, Object.values(catalog));
  } catch (error) {
    return `the truth file \`${path}\`: ${(error as Error).message}`;
  }
  return truth as EmulatedTruth;
}

/** One line for a server that cannot listen: a busy port says how to pick another. */
function listenProblem(error: unknown, host: string, port: number): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'EADDRINUSE') {
    return `port ${port} on ${host} is in use; pass another with --port N, or --port 0 for a free one`;
  }
  if (code === 'EACCES') {
    return `no permission to listen on port ${port} on ${host}; use a port above 1023, or --port 0 for a free one`;
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return `cannot listen on ${host}; pass an address of this machine with --host (default 127.0.0.1)`;
  }
  return `cannot start: ${error instanceof Error ? error.message : String(error)}`;
}

function describeFaults(faults: readonly EmulatorFaultRule[]): string {
  if (faults.length === 0) return 'no faults';
  return `faults: ${faults
    .map((rule) => {
      const when = rule.requests ? `at ${rule.requests.join('+')}` : `rate ${rule.rate ?? 1}`;
      return `${rule.fault.kind} (${rule.model ?? 'all models'}, ${when})`;
    })
    .join('; ')}`;
}

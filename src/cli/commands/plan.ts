import { parseArgs } from 'node:util';
import type { AnyChain } from '../../chain';
import { InvalidInputError } from '../../errors';
import { fromEnv } from '../../models/from-env';
import { validateInput } from '../../runtime/validate-input';
import type { Objective } from '../../scheduler/plan';
import { planChain } from '../../scheduler/plan-chain';
import { CliError, loadModule } from '../load-module';
import type { Command } from '.';

const help = `Usage: hotpath plan MODULE [options]

Prints the plan of a chain exported by MODULE (a .js file, or .ts through tsx): which
model each step gets and why, the predicted time and cost, and the all-fast and all-cheap
baselines. No model is called. Models come from the environment, as models.fromEnv() picks them.

Options:
  --chain NAME       the export to plan, when the module exports several chains
  --input JSON       the chain input, to size prompts that depend on it
  --objective OBJ    balanced (default), latency, cost, deadline=MS or budget=USD
  --at WHEN          the instant the chain starts, for the prices in force then: an ISO
                     date-time with its offset, such as 2026-12-02T02:00:00Z, or now
                     (default), as runtime.plan prices a run that starts now
  -h, --help         show this help

Example:
  npx tsx src/cli/index.ts plan examples/research.ts --input '{"question":"Why?"}'`;

/** `hotpath plan`: prints a chain's plan without calling a model. */
export const plan: Command = {
  summary: "print a chain's plan: model per step, why, predicted time and cost",
  async run(args) {
    try {
      return await planCommand(args);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      console.error(`hotpath plan: ${error.message}`);
      return 2;
    }
  },
};

async function planCommand(args: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof readArgs>;
  try {
    parsed = readArgs(args);
  } catch (error) {
    console.error(`hotpath plan: ${(error as Error).message}\n\n${help}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length !== 1) {
    (values.help ? console.log : console.error)(help);
    return values.help ? 0 : 2;
  }
  const module = await loadModule(positionals[0]!);
  const chains = Object.entries(module).filter(([, value]) => isChain(value)) as [
    string,
    AnyChain,
  ][];
  const picked =
    values.chain === undefined ? chains : chains.filter(([name]) => name === values.chain);
  if (picked.length !== 1) {
    const found = chains.map(([name]) => name).join(', ') || 'none';
    console.error(
      `hotpath plan: expected one chain${values.chain ? ` named ${values.chain}` : ''}; the module exports: ${found}`,
    );
    return 2;
  }
  const objective = parseObjective(values.objective);
  if (objective === undefined) {
    console.error(`hotpath plan: unknown objective \`${values.objective}\`\n\n${help}`);
    return 2;
  }
  const startAt = parseStart(values.at);
  if (startAt === undefined) {
    console.error(
      `hotpath plan: \`--at\` is not an ISO date-time with its offset (such as 2026-12-02T02:00:00Z): \`${values.at}\`\n\n${help}`,
    );
    return 2;
  }
  const definition = picked[0]![1].definition;
  const input = values.input === undefined ? undefined : await readInput(values.input, definition);
  const pool = fromEnv({ log: (line) => console.error(line) });
  console.log(planChain({ chain: definition, pool, objective, input, startAt }).explain());
  return 0;
}

function readArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      chain: { type: 'string' },
      input: { type: 'string' },
      objective: { type: 'string' },
      at: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** `--input` as JSON, checked against the chain's input schema. */
async function readInput(text: string, definition: AnyChain['definition']): Promise<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`\`--input\` is not JSON (${(error as Error).message}): ${text}`);
  }
  try {
    return await validateInput(definition.name, definition.input, value);
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw new CliError(`\`--input\`: ${error.message}`);
    throw error;
  }
}

function isChain(value: unknown): value is AnyChain {
  const definition = (value as { definition?: { steps?: unknown } } | null)?.definition;
  return Array.isArray(definition?.steps);
}

function parseObjective(text = 'balanced'): Objective | undefined {
  if (text === 'balanced' || text === 'latency' || text === 'cost') return text;
  const [kind, value] = text.split('=');
  const number = Number(value);
  if (!(number > 0)) return undefined;
  if (kind === 'deadline') return { deadlineMs: number };
  if (kind === 'budget') return { budgetUsd: number };
  return undefined;
}

/**
 * An ISO 8601 date-time with its offset: `Date.parse` alone takes `1` for 2001 and reads a time
 * without a zone as the machine's local time.
 */
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** `--at` as Unix ms: an ISO date-time, or now (the default); undefined when it is neither. */
function parseStart(text = 'now'): number | undefined {
  if (text === 'now') return Date.now();
  if (!isoDateTime.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? at : undefined;
}

import type { ToolSet } from 'ai';
import type { LlmStepDefinition } from '../chain';
import { isEmulatedModel } from '../models/emulated';
import type { PoolModel } from '../models/pool';

/** What a tool that was kept from running on the emulator returns to the model instead. */
export interface SkippedToolResult {
  readonly skipped: true;
  readonly reason: string;
}

/**
 * The step's tools for a call on `entry`: as they are, except on an emulated model, where the
 * tools named by the step's `emulatedTools` (all of them for `'skip'`) do not run and return a
 * {@link SkippedToolResult}: the emulator invents a tool's arguments, so a tool with side
 * effects (a refund, an e-mail) must not act on them.
 */
export function toolsForModel(
  definition: LlmStepDefinition,
  entry: PoolModel,
): ToolSet | undefined {
  const { tools, emulatedTools = 'run' } = definition;
  if (tools === undefined || emulatedTools === 'run' || !isEmulatedModel(entry)) return tools;
  const skip = new Set(emulatedTools === 'skip' ? Object.keys(tools) : emulatedTools);
  return Object.fromEntries(
    Object.entries(tools).map(([name, tool]) => {
      if (!skip.has(name) || tool.execute === undefined) return [name, tool];
      const result: SkippedToolResult = {
        skipped: true,
        reason: `hotpath: \`${name}\` was not run: ${entry.id} is emulated and invents tool arguments (the step's \`emulatedTools\`)`,
      };
      return [name, { ...tool, execute: async () => result }];
    }),
  ) as ToolSet;
}

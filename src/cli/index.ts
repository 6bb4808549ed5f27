#!/usr/bin/env node
import { commands } from './commands';

const usage = `hotpath: typed LLM chains on fast and cheap models

Usage: hotpath <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)}${command.summary}`)
  .join('\n')}

Run \`hotpath <command> --help\` for a command's options.`;

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h') {
  console.log(usage);
} else {
  const command = commands[name];
  if (command === undefined) {
    console.error(`hotpath: unknown command \`${name}\`\n\n${usage}`);
    process.exitCode = 2;
  } else {
    try {
      process.exitCode = await command.run(args);
    } catch (error) {
      // What a command did not foresee still gets one line; HOTPATH_DEBUG=1 shows the stack.
      const message = error instanceof Error ? error.message : String(error);
      console.error(`hotpath ${name}: ${message}`);
      if (process.env.HOTPATH_DEBUG) console.error(error);
      process.exitCode = 1;
    }
  }
}

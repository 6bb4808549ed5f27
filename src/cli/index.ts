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
    process.exitCode = await command.run(args);
  }
}

#!/usr/bin/env node
// The `hotpath` command. Its commands (trace, emulate, plan) land with the parts they serve; for
// now it says so rather than pretending.
const usage = `hotpath: typed LLM chains on fast and cheap models

Usage: hotpath <command>

No commands yet: \`hotpath trace\`, \`hotpath emulate\` and \`hotpath plan\` are planned.`;

const [command] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h') {
  console.log(usage);
} else {
  console.error(`hotpath: unknown command \`${command}\`\n\n${usage}`);
  process.exitCode = 2;
}

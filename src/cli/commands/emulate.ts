import type { Command } from '.';

/** `hotpath emulate`: not built yet (issue: the emulator server). */
export const emulate: Command = {
  summary: 'start the OpenAI-compatible emulator (not built yet)',
  async run() {
    console.error('hotpath emulate: not built yet');
    return 1;
  },
};

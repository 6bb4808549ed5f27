import type { Command } from '.';

/** `hotpath trace`: not built yet (issue: tracing). */
export const trace: Command = {
  summary: 'reprint and aggregate trace logs (not built yet)',
  async run() {
    console.error('hotpath trace: not built yet');
    return 1;
  },
};

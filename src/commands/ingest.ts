import type { Command } from './command.ts';

// Placeholder until this command is implemented (see the open issues).
export const command: Command = {
  summary: 'not implemented yet',
  usage: 'npm run -s ingest -- --help',
  async run() {
    console.error('dafu ingest: not implemented yet');
    return 2;
  },
};

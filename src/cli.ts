#!/usr/bin/env node
/**
 * dafu's single command-line entry point. Each sub-command lives in
 * `src/commands/<name>.ts` and is imported only when used, so `parse` does not
 * pay for loading onnxruntime or grammY.
 */
import 'dotenv/config';
import { ConfigError } from './config.ts';
import { installProxyFetch } from './net/proxy.ts';
import type { Command } from './commands/command.ts';


const commands: Record<string, () => Promise<{ command: Command }>> = {
  parse: () => import('./commands/parse.ts'),
  ingest: () => import('./commands/ingest.ts'),
  ask: () => import('./commands/ask.ts'),
  chat: () => import('./commands/chat.ts'),
  eval: () => import('./commands/eval.ts'),
  bench: () => import('./commands/bench.ts'),
  start: () => import('./commands/start.ts'),
  'test-model': () => import('./commands/test-model.ts'),
  devdb: () => import('./commands/devdb.ts'),
  store: () => import('./commands/store.ts'),
};

async function overview(): Promise<string> {
  const lines = ['dafu (答复) — answers with exact citations from government replies', '', 'Usage: npm run -s <command> -- [options]', ''];
  for (const [name, load] of Object.entries(commands)) {
    try {
      lines.push(`  ${name.padEnd(11)} ${(await load()).command.summary}`);
    } catch {
      lines.push(`  ${name.padEnd(11)} (not available in this build)`);
    }
  }
  lines.push('', 'Every command takes --help.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  // HTTPS_PROXY and friends, for the model download (global fetch); the Bot API client gets its own agent.
  installProxyFetch();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await overview());
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    console.error(`dafu: unknown command "${name}".\n\n${await overview()}`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Known, user-facing errors print their message only; anything else keeps its stack for a bug report.
    if (err instanceof ConfigError || (err instanceof Error && err.name.startsWith('Dafu'))) console.error(err.message);
    else console.error(err);
    process.exitCode = 1;
  },
);

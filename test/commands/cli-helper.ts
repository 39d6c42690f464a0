/** Runs the CLI as a user does (a child process through src/cli.ts) with the tiny model and LLM mode off. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tinyModelDirSync } from '../helpers/tiny-model.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli.ts');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node --import tsx src/cli.ts ARGS`, optionally feeding `stdin` (a pipe, not a TTY). */
export function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDING_MODEL: tinyModelDirSync(), EMBEDDING_OFFLINE: '1', EMBEDDING_THREADS: '1', ...opts.env };
  for (const key of ['LLM_BASE_URL', 'LLM_MODEL', 'LLM_API_KEY']) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

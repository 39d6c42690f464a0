/**
 * A Redis for tests, on 127.0.0.1: the one `.ci/run` started
 * (DAFU_TEST_REDIS_URL), else a throwaway `redis-server` started here when
 * the binary is installed (no persistence, a free port), else none — then
 * the test is skipped with a message saying how to run it, except in CI
 * (CI=true), where a missing Redis is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from './free-port.ts';

export const NO_REDIS = 'no Redis for this test: install redis-server (apt-get install redis-server) or set DAFU_TEST_REDIS_URL=redis://127.0.0.1:PORT';

let started: Promise<string> | undefined;
let child: ChildProcess | undefined;


/** Starts redis-server on `fixedPort` or a free port (retrying if the port was taken meanwhile); resolves with its URL. */
async function startServer(fixedPort?: number): Promise<{ url: string; proc: ChildProcess }> {
  for (let attempt = 0; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (ready) {
      // Its log is read no further, and neither it nor its pipe keeps the test process alive; killed with it.
      proc.stdout!.resume();
      (proc.stdout as unknown as { unref(): void }).unref();
      process.once('exit', () => proc.kill('SIGKILL'));
      proc.unref();
      return { url: `redis://127.0.0.1:${port}`, proc };
    }
    proc.kill('SIGKILL');
    if (attempt >= 2) throw new Error(`redis-server did not start: ${out.slice(-500)}`);
  }
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The URL of a Redis for this test process, or null when there is none
 * (then call `t.skip(NO_REDIS)`). Throws in CI when there is none.
 */
export async function testRedisUrl(): Promise<string | null> {
  const given = process.env['DAFU_TEST_REDIS_URL'];
  if (given) return given;
  if (!hasRedisServer()) {
    if (process.env['CI'] === 'true') throw new Error(`CI=true but ${NO_REDIS}. .ci/run starts one; check its output.`);
    return null;
  }
  return (started ??= startServer().then(({ url, proc }) => {
    child = proc;
    return url;
  }));
}

/**
 * A redis-server of the caller's own (for outage tests: it can be killed and
 * restarted on the same port), or null without the binary.
 */
export async function ownRedisServer(port?: number): Promise<{ url: string; port: number; kill(): Promise<void> } | null> {
  if (!hasRedisServer()) return null;
  const { url, proc: mine } = await startServer(port);
  return {
    url,
    port: Number(new URL(url).port),
    kill: async () => {
      if (mine.exitCode !== null || mine.signalCode !== null) return;
      const exited = new Promise<void>((r) => mine.once('exit', () => r()));
      // The server is unref'd so it never keeps a test process alive; waiting for its exit must,
      // or the test ends with its promise pending when nothing else is left on the event loop.
      mine.ref();
      mine.kill('SIGKILL');
      await exited;
    },
  };
}

/** A key prefix no other test (or test run) uses. */
export function uniquePrefix(): string {
  return `dafu-test:${randomBytes(6).toString('hex')}:`;
}

/** Stops the redis-server this process started, if any (the CI one is left to .ci/run). */
export function stopTestRedis(): void {
  child?.kill('SIGKILL');
  child = undefined;
  started = undefined;
}

/** Fault injection for tests that break a child process (an ingest) at a known point. */
import { writeFile } from 'node:fs/promises';

/**
 * `DAFU_FAULT_INJECT` lets tests break a child process at a known point:
 * `throw:embed`, `throw:write` raise an error there (`throw:reply`: inside a reply's transaction, Postgres store); `pause:embed`,
 * `pause:write` print `DAFU_PAUSED <phase>` on stderr and wait forever (to be SIGKILLed);
 * `oom:embed`, `oom:write` fill the heap until V8 aborts the process, as a ZIP
 * bomb did (so /reload's child process can be shown to contain it);
 * `enospc:write` writes to /dev/full, which fails with a real ENOSPC, as a
 * full disk does.
 */
export function envFault(phase: 'embed' | 'write' | 'reply'): (() => Promise<void>) | undefined {
  const spec = process.env['DAFU_FAULT_INJECT'];
  if (!spec) return undefined;
  const [mode, at] = spec.split(':');
  if (at !== phase) return undefined;
  return async () => {
    if (mode === 'throw') throw new Error(`injected fault (${spec})`);
    if (mode === 'enospc') await writeFile('/dev/full', 'x');
    if (mode === 'oom') {
      const hoard: string[][] = [];
      for (;;) hoard.push(Array.from({ length: 1e5 }, (_, i) => `${i}-${hoard.length}`));
    }
    if (mode === 'pause') {
      process.stderr.write(`DAFU_PAUSED ${phase}\n`);
      await new Promise(() => setInterval(() => undefined, 60_000));
    }
  };
}


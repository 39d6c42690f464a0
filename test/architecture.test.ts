// The layout is the architecture: front ends talk to the answer engine through
// its public module only, and answering never reaches into ingest's internals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module a file imports (static `import … from`, `export … from` and `import()`), as paths relative to the project. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)].map((m) => m[1] as string);
  return specs.map((s) => relative(ROOT, resolve(dirname(file), s)));
}

test('the bot uses the answer engine through src/answer/index.ts only', () => {
  const offenders = sources(join(ROOT, 'src/bot')).flatMap((f) =>
    importsOf(f)
      .filter((m) => m.startsWith('src/answer/') && m !== 'src/answer/index.ts')
      .map((m) => `${relative(ROOT, f)} → ${m}`),
  );
  assert.deepEqual(offenders, []);
});

test('the check sees imports: the bot does import the engine module', () => {
  // Guards the test above against a regex that matches nothing.
  const all = sources(join(ROOT, 'src/bot')).flatMap(importsOf);
  assert.ok(all.includes('src/answer/index.ts'));
});

test('answering (src/) does not import ingest/ internals', () => {
  const offenders = sources(join(ROOT, 'src/answer')).flatMap((f) =>
    importsOf(f)
      .filter((m) => m.startsWith('ingest/'))
      .map((m) => `${relative(ROOT, f)} → ${m}`),
  );
  assert.deepEqual(offenders, []);
});

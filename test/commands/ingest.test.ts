/**
 * The `ingest` command as a user runs it: a real child process through the
 * CLI entry point, real files, the tiny model, and a real SIGKILL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tinyModelDirSync } from '../helpers/tiny-model.ts';
import { copyCorpus, sampleFiles, snapshot, tempDir } from '../helpers/store.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli.ts');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, EMBEDDING_MODEL: tinyModelDirSync(), EMBEDDING_OFFLINE: '1', EMBEDDING_THREADS: '1', ...extra };
}

/** Runs `node --import tsx src/cli.ts ARGS`; `onStderr` may kill the child. */
function cli(args: string[], extraEnv: Record<string, string> = {}, onStderr?: (text: string, kill: (signal?: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, (signal = 'SIGKILL') => child.kill(signal));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const SUMMARY_KEYS = ['added', 'changed', 'chunks', 'commitments', 'dimensions', 'documents', 'embedded', 'model', 'removed', 'seconds', 'skipped', 'unchanged'];

test('--json prints exactly one JSON summary on stdout; a fresh process reopens the store and finds chunks by meaning and by document number', async (t) => {
  const corpus = await copyCorpus(t);
  await writeFile(join(corpus, 'broken.txt'), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7]));
  const storeDir = await tempDir(t);
  const run = await cli(['ingest', '--corpus', corpus, '--store', storeDir, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `stdout must hold only the summary, got: ${run.stdout}`);
  const summary = JSON.parse(lines[0] as string) as Record<string, unknown>;
  assert.deepEqual(Object.keys(summary).sort(), SUMMARY_KEYS);
  assert.equal(summary['documents'], 5);
  assert.equal(summary['added'], 5);
  assert.equal(summary['model'], tinyModelDirSync());
  assert.equal(typeof summary['dimensions'], 'number');
  assert.ok((summary['chunks'] as number) > 5 && (summary['commitments'] as number) > 0);
  assert.deepEqual((summary['skipped'] as { file: string }[]).map((s) => s.file), ['broken.txt']);

  // A separate process, as the bot or `ask` would be.
  const script = join(storeDir, '..', `${storeDir.split('/').pop()}-probe.mts`);
  t.after(() => import('node:fs/promises').then((fs) => fs.rm(script, { force: true })));
  await writeFile(
    script,
    `import { openStore } from ${JSON.stringify(join(ROOT, 'src/store/open.ts'))};
import { createEmbeddings } from ${JSON.stringify(join(ROOT, 'src/embeddings/index.ts'))};
import { loadConfig } from ${JSON.stringify(join(ROOT, 'src/config.ts'))};
const embeddings = createEmbeddings(loadConfig());
const store = await openStore(process.argv[2], { embeddings });
const byNumber = store.lexicalSearch('吉工信议案〔2025〕6号', 3).map((h) => store.chunk(h.id));
const target = store.chunksOf(byNumber[0].replyId)[2];
const dense = await store.denseSearch(target.pageContent, 3);
process.stdout.write(JSON.stringify({ byNumber: byNumber.map((c) => c.metadata.docNumber), target: target.id, dense: dense.map((h) => h.id), distance: dense[0].distance, ef: store.vectorStore.index.getEf() }));
await embeddings.dispose();
`,
  );
  const probe = await new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, storeDir], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  assert.equal(probe.code, 0, probe.stderr);
  const found = JSON.parse(probe.stdout) as { byNumber: string[]; target: string; dense: string[]; distance: number; ef: number };
  assert.deepEqual(found.byNumber, ['吉工信议案〔2025〕6号', '吉工信议案〔2025〕6号', '吉工信议案〔2025〕6号']);
  assert.equal(found.dense[0], found.target, 'a chunk is its own nearest neighbour');
  assert.ok(found.distance < 0.01, `cosine distance of a chunk to itself: ${found.distance}`);
  assert.equal(found.ef, 64, 'ef is set after loading (LangChain leaves hnswlib at 10)');
});

test('human mode lists skipped files on stderr; nothing ingestable exits 1; unknown options exit 2', async (t) => {
  const corpus = await copyCorpus(t, (n) => n.startsWith('001'));
  await writeFile(join(corpus, 'empty.txt'), '');
  const storeDir = await tempDir(t);
  const ok = await cli(['ingest', '--corpus', corpus, '--store', storeDir]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /skipped empty\.txt: /);
  assert.match(ok.stdout, /Ingested 1 document into/);

  const empty = await tempDir(t, 'dafu-empty-corpus-');
  await writeFile(join(empty, 'empty.txt'), '');
  const none = await cli(['ingest', '--corpus', empty, '--store', storeDir, '--json']);
  assert.equal(none.code, 1);
  assert.equal((JSON.parse(none.stdout) as { documents: number }).documents, 0);
  assert.match(none.stderr, /nothing could be ingested from .*: 1 file\(s\) skipped, see above/);
  const bare = await tempDir(t, 'dafu-bare-corpus-');
  const nothing = await cli(['ingest', '--corpus', bare, '--store', storeDir]);
  assert.equal(nothing.code, 1);
  assert.match(nothing.stderr, /nothing could be ingested from .*: no reply files found; supported: \.txt \.md \.html \.htm \.docx \.pdf\./);
  // the earlier store is still there
  assert.ok(existsSync(join(storeDir, 'CURRENT')));

  const missing = await cli(['ingest', '--corpus', join(empty, 'no-such-folder'), '--store', storeDir]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /corpus folder not found: .*no-such-folder \(pass --corpus DIR or set CORPUS_DIR\)/);

  const bad = await cli(['ingest', '--frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Usage: npm run -s ingest/);
});

test('an ingest killed with SIGKILL while writing leaves the previous store intact, and the next ingest recovers', async (t) => {
  const corpus = await copyCorpus(t, (n) => !n.startsWith('004'));
  const storeDir = await tempDir(t);
  const first = await cli(['ingest', '--corpus', corpus, '--store', storeDir, '--json']);
  assert.equal(first.code, 0, first.stderr);
  const good = await snapshot(storeDir);

  const [f0] = (await sampleFiles()) as [string];
  await appendFile(join(corpus, f0), '\n\n八、新增段落\n被强行终止的入库不得留下任何痕迹。\n');
  const killed = await cli(['ingest', '--corpus', corpus, '--store', storeDir, '--json'], { DAFU_FAULT_INJECT: 'pause:write' }, (text, kill) => {
    if (text.includes('DAFU_PAUSED write')) kill();
  });
  assert.equal(killed.signal, 'SIGKILL');
  assert.deepEqual(await snapshot(storeDir), good, 'CURRENT and the live version are untouched');
  const leftovers = (await readdir(storeDir)).filter((n) => n.startsWith('v-') && n !== good.current);
  assert.equal(leftovers.length, 1, 'the half-built version is left aside');
  assert.ok(existsSync(join(storeDir, 'ingest.lock')), 'the dead ingest left its lock');

  const next = await cli(['ingest', '--corpus', corpus, '--store', storeDir, '--json']);
  assert.equal(next.code, 0, next.stderr);
  const summary = JSON.parse(next.stdout) as { changed: number; unchanged: number };
  assert.equal(summary.changed, 1);
  assert.equal(summary.unchanged, 3);
  assert.equal(existsSync(join(storeDir, leftovers[0] as string)), false, 'the half-built version is cleaned up');
  assert.equal(existsSync(join(storeDir, 'ingest.lock')), false);
  const records = await readFile(join(storeDir, (await snapshot(storeDir)).current, 'records.json'), 'utf8');
  assert.ok(records.includes('被强行终止的入库不得留下任何痕迹'));
});

test('Ctrl-C (SIGINT) mid-ingest removes the half-built version and the lock, keeps the previous store, and says so', async (t) => {
  const corpus = await copyCorpus(t, (n) => n.startsWith('000') || n.startsWith('001'));
  const storeDir = await tempDir(t);
  const first = await cli(['ingest', '--corpus', corpus, '--store', storeDir, '--json']);
  assert.equal(first.code, 0, first.stderr);
  const good = await snapshot(storeDir);

  await writeFile(join(corpus, 'new.txt'), '一、新增答复\n中断的入库不得改变现有的库。\n');
  for (const phase of ['embed', 'write']) {
    let sent = false;
    const interrupted = await cli(['ingest', '--corpus', corpus, '--store', storeDir], { DAFU_FAULT_INJECT: `pause:${phase}` }, (text, kill) => {
      if (!sent && text.includes(`DAFU_PAUSED ${phase}`)) {
        sent = true;
        kill('SIGINT');
      }
    });
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, new RegExp(`interrupted \\(SIGINT\\); the store in ${storeDir.replace(/[/\\]/g, '.')} is intact \\(version ${good.current}\\)`));
    assert.deepEqual(await snapshot(storeDir), good, `interrupted while ${phase === 'embed' ? 'embedding' : 'writing'}: the live store is untouched`);
    assert.deepEqual((await readdir(storeDir)).sort(), ['CURRENT', good.current], 'no lock and no half-built version left behind');
  }
});

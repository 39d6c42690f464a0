/**
 * Issue 10, item 6: normalizing was quadratic on long lines (cleanSpaces
 * re-read the string it was building at every space, and each wrapped line
 * re-tested the whole growing paragraph): a 1 MB one-line file took 6 s, 4 MB
 * 83 s. And a reply flattened onto one line (its metadata table's tabs
 * included) was read as one metadata row, leaving "no text to index". The
 * inputs are generated in a temp folder, sized so each case runs in well
 * under a second now (several seconds each before).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chunkReply } from '../../ingest/chunk.ts';
import { loadFile } from '../../ingest/load/index.ts';
import { cleanSpaces, normalize } from '../../ingest/normalize.ts';
import { parseReply } from '../../ingest/parse/index.ts';
import { SAMPLE_CORPUS, sampleFiles, tempDir } from '../helpers/store.ts';

const MB = 1024 * 1024;

/** `unit` repeated to at least `bytes` of UTF-8. */
function repeatTo(unit: string, bytes: number): string {
  return unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
}

test('cleanSpaces and normalize are linear on a 1 MB line with a space every few characters', () => {
  const line = repeatTo('省商务厅 积极推动 企业开拓 海外市场， Windows 10 ', MB);
  let started = performance.now();
  const cleaned = cleanSpaces(line);
  assert.ok(performance.now() - started < 1500, `cleanSpaces took ${Math.round(performance.now() - started)} ms`);
  assert.ok(cleaned.startsWith('省商务厅积极推动企业开拓海外市场，Windows 10省商务厅'));

  // The same text wrapped into 40-character lines that never end a sentence: one paragraph of 30,000 lines.
  const wrapped = line.replace(/(.{40})/g, '$1\n');
  started = performance.now();
  const out = normalize(wrapped);
  assert.ok(performance.now() - started < 1500, `normalize took ${Math.round(performance.now() - started)} ms`);
  assert.equal(out.split('\n').length, 1, 'joined into one paragraph');
  assert.equal(out.replace(/\s/g, ''), line.replace(/\s/g, ''), 'no character lost');
});

test('a real reply flattened onto one 2 MB line keeps its text: parsed and chunked, not dropped as a metadata row', async (t) => {
  const dir = await tempDir(t, 'dafu-long-line-');
  const [first] = await sampleFiles();
  const reply = await readFile(join(SAMPLE_CORPUS, first!), 'utf8');
  assert.ok(reply.includes('\t'), 'the sample reply has a metadata table (tabs)');
  const path = join(dir, 'one-line.txt');
  await writeFile(path, repeatTo(reply.replace(/\n+/g, ' '), 2 * MB));

  const started = performance.now();
  const loaded = await loadFile(path);
  const parsed = parseReply(normalize(loaded.text), 'one-line.txt');
  const chunks = chunkReply(parsed, { fileHash: 'f'.repeat(64), chunkSize: 500, overlap: 80 });
  assert.ok(performance.now() - started < 3000, `took ${Math.round(performance.now() - started)} ms`);
  assert.ok(chunks.length > 100, `${chunks.length} chunks`);
  const body = parsed.sections.reduce((n, s) => n + s.text.length, 0);
  assert.ok(body > normalize(loaded.text).length * 0.95, 'the text is in the sections');
  assert.ok(chunks.some((c) => c.pageContent.includes('省商务厅积极推动')));
});

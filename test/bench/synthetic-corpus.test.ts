/**
 * The synthetic corpus the ingest benchmark uses: deterministic, varied, and
 * still parsed like the real replies (fields found, numbers consistent).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runIngest } from '../../ingest/run.ts';
import { normalize } from '../../ingest/normalize.ts';
import { parseReply } from '../../ingest/parse/index.ts';
import { createEmbeddings } from '../../src/embeddings/index.ts';
import { loadTemplates, varyReply, writeSyntheticCorpus } from '../../src/bench/synthetic-corpus.ts';
import { openStore } from '../../src/store/open.ts';
import { SAMPLE_CORPUS, tempDir } from '../helpers/store.ts';
import { tinyModelConfig } from '../helpers/tiny-model.ts';

test('variants are deterministic per seed, differ between seeds, and replace the addressee and the numbers consistently', async () => {
  const templates = await loadTemplates(SAMPLE_CORPUS);
  assert.equal(templates.length, 5);
  const t = templates.find((x) => x.name === '徐凤娟');
  assert.ok(t, 'the addressee 徐凤娟 is found in the first sample reply');
  const a = varyReply(t, 7);
  assert.equal(varyReply(t, 7), a, 'same seed, same text');
  assert.notEqual(varyReply(t, 8), a, 'another seed, another text');
  assert.ok(!a.includes('徐凤娟'), 'the addressee is renamed everywhere');
  assert.ok(!a.includes('〔2025〕6号') || !a.includes('第0147号'), 'the numbers change');
  // The 发文字号 in the header table is the one printed above the addressee.
  const header = /发文字号:\s*(\S+号)/u.exec(a)?.[1];
  assert.ok(header, 'the header still has a 发文字号');
  assert.ok(a.split(header).length >= 3, `${header} appears in the header and in the body`);
  assert.match(a, /成文日期:\s*\d{4}年(0[1-9]|1[0-2])月(0[1-9]|1\d|2[0-8])日/u, 'dates stay valid dates');
});

test('every variant parses like its template: the same fields found, the same sections and commitments', async () => {
  for (const template of await loadTemplates(SAMPLE_CORPUS)) {
    const original = parseReply(normalize(template.text), template.file);
    for (const seed of [1, 2, 3]) {
      const variant = parseReply(normalize(varyReply(template, seed)), template.file);
      for (const field of ['title', 'docNumber', 'issuer', 'date', 'recipient', 'proposalTitle', 'session', 'proposalNumber', 'kind'] as const) {
        assert.equal(variant[field] === null, original[field] === null, `${template.file} seed ${seed}: ${field} ${original[field]} → ${variant[field]}`);
      }
      assert.deepEqual(variant.sections.map((s) => s.heading.replace(/\d+/gu, '#')), original.sections.map((s) => s.heading.replace(/\d+/gu, '#')), `${template.file} seed ${seed}: sections`);
      assert.equal(variant.commitments.length, original.commitments.length, `${template.file} seed ${seed}: commitments`);
    }
  }
});

test('an ingested synthetic corpus parses every file, with distinct 发文字号 and mostly distinct chunks', async (t) => {
  const dir = await tempDir(t, 'dafu-syn-');
  const corpus = await writeSyntheticCorpus(SAMPLE_CORPUS, join(dir, 'corpus'), 10, 3);
  const names = (await readdir(corpus.dir)).sort();
  assert.equal(names.length, 10);
  const again = await writeSyntheticCorpus(SAMPLE_CORPUS, join(dir, 'again'), 1, 3);
  assert.equal(await readFile(join(again.dir, names[0]!), 'utf8'), await readFile(join(corpus.dir, names[0]!), 'utf8'), 'the same seed writes the same file');

  const config = tinyModelConfig();
  const embeddings = createEmbeddings(config);
  t.after(() => embeddings.dispose());
  const storeDir = join(dir, 'store');
  const summary = await runIngest({ corpusDir: corpus.dir, storeDir, config, embeddings });
  assert.deepEqual(summary.skipped, []);
  assert.equal(summary.documents, 10);
  const store = await openStore(storeDir, { embeddings });
  // One of the five samples states no 发文字号, so two variants of ten have none.
  const docNumbers = store.replies.map((r) => r.docNumber).filter(Boolean);
  assert.equal(docNumbers.length, 8);
  assert.equal(new Set(docNumbers).size, docNumbers.length, 'no two variants share a 发文字号');
  const chunks = store.replies.flatMap((r) => store.chunksOf(r.id).map((c) => c.pageContent));
  const distinct = new Set(chunks).size / chunks.length;
  assert.ok(distinct > 0.8, `only ${(distinct * 100).toFixed(0)}% of the chunks are distinct`);
});

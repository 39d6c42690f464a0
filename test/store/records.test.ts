import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chunkReply } from '../../ingest/chunk.ts';
import { normalize } from '../../ingest/normalize.ts';
import { parseReply } from '../../ingest/parse/index.ts';
import { decodeRecords, encodeRecords } from '../../src/store/records.ts';
import type { RecordsFile } from '../../src/store/layout.ts';
import type { StoredChunk, StoredReply } from '../../src/store/types.ts';
import { SAMPLE_CORPUS, sampleFiles } from '../helpers/store.ts';

/** Records of the sample corpus as ingest makes them (small chunks, so long sections have several overlapping parts). */
async function sampleRecords(): Promise<RecordsFile> {
  const replies: StoredReply[] = [];
  const chunks: StoredChunk[] = [];
  for (const [n, file] of (await sampleFiles()).entries()) {
    const parsed = parseReply(normalize(await readFile(join(SAMPLE_CORPUS, file), 'utf8')), file);
    const hash = `${n}`.padStart(64, '0');
    const docs = chunkReply(parsed, { fileHash: hash, chunkSize: 120, overlap: 30 });
    const replyId = hash.slice(0, 16) + n;
    const mine = docs.map((d) => ({ id: d.metadata.id, replyId, pageContent: d.pageContent, metadata: d.metadata }));
    chunks.push(...mine);
    replies.push({ ...parsed, id: replyId, hash, chunkIds: mine.map((c) => c.id) });
  }
  return { replies, chunks };
}

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

test('records come back from their compact form exactly as written, at a fraction of the size', async () => {
  const records = await sampleRecords();
  assert.ok(records.chunks.some((c) => c.metadata.parts > 1), 'the sample has split sections');
  assert.ok(records.replies.some((r) => r.commitments.length > 0), 'the sample has commitments');
  const text = JSON.stringify(encodeRecords(records));
  assert.ok(Buffer.byteLength(text) < Buffer.byteLength(JSON.stringify(records)) / 2.5);
  const back = decodeRecords(JSON.parse(text));
  assert.deepEqual(plain(back.replies), plain(records.replies));
  const byId = new Map(records.chunks.map((c) => [c.id, c]));
  assert.equal(back.chunks.length, records.chunks.length);
  for (const c of back.chunks) assert.deepEqual(plain(c), plain(byId.get(c.id)));
});

test('a chunk or commitment that is not a slice of its section is kept verbatim, not altered', async () => {
  const records = await sampleRecords();
  const reply = records.replies.find((r) => r.commitments.length > 0)!;
  const chunk = records.chunks.find((c) => c.id === reply.chunkIds[1])!;
  chunk.metadata = { ...chunk.metadata, text: '不在任何章节里的文字' };
  chunk.pageContent = `另一个标题\n${chunk.metadata.text}`;
  reply.commitments[0] = { ...reply.commitments[0]!, text: '不在章节里的承诺' };
  const back = decodeRecords(JSON.parse(JSON.stringify(encodeRecords(records))));
  const again = back.chunks.find((c) => c.id === chunk.id)!;
  assert.deepEqual(plain(again), plain(chunk));
  assert.deepEqual(back.replies.find((r) => r.id === reply.id)!.commitments[0], reply.commitments[0]);
});

test('anything that is not a records file is refused', () => {
  assert.throws(() => decodeRecords({ replies: [], chunks: [] }), /not a dafu records file/);
  assert.throws(() => decodeRecords(null), /not a dafu records file/);
});

test('records streamed reply by reply are byte for byte the records encoded at once', async (t) => {
  const { RecordsWriter } = await import('../../ingest/store/records-stream.ts');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'dafu-records-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const records = await sampleRecords();
  const out = await RecordsWriter.open(join(dir, 'records.json'));
  for (const reply of records.replies) await out.add(reply, records.chunks.filter((c) => c.replyId === reply.id));
  await out.finish();
  assert.equal(await readFile(join(dir, 'records.json'), 'utf8'), JSON.stringify(encodeRecords(records)));
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Document } from '@langchain/core/documents';
import { chunkReply, splitText, sentences, DEFAULT_CHUNK_SIZE } from '../../ingest/chunk.ts';
import { parseReply } from '../../ingest/parse/index.ts';
import type { ParsedReply } from '../../src/types.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'corpus');
const files = readdirSync(CORPUS).sort();
const reply = (prefix: string): ParsedReply => {
  const f = files.find((x) => x.startsWith(prefix))!;
  return parseReply(readFileSync(join(CORPUS, f), 'utf8'), f);
};

describe('splitText', () => {
  test('short text is one part, unchanged', () => {
    assert.deepEqual(splitText('第一句。第二句。', 500, 80), ['第一句。第二句。']);
  });

  test('splits only at sentence ends, every part within budget, with whole-sentence overlap', () => {
    const s = (n: number) => `第${n}句${'字'.repeat(20)}。`; // 24 characters each
    const text = Array.from({ length: 10 }, (_, i) => s(i)).join('');
    const parts = splitText(text, 60, 30);
    assert.ok(parts.length > 1);
    for (const p of parts) {
      assert.ok(p.length <= 60, `part within budget: ${p.length}`);
      assert.ok(p.endsWith('。'), 'ends at a sentence end');
      assert.ok(text.includes(p), 'verbatim substring');
    }
    // Consecutive parts share the last sentence of the previous one.
    assert.ok(parts[1]!.startsWith(parts[0]!.slice(-24)));
    // Nothing is lost: every sentence is in some part.
    for (let i = 0; i < 10; i++) assert.ok(parts.some((p) => p.includes(s(i))), `sentence ${i}`);
  });

  test('splits at ！？； and line ends too', () => {
    assert.deepEqual(
      sentences('甲！乙？丙；丁\n戊。').map((x) => x.end - x.start),
      [2, 2, 2, 1, 2],
    );
  });

  test('cuts mid-sentence only when one sentence exceeds the budget', () => {
    const long = '长'.repeat(250) + '。';
    const parts = splitText(`短句。${long}短句二。`, 100, 20);
    assert.equal(parts[0], '短句。');
    assert.ok(parts.slice(1, -1).every((p) => p.length <= 100 && long.includes(p)));
    assert.equal(parts[parts.length - 1], '短句二。');
    assert.equal(parts.slice(1, -1).map((p, i) => (i === 0 ? p : p.slice(20))).join(''), long, 'windows overlap by 20 and cover the sentence');
  });
});

describe('chunkReply on the sample corpus', () => {
  test('one chunk per section with text, in order; long sections split; header + body', () => {
    const r = reply('000');
    const docs = chunkReply(r, { fileHash: 'h000' });
    assert.ok(docs.every((d) => d instanceof Document));
    assert.deepEqual(docs.map((d) => d.metadata.order), docs.map((_, i) => i));
    const withText = r.sections.filter((s) => s.text !== '');
    assert.deepEqual([...new Set(docs.map((d) => d.metadata.section.join(' > ')))], withText.map((s) => s.path.join(' > ')));
    for (const d of docs) {
      assert.ok(d.metadata.text.length <= DEFAULT_CHUNK_SIZE);
      const section = r.sections.find((s) => s.path.join('>') === d.metadata.section.join('>'))!;
      assert.ok(section.text.includes(d.metadata.text), 'body is a verbatim substring of its section');
      assert.equal(d.pageContent, `《关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议》 > ${d.metadata.section.join(' > ')}\n${d.metadata.text}`);
      assert.equal(d.id, d.metadata.id);
    }
    const four = docs.filter((d) => d.metadata.section[0] === '四、探索智能化与数字化转型');
    assert.equal(four.length, 4, 'the 1462-character section is split');
    assert.deepEqual(four.map((d) => [d.metadata.part, d.metadata.parts]), [[0, 4], [1, 4], [2, 4], [3, 4]]);
    assert.ok(four.every((d) => /[。！？；]$/.test(d.metadata.text)), 'parts end at sentence ends');
  });

  test('metadata carries every reply field, file, section, order, part, parts and text', () => {
    const r = reply('002');
    const [first] = chunkReply(r, { fileHash: 'h' });
    assert.deepEqual(Object.keys(first!.metadata).sort(), [
      'category', 'categoryNumber', 'coHandlers', 'contact', 'damaged', 'date', 'docNumber', 'file', 'id', 'indexNumber', 'issuer', 'kind',
      'order', 'part', 'parts', 'proposalNumber', 'proposalTitle', 'publishedDate', 'recipient', 'result', 'role', 'section', 'session', 'signer',
      'text', 'title',
    ]);
    assert.equal(first!.metadata.docNumber, '吉科发高〔2024〕74号');
    // Each chunk knows its part of the reply: the front matter opens it, the sign-off closes it.
    const roles = chunkReply(r, { fileHash: 'h' }).map((d) => d.metadata.role);
    assert.equal(roles[0], 'opening');
    assert.equal(roles[roles.length - 1], 'closing');
    assert.equal(first!.metadata.file, '002_0bd37d7d743fadf3.txt');
    const plan = chunkReply(r, { fileHash: 'h' }).find((d) => d.metadata.section.join('>') === '一、关于“加速成果落地”的建议>（三）下步打算')!;
    assert.ok(plan.pageContent.startsWith('《关于加速人工智能科技创新的建议》 > 一、关于“加速成果落地”的建议 > （三）下步打算\n'), 'a 下步打算 chunk knows what it is about');
    assert.ok(!plan.metadata.text.includes('下步打算'), 'the body shown to users has no header');
  });

  test('a parent section with its own text keeps it as a chunk (004 二、下步工作安排)', () => {
    const docs = chunkReply(reply('004'), { fileHash: 'h' });
    const own = docs.filter((d) => d.metadata.section.length === 1 && d.metadata.section[0] === '二、下步工作安排');
    assert.equal(own.length, 1);
    assert.ok(own[0]!.metadata.text.startsWith('深入实施先进制造业集群梯次培育行动'));
    assert.ok(!docs.some((d) => d.metadata.section.length === 1 && d.metadata.section[0] === '一、开展的主要工作'), 'a parent without own text gives no chunk');
  });

  test('ids are stable for the same content and differ for other content', () => {
    const a = chunkReply(reply('001'), { fileHash: 'same' }).map((d) => d.metadata.id);
    const b = chunkReply(reply('001'), { fileHash: 'same' }).map((d) => d.metadata.id);
    const c = chunkReply(reply('001'), { fileHash: 'other' }).map((d) => d.metadata.id);
    assert.deepEqual(a, b);
    assert.equal(new Set(a).size, a.length, 'unique within a reply');
    assert.ok(a.every((id, i) => id !== c[i]));
  });

  test('the budget and overlap are configurable and checked', () => {
    const r = reply('003');
    const small = chunkReply(r, { fileHash: 'h', chunkSize: 150, overlap: 0 });
    const big = chunkReply(r, { fileHash: 'h', chunkSize: 2000, overlap: 0 });
    assert.ok(small.length > big.length);
    assert.ok(small.every((d) => d.metadata.text.length <= 150 || !/[。！？；]/.test(d.metadata.text.slice(0, -1))));
    assert.equal(big.length, r.sections.filter((s) => s.text !== '').length);
    assert.throws(() => chunkReply(r, { fileHash: 'h', chunkSize: 100, overlap: 100 }), /CHUNK_OVERLAP/);
    assert.throws(() => chunkReply(r, { fileHash: 'h', chunkSize: 0 }), /CHUNK_SIZE/);
  });

  // The evaluation set lives next to the checkout when present; a fresh clone may not have it.
  const questions = [join(import.meta.dirname, '..', '..', 'eval', 'questions.jsonl'), '/work/shared/eval/questions.jsonl'].find((p) => existsSync(p));
  test('the eval quotes of the corpus are findable in some chunk (after normalizing the quote)', { skip: !questions && 'no eval/questions.jsonl' }, async () => {
    const { normalize } = await import('../../ingest/normalize.ts');
    const lines = readFileSync(questions!, 'utf8').split('\n').filter(Boolean);
    const byFile = new Map(files.map((f) => [f, chunkReply(reply(f.slice(0, 3)), { fileHash: f })]));
    for (const line of lines) {
      const q = JSON.parse(line) as { id: string; doc?: string; quote?: string };
      if (!q.quote || !q.doc || !byFile.has(q.doc)) continue;
      const quote = normalize(q.quote);
      assert.ok(byFile.get(q.doc)!.some((d) => d.metadata.text.includes(quote)), `${q.id}: ${quote}`);
    }
  });
});

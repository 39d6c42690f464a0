import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldVariants } from '../../src/domain/fold.ts';
import { tokenize } from '../../src/search/tokenize.ts';
import { parseReply } from '../../ingest/parse/index.ts';

const REPLIES = join(import.meta.dirname, '..', 'fixtures', 'replies');

test('folding is character for character: same length, simplified text unchanged', () => {
  const t = '對省十四屆人大二次會議第123號建議的答覆\n聯繫人：張三';
  const f = foldVariants(t);
  assert.equal(f, '对省十四届人大二次会议第123号建议的答复\n联系人：张三');
  assert.equal(f.length, t.length);
  const simplified = readFileSync(join(import.meta.dirname, '..', '..', 'corpus', '001_df39bc2c45c1e4b7.txt'), 'utf8');
  assert.equal(foldVariants(simplified), simplified);
});

test('a simplified question shares its search tokens with a traditional-character reply', () => {
  assert.deepEqual(tokenize('關於加快宮花村道路拓寬工程的建議'), tokenize('关于加快宫花村道路拓宽工程的建议'));
  assert.deepEqual(tokenize('湘政建復〔2024〕1號'), tokenize('湘政建复〔2024〕1号'));
});

test('a traditional-character reply is parsed through the folded text but keeps its own characters', () => {
  const r = parseReply(readFileSync(join(REPLIES, 'yangshan-jtj-27.txt'), 'utf8'), 'yangshan-jtj-27.txt');
  assert.equal(r.issuer, '陽山縣交通運輸局');
  assert.equal(r.kind, '代表建议', 'kind is dafu vocabulary, not text');
  assert.match(r.proposalTitle ?? '', /^關[於于]加快江英鎮/);
});

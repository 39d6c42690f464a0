/**
 * The parser against 161 real replies captured from public pages all over
 * China (test/fixtures/replies, with the expected parse written by people
 * reading each text): every field of every reply is compared with the
 * manifest. The bar is 95% of all checks exact and no field below 85%; the
 * misses are printed so a change that trades one reply for another shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accuracy, checkFixtures, fixtureEntries, REPLIES_DIR } from '../helpers/fixture-replies.ts';
import { replyText } from '../../ingest/parse/index.ts';

const entries = fixtureEntries();

test('the fixture corpus: at least 95 replies from at least 20 provinces and every level', () => {
  assert.ok(entries.length >= 95, `${entries.length} replies`);
  assert.ok(new Set(entries.map((e) => e.province)).size >= 20);
  for (const level of ['国务院部门', '省', '市', '县', '街道乡镇']) assert.ok(entries.some((e) => e.level === level), level);
  for (const e of entries) assert.match(e.source, /^https?:\/\//, `${e.file} has its source address`);
});

test('every field of every fixture reply: at least 95% exact, no field below 85%', () => {
  const checks = checkFixtures(entries);
  const { overall, byField } = accuracy(checks);
  const misses = checks.filter((c) => !c.ok);
  const report = misses.map((c) => `${c.file} ${c.field}: want ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}`).join('\n');
  console.log(`fixture replies: ${(overall * 100).toFixed(1)}% of ${checks.length} checks exact; ${misses.length} misses\n${report}`);
  assert.ok(overall >= 0.95, `overall ${(overall * 100).toFixed(1)}%`);
  for (const [field, { ok, n }] of Object.entries(byField)) assert.ok(ok / n >= 0.85, `${field}: ${ok}/${n}`);
});

test('never a field from furniture: no value holds breadcrumbs, counters, share bars or other replies', () => {
  const FURNITURE = /当前位置|您当前所在|首页\s*>|字号|分享到|扫一扫|二维码|访问量|浏览次数|阅读量|上一篇|下一篇|上一条|下一条|打印本页|关闭窗口|ICP备/;
  for (const e of entries) {
    const r = checkFixtures([e]);
    for (const c of r) if (typeof c.actual === 'string') assert.doesNotMatch(c.actual, FURNITURE, `${e.file} ${c.field}: ${c.actual}`);
  }
});

test('every string field the parser reads is cut from the reply text verbatim (traditional stays traditional)', () => {
  for (const e of entries) {
    const text = replyText(readFileSync(join(REPLIES_DIR, e.file), 'utf8')).replace(/\n/g, '');
    for (const c of checkFixtures([e])) {
      if (['title', 'docNumber', 'issuer', 'recipient', 'proposalTitle', 'session', 'signer'].includes(c.field) && typeof c.actual === 'string') {
        assert.ok(text.includes(c.actual), `${e.file} ${c.field} 「${c.actual}」 is in the text`);
      }
    }
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, renderAnswer } from '../../src/bot/html.ts';
import { splitHtml } from '../../src/bot/split.ts';
import { htmlProblems, visibleText } from '../helpers/telegram-html.ts';

const squash = (s: string) => s.replace(/\s+/g, '');

describe('splitHtml', () => {
  it('leaves a message under the limit alone', () => {
    assert.deepEqual(splitHtml('<b>短</b>'), ['<b>短</b>']);
  });

  it('cuts at paragraph breaks when it can', () => {
    const paras = Array.from({ length: 6 }, (_, i) => `第${i}段` + '字'.repeat(300));
    const parts = splitHtml(paras.join('\n\n'), 1000);
    for (const p of parts) {
      assert.ok(p.length <= 1000);
      assert.ok(p.split('\n\n').every((x) => /^第\d段字+$/.test(x)), 'no paragraph was cut in two');
    }
    assert.equal(squash(parts.join('')), squash(paras.join('')));
  });

  it('closes and reopens a tag that spans a cut, and never splits an entity or a surrogate pair', () => {
    const body = ('甲&amp;乙&lt;丙&gt;😀。').repeat(200);
    const html = `<b>标题</b>\n<blockquote>${body}</blockquote>`;
    const parts = splitHtml(html, 500);
    assert.ok(parts.length > 3);
    for (const p of parts) {
      assert.ok(p.length <= 500, `${p.length}`);
      assert.deepEqual(htmlProblems(p), [], p);
      assert.ok(!/[\uD800-\uDBFF]$/.test(visibleText(p).trimEnd()), 'no lone high surrogate at the end');
    }
    assert.ok(parts.slice(1).every((p) => p.startsWith('<blockquote>')));
    assert.equal(squash(parts.map(visibleText).join('')), squash(visibleText(html)));
  });

  it('hard-cuts a paragraph without breaks, losing nothing', () => {
    const html = '<i>' + 'x'.repeat(5000) + '</i>';
    const parts = splitHtml(html);
    assert.equal(parts.length, 2);
    for (const p of parts) assert.ok(p.length <= 4096 && htmlProblems(p).length === 0);
    assert.equal(parts.map(visibleText).join(''), 'x'.repeat(5000));
  });
});

describe('renderAnswer', () => {
  it('escapes corpus and question text and lists sources with 【n】', () => {
    const html = renderAnswer({
      question: 'q',
      resolvedQuestion: 'q',
      found: true,
      kind: 'extractive',
      answer: 'a < b & c > d [1]',
      citations: [{ n: 1, chunkId: 'c', file: 'f.txt', title: '标题<x>', proposalTitle: null, docNumber: '〔2025〕6号', issuer: null, date: '2025-05-27', section: ['一、', '（一）'], text: 't' }],
      related: [],
      timings: {},
    });
    assert.deepEqual(htmlProblems(html), []);
    assert.ok(html.includes('a &lt; b &amp; c &gt; d [1]'));
    assert.ok(visibleText(html).includes('【1】标题<x> · 〔2025〕6号 · 一、 › （一） · 2025年5月27日'));
    assert.equal(escapeHtml('"<&>"'), '&quot;&lt;&amp;&gt;&quot;');
  });
});

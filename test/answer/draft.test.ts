/** Drafts: answers as data — quotes and our own words with their sources — rendered to [n] only at the end, and verified as data. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DraftBuilder, renderDraft, verifyDraft } from '../../src/answer/citations.ts';
import { composeExtractive, composePerReply } from '../../src/answer/extractive.ts';
import type { StoredChunk } from '../../src/store/types.ts';
import { storedReply } from '../helpers/records.ts';

const reply = storedReply({ file: 'a.txt', title: '关于某建议的答复' });
const chunk = (id: string, text: string): StoredChunk =>
  ({ id, replyId: reply.id, pageContent: text, metadata: { ...reply, id, file: 'a.txt', section: ['一、'], order: 0, part: 0, parts: 1, text } }) as unknown as StoredChunk;
const c1 = chunk('c1', '依据吉政办发[2017]5号文件，累计支持120个项目。下一步将继续支持。');
const c2 = chunk('c2', '省科技厅牵头组建创新联盟。');

describe('drafts', () => {
  test('a quote keeps a bracketed year of its own, and the check reads sources from the draft, not from markers in the text', () => {
    const b = new DraftBuilder();
    b.own('省科技厅。');
    b.quote('依据吉政办发[2017]5号文件，累计支持120个项目。', c1, reply);
    const { draft, answer, citations } = b.result();
    assert.equal(answer, '省科技厅。\n依据吉政办发[2017]5号文件，累计支持120个项目。[1]');
    assert.deepEqual(verifyDraft(draft, citations), { valid: true, problems: [] });
  });

  test('a quote that is not verbatim, a source that is not shown, or our own words quoting what no source says fail the check', () => {
    const b = new DraftBuilder();
    b.quote('累计支持120个项目。', c1, reply);
    const { draft, citations } = b.result();
    const bent = { lines: [{ ...draft.lines[0]!, text: '累计支持200个项目。' }] };
    assert.equal(verifyDraft(bent, citations).valid, false);
    assert.equal(verifyDraft({ lines: [{ ...draft.lines[0]!, sources: [7] }] }, citations).valid, false);
    assert.equal(verifyDraft({ lines: [{ lead: '', text: '答复说「全部解决」。', quote: false, sources: [1], tail: '' }] }, citations).valid, false);
    assert.equal(verifyDraft({ lines: [{ lead: '', text: '答复说「累计支持120个项目」。', quote: false, sources: [1], tail: '' }] }, citations).valid, true);
  });

  test('rendering puts the sources of each line after its words and before its tail; another marker style is one argument', () => {
    const b = new DraftBuilder();
    const n1 = b.cite(c1, reply);
    const n2 = b.cite(c2, reply);
    b.own('正文共 2 个部分，见来源', [n1, n2], '', '。');
    const { draft } = b.result();
    assert.equal(renderDraft(draft), '正文共 2 个部分，见来源[1][2]。');
    assert.equal(renderDraft(draft, (n) => `【${n}】`), '正文共 2 个部分，见来源【1】【2】。');
  });

  test('the extractive composers build quote lines, with headings and leads as our own words', () => {
    const passage = (c: StoredChunk) => ({ chunk: c, reply, score: 1, ranks: {}, scores: {}, relevance: 1 });
    const sentence = (c: StoredChunk, text: string) => ({ start: c.metadata.text.indexOf(text), end: c.metadata.text.indexOf(text) + text.length, text });
    const picked = [{ passage: passage(c2), sentence: sentence(c2, '省科技厅牵头组建创新联盟。'), score: 1, coverage: 1 }];
    const e = composeExtractive(picked, '省科技厅。');
    assert.deepEqual(e.draft.lines.map((l) => [l.quote, l.text]), [[false, '省科技厅。'], [true, '省科技厅牵头组建创新联盟。']]);
    const p = composePerReply([picked], () => '关于某建议的答复');
    assert.deepEqual(p.draft.lines.map((l) => [l.quote, l.lead, l.text]), [[false, '', '关于某建议的答复：'], [true, '· ', '省科技厅牵头组建创新联盟。']]);
    assert.equal(verifyDraft(p.draft, p.citations).valid, true);
  });
});

/**
 * Pure parts of the answer side: fusion, lookup, departments, filters,
 * sentence spans, citation checks, follow-up resolution, calibration.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calibrateThreshold } from '../../src/answer/abstain.ts';
import { checkAnswer, citedPieces, quotations } from '../../src/answer/citations.ts';
import { itemMarker, parseOrdinal, resolveFollowUp } from '../../src/answer/conversation.ts';
import { canonicalDepartment, findDepartments } from '../../src/domain/departments.ts';
import { askedFields } from '../../src/answer/fields.ts';
import { parseFilters, replyYear } from '../../src/answer/filters.ts';
import { contactText, formatSourceLine } from '../../src/answer/format.ts';
import { capPerGroup, fuse } from '../../src/answer/fuse.ts';
import { findReplyByNumber, lookup, recipientName } from '../../src/answer/lookup.ts';
import { foldForMatch, normalizeQuestion, splitSentences } from '../../src/answer/text.ts';
import type { Citation, Conversation } from '../../src/answer/types.ts';
import { storedReply } from '../helpers/records.ts';

const reply = storedReply;

const REPLIES = [
  reply({ file: 'a.txt', docNumber: '吉工信议案〔2025〕6号', proposalNumber: '0147', recipient: '徐凤娟代表', issuer: '吉林省工业和信息化厅', kind: '代表建议', date: '2025-05-27' }),
  reply({ file: 'b.txt', docNumber: '吉科发高〔2024〕74号', proposalNumber: '2024W298', recipient: '孙昭艳委员', issuer: '吉林省科学技术厅', kind: '委员提案' }),
  reply({ file: 'c.txt', docNumber: '吉工信议案〔2025〕43号', proposalNumber: '41', recipient: '省工商联', issuer: '吉林省工业和信息化厅', kind: '党派团体提案' }),
  reply({ file: 'd.txt', docNumber: '吉科发〔2025〕6号', recipient: '张立华代表', issuer: '吉林省科学技术厅' }),
];

function cite(n: number, text: string): Citation {
  return { n, chunkId: `c${n}`, file: 'a.txt', title: 't', proposalTitle: null, docNumber: null, issuer: null, date: null, section: [], text };
}

describe('fusion', () => {
  it('RRF rewards ids both retrievers agree on and keeps each retriever’s rank and score', () => {
    const fused = fuse([
      { name: 'dense', hits: [{ id: 'a', score: 0.9 }, { id: 'b', score: 0.8 }, { id: 'd', score: 0.3 }, { id: 'c', score: 0.1 }] },
      { name: 'lexical', hits: [{ id: 'c', score: 12 }, { id: 'b', score: 7 }] },
    ]);
    assert.equal(fused[0]?.id, 'b');
    assert.deepEqual(fused[0]?.ranks, { dense: 2, lexical: 2 });
    assert.deepEqual(fused[0]?.scores, { dense: 0.8, lexical: 7 });
    assert.ok(Math.abs((fused[0]?.score ?? 0) - 2 / 62) < 1e-12);
  });
  it('weighted fusion normalizes each list so BM25’s scale does not swamp cosine similarity', () => {
    const fused = fuse(
      [
        { name: 'dense', hits: [{ id: 'a', score: 0.9 }, { id: 'b', score: 0.5 }] },
        { name: 'lexical', hits: [{ id: 'b', score: 100 }, { id: 'a', score: 99 }] },
      ],
      { method: 'weighted', weights: { dense: 2, lexical: 1 } },
    );
    assert.equal(fused[0]?.id, 'a');
  });
  it('caps hits per reply so one long reply cannot fill the top results', () => {
    const hits = ['a1', 'a2', 'a3', 'b1', 'a4', 'c1'];
    assert.deepEqual(capPerGroup(hits, (h) => h[0] as string, 2, 4), ['a1', 'a2', 'b1', 'c1']);
  });
});

describe('exact lookup', () => {
  it('finds document numbers, proposal numbers and names in a question', () => {
    assert.deepEqual(lookup('吉科发高〔2024〕74号是回哪个提案的？', REPLIES).targets.map((r) => r.file), ['b.txt']);
    assert.deepEqual(lookup('〔2024〕74号', REPLIES).targets.map((r) => r.file), ['b.txt']);
    assert.deepEqual(lookup('吉科发高[2024]74号', REPLIES).targets.map((r) => r.file), ['b.txt']);
    // 〔2025〕6号 exists twice: the stated prefix decides.
    assert.deepEqual(lookup('吉工信议案〔2025〕6号', REPLIES).targets.map((r) => r.file), ['a.txt']);
    assert.deepEqual(lookup('第0147号代表建议', REPLIES).targets.map((r) => r.file), ['a.txt']);
    assert.deepEqual(lookup('147号建议', REPLIES).targets.map((r) => r.file), ['a.txt']);
    assert.deepEqual(lookup('2024w298号提案', REPLIES).targets.map((r) => r.file), ['b.txt']);
    assert.deepEqual(lookup('第41号提案', REPLIES).targets.map((r) => r.file), ['c.txt']);
    assert.deepEqual(lookup('徐凤娟代表提了什么', REPLIES).targets.map((r) => r.file), ['a.txt']);
    assert.deepEqual(lookup('工商联提的那份', REPLIES).targets.map((r) => r.file), ['c.txt']);
    const two = lookup('0147号建议和2024W298号提案', REPLIES);
    assert.deepEqual(two.targets.map((r) => r.file).sort(), ['a.txt', 'b.txt']);
    assert.deepEqual(lookup('第0999号建议', REPLIES).unmatched, ['0999']);
    assert.deepEqual(lookup('2024年支持了多少项目', REPLIES).targets, []);
  });
  it('reads names from recipients and looks replies up loosely by number', () => {
    assert.equal(recipientName('徐凤娟代表'), '徐凤娟');
    assert.equal(recipientName('尊敬的孙昭艳委员：'), '孙昭艳');
    assert.equal(recipientName('省工商联'), null);
    assert.equal(findReplyByNumber('0147', REPLIES)?.file, 'a.txt');
    assert.equal(findReplyByNumber('〔2025〕43号', REPLIES)?.file, 'c.txt');
    assert.equal(findReplyByNumber('D27', REPLIES), null);
  });
});

describe('departments', () => {
  it('maps full names, short names and bare names to one canonical form', () => {
    assert.equal(canonicalDepartment('吉林省科学技术厅'), '省科技厅');
    assert.equal(canonicalDepartment('科技厅'), '省科技厅');
    assert.equal(canonicalDepartment('吉林省工业和信息化厅'), '省工信厅');
    assert.equal(canonicalDepartment('吉林省某某新厅'), '省某某新厅');
    // A traditional-character page names the same body: one canonical (simplified) name for both.
    assert.equal(canonicalDepartment('交通運輸部'), canonicalDepartment('交通运输部'));
    assert.equal(canonicalDepartment('吉林省科學技術廳'), '省科技厅');
    assert.deepEqual(findDepartments('那省科技厅呢？').map((d) => d.department), ['省科技厅']);
    assert.deepEqual(findDepartments('省委组织部、省教育厅、省工信厅联合印发').map((d) => d.department), ['省委组织部', '省教育厅', '省工信厅']);
    assert.deepEqual(findDepartments('发改委和吉林省科学技术厅').map((d) => d.department), ['省发改委', '省科技厅']);
  });
  it('reads every province alike, not only 吉林: the province name becomes 省, and stays part of the mention as written', () => {
    assert.equal(canonicalDepartment('浙江省交通运输厅'), '省交通运输厅');
    assert.equal(canonicalDepartment('广西壮族自治区卫生健康委员会'), '省卫健委');
    assert.equal(canonicalDepartment('福建省某某新厅'), '省某某新厅');
    assert.equal(canonicalDepartment('中共黑龙江省委组织部'), '省委组织部');
    // A city's department keeps its city: 赣州's 交通运输局 is not 银川's.
    assert.equal(canonicalDepartment('赣州市交通运输局'), '赣州市交通运输局');
    assert.deepEqual(findDepartments('由福建省交通运输厅会同省发改委办理').map((d) => [d.department, d.text]), [['省交通运输厅', '福建省交通运输厅'], ['省发改委', '省发改委']]);
  });
});

describe('filters from the question', () => {
  it('takes only unambiguous statements', () => {
    assert.deepEqual(parseFilters('省科技厅的答复里人工智能怎么说'), { department: '省科技厅' });
    assert.deepEqual(parseFilters('2024年的答复说了什么'), { year: '2024' });
    // A year about the content, or two years compared, is not a filter.
    assert.deepEqual(parseFilters('2024年支持了多少个项目'), {});
    assert.deepEqual(parseFilters('2024年和2025年的答复分别说了多少'), {});
    assert.deepEqual(parseFilters('委员提案里关于人工智能的'), { kind: '委员提案' });
    assert.deepEqual(parseFilters('0147号建议和2025W233号提案'), {});
    assert.deepEqual(parseFilters('省十四届人大四次会议上的建议'), { session: '省十四届人大四次会议' });
  });
  it('recognises questions about a reply’s own record', () => {
    assert.deepEqual(askedFields('张立华代表那份答复落款是哪天？'), ['date']);
    assert.deepEqual(askedFields('第0147号代表建议是哪份答复？文号多少？'), ['proposal', 'docNumber']);
    assert.deepEqual(askedFields('是哪个厅答复的？'), ['issuer']);
    // Whom to contact, however it is asked, is the signature's 联系人; 「谁负责」 is not.
    for (const q of ['小磨高速那件建议找谁联系？', '这份复函有问题找谁？电话多少？', '要对接的话找谁，电话多少？', '留的联系电话是多少？']) assert.deepEqual(askedFields(q), ['contact'], q);
    assert.deepEqual(askedFields('镇里指定谁负责办理？'), []);
    // The contact as the signature words it: a person, or a unit (「联系单位及电话：交通运输部综合规划司，010-…」).
    assert.equal(contactText('王小飞 0431-87077670'), '联系人：王小飞，联系电话：0431-87077670');
    assert.equal(contactText('交通运输部综合规划司，010-65293177'), '联系单位：交通运输部综合规划司，联系电话：010-65293177');
    assert.equal(contactText('3221671'), '联系电话：3221671');
    assert.deepEqual(askedFields('负责邀请通钢的是哪个部门？'), []);
  });
});

describe('reply year', () => {
  it('falls back from the date to the publication date to the 发文字号 year', () => {
    assert.equal(replyYear({ date: '2025-05-27', publishedDate: '2025-07-01', docNumber: '吉工信议案〔2024〕6号' }), '2025');
    assert.equal(replyYear({ date: null, publishedDate: '2025-07-01', docNumber: null }), '2025');
    assert.equal(replyYear({ date: null, publishedDate: null, docNumber: '吉科发高〔2024〕74号' }), '2024');
    assert.equal(replyYear({ date: null, publishedDate: null, docNumber: null }), null);
  });
});

describe('text', () => {
  it('splits sentences as verbatim spans', () => {
    const text = '一是组建联盟；二是支持建设。三是“双千工程”。\n四是加强引导';
    const spans = splitSentences(text);
    assert.deepEqual(spans.map((s) => s.text), ['一是组建联盟；', '二是支持建设。', '三是“双千工程”。', '四是加强引导']);
    for (const s of spans) assert.equal(text.slice(s.start, s.end), s.text);
  });
  it('folds whitespace and full/half-width punctuation for quote matching, and normalizes typed questions', () => {
    assert.equal(foldForMatch('累计支持 120 个'), foldForMatch('累计支持120个'));
    assert.equal(foldForMatch('59个项目,预计'), foldForMatch('59个项目，预计'));
    assert.equal(normalizeQuestion('２０２５ 年 的 答复'), '2025年的答复');
  });
});

describe('citation checks', () => {
  it('accepts verbatim sentences with resolving markers', () => {
    const citations = [cite(1, '省科技厅每年支持84项。下一步将继续。'), cite(2, '联系人：王小飞')];
    assert.deepEqual(checkAnswer({ kind: 'extractive', answer: '省科技厅每年支持84项。[1]\n联系人：王小飞[2]', citations }).problems, []);
    assert.deepEqual(citedPieces('省科技厅：\n· 下一步将继续。[1]'), [{ text: '下一步将继续。', n: 1 }]);
  });
  it('rejects a dangling marker, an altered sentence and a quotation that is not verbatim', () => {
    const citations = [cite(1, '省科技厅每年支持84项。')];
    assert.equal(checkAnswer({ kind: 'extractive', answer: '省科技厅每年支持84项。[2]', citations }).valid, false);
    assert.equal(checkAnswer({ kind: 'extractive', answer: '省科技厅每年支持85项。[1]', citations }).valid, false);
    assert.equal(checkAnswer({ kind: 'llm', answer: '答复说「每年支持85项」。[1]', citations }).valid, false);
    assert.equal(checkAnswer({ kind: 'llm', answer: '答复说「每年支持84项」。[1]', citations }).valid, true);
  });
  it('does not take the quote marks inside a 《title》 for a quotation of the passage', () => {
    const citations = [cite(1, '下一步将继续。')];
    const answer = '  ▸ 《关于融入共建“一带一路”的建议》的答复（徐凤娟代表）\n  · 下一步将继续。[1]';
    assert.deepEqual(checkAnswer({ kind: 'commitments', answer, citations }).problems, []);
    assert.deepEqual(quotations('《共建“一带一路”》说“每年支持”'), ['每年支持']);
  });
  it('formats a source line from what the citation states, leaving out what it does not', () => {
    const c = { ...cite(3, 'x'), proposalTitle: '关于加速人工智能科技创新的建议', docNumber: '吉科发高〔2024〕74号', section: ['一、关于“加速成果落地”的建议', '（二）主要成效'], date: '2025-05-27' };
    assert.equal(formatSourceLine(c), '【3】《关于加速人工智能科技创新的建议》 · 吉科发高〔2024〕74号 · 一、关于“加速成果落地”的建议 › （二）主要成效 · 2025年5月27日');
    assert.equal(formatSourceLine({ ...cite(1, 'x'), title: null }), '【1】a.txt');
  });
});

describe('follow-ups', () => {
  const conv = (question: string, citations: Citation[] = [cite(1, 'a'), cite(2, 'b')]): Conversation => ({ turns: [{ question, resolvedQuestion: question, citations, at: 0 }] });
  it('swaps the department of the previous question', () => {
    assert.deepEqual(resolveFollowUp('那省科技厅呢？', conv('省商务厅下一步打算做什么？'), false), { kind: 'swap', question: '省科技厅下一步打算做什么？' });
    assert.deepEqual(resolveFollowUp('发改委呢', conv('吉林省商务厅答应了什么'), false), { kind: 'swap', question: '省发改委答应了什么' });
    // With nothing before it there is nothing to swap into (see the engine test for what is answered).
    assert.equal(resolveFollowUp('那省科技厅呢？', undefined, false).kind, 'orphan');
    assert.equal(resolveFollowUp('省科技厅做了什么', undefined, false).kind, 'standalone');
  });
  it('expands a numbered source and refers 「这个」 to the top source', () => {
    const r = resolveFollowUp('第二条详细说说', conv('q'), false);
    assert.equal(r.kind, 'expand');
    assert.equal(r.kind === 'expand' && r.citation?.chunkId, 'c2');
    const missing = resolveFollowUp('第五条展开', conv('q'), false);
    assert.equal(missing.kind === 'expand' && missing.citation, null);
    const refer = resolveFollowUp('这个是哪年答复的', conv('q'), false);
    assert.equal(refer.kind === 'refer' && refer.citation.chunkId, 'c1');
    assert.equal(resolveFollowUp('张立华代表那份答复落款是哪天？', conv('q'), true).kind, 'standalone');
    assert.equal(parseOrdinal('十二'), 12);
    assert.equal(parseOrdinal('3'), 3);
  });
  it('「第二条」 is the second item of a listed answer; 「第二个来源」 is source 2', () => {
    const three = [cite(1, 'a'), cite(2, 'b'), cite(3, 'c')];
    const listed: Conversation = { turns: [{ question: 'q', resolvedQuestion: 'q', answer: '省科技厅：\n  ▸ 吉工信议案〔2025〕6号\n  · 甲[1]\n  · 乙[1]\n  · 丙[3]', citations: three, at: 0 }] };
    const item = resolveFollowUp('第二条详细说说', listed, false);
    assert.equal(item.kind === 'expand' && item.citation?.chunkId, 'c1');
    const third = resolveFollowUp('第三条详细说说', listed, false);
    assert.equal(third.kind === 'expand' && third.citation?.chunkId, 'c3');
    const source = resolveFollowUp('第二个来源详细说说', listed, false);
    assert.equal(source.kind === 'expand' && source.citation?.chunkId, 'c2');
    assert.equal(itemMarker('甲[2]\n乙', 2), undefined);
  });
  it('「这个」 refers to the last answer that showed sources, past a turn that found nothing', () => {
    const c: Conversation = { turns: [{ question: 'q1', resolvedQuestion: 'q1', citations: [cite(1, 'a')], at: 0 }, { question: 'q2', resolvedQuestion: 'q2', citations: [], at: 1 }] };
    const r = resolveFollowUp('这个是哪年答复的', c, false);
    assert.equal(r.kind === 'refer' && r.citation.chunkId, 'c1');
  });
});

describe('abstain threshold calibration', () => {
  it('chooses the middle of the widest best-separating interval', () => {
    const c = calibrateThreshold([
      { id: 'a', relevance: 0.9, answerable: true },
      { id: 'b', relevance: 0.6, answerable: true },
      { id: 'c', relevance: 0.2, answerable: false },
      { id: 'd', relevance: 0.1, answerable: false },
    ]);
    assert.equal(c.balancedAccuracy, 1);
    assert.deepEqual(c.range, [0.2, 0.6]);
    assert.equal(c.threshold, 0.4);
  });
});

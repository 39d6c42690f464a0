import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { INTENTS, intentOf, conversationalAnswer } from '../../src/answer/understand.ts';
import { parseFilters, statedYear } from '../../src/answer/filters.ts';
import { fullTextSearch, lookup, recipientNames } from '../../src/answer/lookup.ts';
import { askedFields } from '../../src/answer/fields.ts';
import { storedReply } from '../helpers/records.ts';

describe('understand: the intent table, its examples as tests', () => {
  for (const rule of INTENTS) {
    for (const q of rule.examples) test(`${rule.intent}: 「${q}」`, () => assert.equal(intentOf(q), rule.intent));
    for (const q of rule.counterExamples) test(`not ${rule.intent}: 「${q}」`, () => assert.equal(intentOf(q), 'question'));
  }
  test('conversational answers are in Chinese, say what the store holds and give example questions', () => {
    const a = conversationalAnswer('foreign', { replies: 106, from: '2015-09-24', to: '2025-12-16', departments: ['省科技厅'] });
    assert.match(a, /中文/);
    assert.match(a, /106 份答复/);
    assert.match(a, /省科技厅下一步打算做什么？/);
  });
});

describe('understand: years in the words of the question', () => {
  const now = new Date('2026-12-02T00:00:00Z');
  for (const [q, y] of [
    ['2024年省科技厅承诺了什么？', '2024'],
    ['省科技厅去年答应了什么？', '2025'],
    ['前年的答复里省商务厅说了什么', '2024'],
    ['2024年的答复有哪些', '2024'],
    ['2024年支持了多少项目？', null],
    ['2025年累计投入多少资金', null],
  ] as const) {
    test(`「${q}」 → ${y}`, () => {
      assert.equal(statedYear(q, now), y);
      assert.equal(parseFilters(q, now).year, y ?? undefined);
    });
  }
});

describe('understand: reply fields asked for', () => {
  for (const [q, f] of [
    ['徐凤娟代表的建议答复是什么时候发布的？', 'publishedDate'],
    ['张林顺代表那件建议的答复，签发人是谁？', 'signer'],
    ['湘交建议复〔2017〕98号是哪一类办理结果？', 'result'],
    ['第6036号代表建议是省交通运输厅会同哪些单位研究的？', 'coHandlers'],
    ['5041号建议的协办意见是发给哪个单位的？', 'recipient'],
    ['枣阳生态环境分局答复102号建议那个函，索引号是多少', 'indexNumber'],
    ['内蒙古预制菜0479号提案的答复，网页上挂的日期是哪天', 'publishedDate'],
    ['市场监管局最后给委员的是A类还是B类答复？', 'result'],
    ['那个河道整治的提案是哪个局回复的？', 'issuer'],
    ['文化大桥那件提案，提案方是哪家', 'recipient'],
    ['这件是哪个民主党派提的？', 'recipient'],
  ] as const) {
    test(`「${q}」 asks for ${f}`, () => assert.ok(askedFields(q).includes(f), askedFields(q).join(',')));
  }
  test('a date question about the reply itself, or about what it speaks of', async () => {
    const { asksReplyDate } = await import('../../src/answer/fields.ts');
    for (const q of ['科技厅答复民建省委会那份文是哪天成文的？', '那个停车场的建议是什么时候答复的？', '答复是几月几号出的？', '落款日期是哪天']) assert.ok(asksReplyDate(q), q);
    for (const q of ['青川竹下路扩建，交通局说哪年能开工？', '园区大道的公厕几月份能用上？', '面商是哪天？']) assert.ok(!asksReplyDate(q), q);
  });
  test('「提案方是哪家」 asks for the proposer on record, not for a named firm', async () => {
    const { understand } = await import('../../src/answer/understand.ts');
    const q = understand('东川那份金东大桥文化内涵的提案，提案方是哪家', { replies: [] });
    assert.ok(q.fields.includes('recipient'));
    assert.ok(!q.slots.includes('company'), q.slots.join(','));
    assert.ok(understand('施工单位是哪家？', { replies: [] }).slots.includes('company'));
  });
  test('「几月几号」 asks for a day, not for the proposal number', () => assert.ok(!askedFields('答复是几月几号出的？').includes('proposalNumber')));
  test('a publication question does not also ask for the signature date', () => assert.ok(!askedFields('答复是什么时候发布的').includes('date')));
});

describe('lookup: never deny a reply the store holds', () => {
  const trad = storedReply({ file: 't.txt', docNumber: '醫保函〔2020〕204號', proposalNumber: '4946', recipient: '張林順代表' });
  const joint = storedReply({ file: 'j.txt', recipient: '郭大进等7名代表' });
  const place = storedReply({ file: 'p.txt', proposalNumber: '丽22' });
  const unrecorded = storedReply({ file: 'u.txt' });
  const replies = [trad, joint, place, unrecorded];
  test('a simplified question finds a traditional 发文字号, number and name', () => {
    assert.deepEqual(lookup('医保函〔2020〕204号回复的是哪个提案？', replies).targets, [trad]);
    assert.deepEqual(lookup('张林顺代表的建议', replies).targets, [trad]);
  });
  test('joint and place-prefixed numbers and names', () => {
    assert.deepEqual(recipientNames('尚路鹏(等4位)代表'), ['尚路鹏']);
    assert.deepEqual(recipientNames('闫洪伟、何伟明代表'), ['闫洪伟', '何伟明']);
    assert.deepEqual(lookup('郭大进他们的建议', replies).targets, [joint]);
    assert.deepEqual(lookup('丽22号那件建议', replies).targets, [place]);
  });
  test('an identifier the records lack is searched in the full text, in every spelling, before it is unmatched', () => {
    const search = fullTextSearch([[unrecorded, '根据[2025]第6号文件……您提出的第0147号建议收悉']]);
    const byDoc = lookup('〔2025〕6号说了什么', replies, search);
    assert.deepEqual(byDoc.targets, [unrecorded]);
    assert.deepEqual(byDoc.unmatched, []);
    assert.deepEqual(lookup('147号建议', replies, search).targets, [unrecorded]);
    assert.deepEqual(lookup('第9999号建议', replies, search).unmatched, ['9999']);
  });
  test('the full-text index finds exactly what testing every reply’s text would, in store order', () => {
    const texts: Array<[ReturnType<typeof storedReply>, string]> = [
      '根据[2025]第06号文件办理', '见〔2025〕16号', '（2025）第6号通知', '您的第0147号建议', '编号 147 号', '〕147号不算', '2025W233号提案', '2025w233号', 'X2025W233号',
      'A.12号文件', '丽22号建议', '按X411线改造', '1147号', '第41号提案和第041号', '2024W298 号',
    ].map((t, i) => [storedReply({ file: `t${i}.txt` }), t]);
    // What fullTextSearch did before it was indexed: the pattern tested on every text.
    const canonical = texts.map(([r, t]) => [r, t.replace(/[[(（【［]\s*(\d{4})\s*[\])）】］]/gu, '〔$1〕').replace(/\s+/g, '')] as const);
    const brute = (re: RegExp) => canonical.filter(([, t]) => re.test(t)).map(([r]) => r.file);
    const search = fullTextSearch(texts);
    const files = (x: Parameters<typeof search>[0]) => search(x).map((r) => r.file);
    let found = 0;
    for (const [year, serial] of [['2025', 6], ['2025', 16], ['2024', 6]] as const) {
      const want = brute(new RegExp(`〔${year}〕第?0*${serial}号`));
      found += want.length;
      assert.deepEqual(files({ docNumber: { prefix: '', year, serial } }), want, `〔${year}〕${serial}号`);
    }
    for (const n of ['147', '0147', '41', '6', '2025W233', '2025w233', 'A.12', '丽22', 'X411', '2024W298', '12']) {
      const canon = /^\d+$/.test(n) ? String(Number(n)) : n.toUpperCase();
      const re = /^\d+$/.test(canon) ? new RegExp(`(?<![\\d〕])0*${canon}号`) : new RegExp(`(?<![A-Za-z0-9])${canon.replace(/[.()]/g, '\\$&')}号`, 'i');
      const want = brute(re);
      found += want.length;
      assert.deepEqual(files({ proposalNumber: n }), want, n);
    }
    assert.ok(found > 10, 'the spellings do occur');
  });
});

describe('abstain: one message per typed reason', () => {
  test('each reason has its own wording; identifiers and departments are named', async () => {
    const { abstainMessage } = await import('../../src/answer/abstain.ts');
    const messages = [
      abstainMessage({ reason: 'below-threshold' }),
      abstainMessage({ reason: 'not-stated', what: '金额' }),
      abstainMessage({ reason: 'no-match', conditions: ['2024年'] }),
      abstainMessage({ reason: 'unknown-identifier', identifiers: ['第9999号'] }),
      abstainMessage({ reason: 'nobody-promised', departments: ['省商务厅'] }),
      abstainMessage({ reason: 'no-earlier-question', subject: '省科技厅' }),
      abstainMessage({ reason: 'no-such-item', which: '第5条', listed: 3 }),
      abstainMessage({ reason: 'not-in-reply', replies: ['子交函〔2023〕34号'] }),
      abstainMessage({ reason: 'unknown-term', terms: ['GDP'] }),
      abstainMessage({ reason: 'not-mentioned', what: '在实验小学门口装抽水泵' }),
    ];
    assert.equal(new Set(messages).size, messages.length);
    assert.match(messages[3]!, /第9999号/);
    assert.match(messages[4]!, /省商务厅/);
    assert.match(messages[6]!, /3 条/);
    assert.match(messages[7]!, /找到了子交函〔2023〕34号/, 'a held reply is named, never denied');
    assert.match(messages[1]!, /金额/);
    assert.match(messages[8]!, /没有提到GDP/);
    assert.match(messages[9]!, /在实验小学门口装抽水泵/);
    assert.ok(!messages.some((m) => /「|」|“|”/.test(m)), 'no quote marks: the citation check would read them as quotes');
  });
});

describe('understand: whether the reply says a particular thing', () => {
  test('the MENTION examples ask it, with what is asked to have been said; the counter-examples do not', async () => {
    const { MENTION, understand } = await import('../../src/answer/understand.ts');
    for (const q of MENTION.examples) assert.ok(understand(q, { replies: [] }).asks.mention, q);
    for (const q of MENTION.counterExamples) assert.equal(understand(q, { replies: [] }).asks.mention, null, q);
    const m = understand('古荥镇有没有说在实验小学门口装抽水泵？', { replies: [] }).asks.mention!;
    assert.equal(m.what, '在实验小学门口装抽水泵');
    assert.ok(m.terms.includes('抽水泵'), m.terms.join(','));
    // Nothing particular: 「有没有明确答应」 asks whether a promise was made, which the promises answer.
    assert.equal(understand('交通厅最后有没有明确答应？', { replies: [] }).asks.mention, null);
  });
});

describe('understand: totals', () => {
  test('「一共」「累计」 ask for a stated total; 「一共计划…」 asks for the plan', async () => {
    const { scoreSentences } = await import('../../src/answer/extractive.ts');
    const { asksForTotal } = await import('../../src/answer/understand.ts');
    assert.equal(asksForTotal('科创专员一共选派了多少名？'), true);
    assert.equal(asksForTotal('国有林区林场道路一共计划建多少公里？'), false);
    const reply = storedReply({ file: 'a.txt' });
    const text = '每年计划选派科创专员200名。目前已累计选派科创专员1012名。';
    const chunk = { id: 'c', replyId: reply.id, pageContent: text, metadata: { ...reply, id: 'c', file: 'a.txt', section: [], order: 0, part: 0, parts: 1, text } } as never;
    const terms = [{ term: '科创专员', weight: 1 }, { term: '选派', weight: 1 }];
    const best = scoreSentences([{ chunk, reply, score: 1, ranks: {}, scores: {}, relevance: 1 }], terms, { slots: ['count'], wantsTotal: true })[0]!;
    assert.match(best.sentence.text, /累计选派/);
  });
});

describe('record fields: a withheld name is not an answer', () => {
  test('masked proposers (***委员, ××代表, 某某) are withheld; real names and joint lists are not', async () => {
    const { isWithheld } = await import('../../src/answer/fields.ts');
    for (const v of ['***委员', '尊敬的***委员：', '××代表', '某某', '＊＊＊等3名代表']) assert.equal(isWithheld(v), true, v);
    for (const v of ['张三委员', '闫洪伟、何伟明代表', '民建省委会']) assert.equal(isWithheld(v), false, v);
  });
});

describe('extractive: framing is not an answer', () => {
  test('the acknowledgement, a courtesy and a signature line lose to a sentence that says what was done — unless the question is about the proposal or who', async () => {
    const { scoreSentences } = await import('../../src/answer/extractive.ts');
    const reply = storedReply({ file: 'a.txt' });
    const text = '您提出的《关于新华村石咀至新岭村道路改扩的建议》收悉。新华村至新岭村的道路由镇政府负责日常养护。衷心感谢您对新岭村道路建设的关心和支持。\n欧都镇新岭村道路管理站';
    const chunk = { id: 'c', replyId: reply.id, pageContent: text, metadata: { ...reply, id: 'c', file: 'a.txt', section: [], order: 0, part: 0, parts: 1, text } } as never;
    const passages = [{ chunk, reply, score: 1, ranks: {}, scores: {}, relevance: 1 }];
    const terms = [{ term: '新华村', weight: 1 }, { term: '新岭村', weight: 1 }, { term: '道路', weight: 1 }, { term: '管养', weight: 0.5 }];
    // Both cover the same words; without the rule the acknowledgement, first in the text, would win.
    assert.match(scoreSentences(passages, terms)[0]!.sentence.text, /负责日常养护/);
    // 「那件建议是谁提的、叫什么」: the acknowledgement is where the proposal is named.
    assert.match(scoreSentences(passages, terms.slice(0, 3), { aboutProposal: true })[0]!.sentence.text, /收悉/);
  });
  test('a traditional page: its salutation line is framing, it is never added to a better pick, and a simplified question covers its sentences', async () => {
    const { pickSentences } = await import('../../src/answer/extractive.ts');
    const reply = storedReply({ file: 'b.txt' });
    const text = '江門市交通運輸局:\n我局主要職能是管養國、省道,如需要在公路兩旁設置公交候車亭,我局可配合做好設計等前期工作。';
    const chunk = { id: 'c', replyId: reply.id, pageContent: text, metadata: { ...reply, id: 'c', file: 'b.txt', section: [], order: 0, part: 0, parts: 1, text } } as never;
    const passages = [{ chunk, reply, score: 1, ranks: {}, scores: {}, relevance: 1 }];
    const terms = [{ term: '江门市', weight: 2 }, { term: '职能', weight: 1 }, { term: '候车亭', weight: 1 }];
    const picked = pickSentences(passages, terms);
    assert.deepEqual(picked.map((p) => p.sentence.text.slice(0, 6)), ['我局主要職能']);
    assert.ok(picked[0]!.coverage > 0.4, `coverage ${picked[0]!.coverage}`);
  });
});

describe('extractive: the value asked for is stated by the best pick’s own reply', () => {
  test('another reply’s year does not answer 「哪年能纳入改造」', async () => {
    const { pickSentences, statesAsked } = await import('../../src/answer/extractive.ts');
    const a = storedReply({ file: 'a.txt' });
    const b = { ...storedReply({ file: 'b.txt' }), id: 'b' };
    const chunk = (id: string, reply: typeof a, text: string) => ({ id, replyId: reply.id, pageContent: text, metadata: { ...reply, id, file: reply.file, section: [], order: 0, part: 0, parts: 1, text } }) as never;
    const passages = [
      { chunk: chunk('ca', a, '对于您提出的清华丽园小区暂时不在改造小区的楼龄范围之内。'), reply: a, score: 1, ranks: {}, scores: {}, relevance: 1 },
      { chunk: chunk('cb', b, '2019年,兴庆区计划投入1.18亿元对102个老旧小区进行改造。'), reply: b, score: 1, ranks: {}, scores: {}, relevance: 0.9 },
    ];
    const terms = [{ term: '清华丽园', weight: 3 }, { term: '小区', weight: 1 }, { term: '改造', weight: 1 }];
    const picked = pickSentences(passages, terms, { slots: ['year'] });
    assert.equal(statesAsked(picked, ['year']), false, picked.map((p) => p.sentence.text).join(' / '));
  });
});

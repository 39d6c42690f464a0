/**
 * A question about a reply that exists, asking for a detail it does not give, is refused with what is
 * missing; the same question shape is answered when the reply gives it. Real fixture replies in a temp
 * store (tiny model, real pipeline); questions are worded unlike the fixture question files.
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyAnswer } from '../../src/answer/citations.ts';
import { REPLIES_DIR } from '../helpers/fixture-replies.ts';
import { SAMPLE_CORPUS } from '../helpers/store.ts';
import { tempDir } from '../helpers/temp.ts';
import { type SampleStore, buildSampleStore } from './sample-store.ts';

const FILES = [
  'alashanzuoqi-jtj-23.txt', // 代表姓名 lists five deputies; the salutation names 色尔道等代表
  'yicheng-ybj-140.txt', // the proposer is masked: ***委员
  'qingchuan-jtj-19.txt', // salutation 你们好: no proposer named
  'gaochang-renxingdao.txt', // signed 我单位 only
  'yinchuan-jtj-40.txt', // 「对公交线路进行整体优化」, no line named
  'jinan-qbq-58.txt', // 计划新增653路公交线路
  'bole-wenming.txt', // measures, no money
  'qiandongnan-zzf-560.txt', // 城镇义务教育专项资金
  'atushi-zf-42.txt', // 待该项目批准后实施
  'guangdong-jtt-6036.txt', // 适时启动, 《…规划(2020-2035年)》
  'zhenkang-nyncj-0038.txt', // 于2025年5月8日与杨文强代表进行面商
  'yongji-slj-37.txt', // traditional; 「按照省水利廳要求…下一步。我局將與縣財政局溝通」
  'jinchengjiang-slj-41.txt', // 建议第41号, as the sample corpus's 工商联 proposal is 第41号
];
/** Sample replies copied in as well: 004 is the 省工商联's 第41号党派团体提案. */
const SAMPLES = ['004_d9c7c73d928775f5.txt'];

describe('a detail asked of a reply that does not give it', () => {
  let s: SampleStore;
  before(async () => {
    const corpus = tempDir('dafu-detail-corpus-');
    for (const f of FILES) copyFileSync(join(REPLIES_DIR, f), join(corpus, f));
    for (const f of SAMPLES) copyFileSync(join(SAMPLE_CORPUS, f), join(corpus, f));
    s = await buildSampleStore({}, corpus);
  });
  after(async () => s?.close());

  const ask = async (q: string) => {
    const a = await s.engine.ask(q);
    assert.deepEqual(verifyAnswer(a).problems, [], a.answer);
    return a;
  };

  it('who proposed a reply described by its topic comes from its record: the list, the mask, or that it is not stated', async () => {
    const listed = await ask('阿左旗乡村道路那件建议都有哪几位代表？');
    assert.ok(listed.found, listed.answer);
    assert.match(listed.answer, /色尔道、陶力德、胡达兰太、张艳芳、孟可巴依尔/u);
    const masked = await ask('峄城长期护理保险的提案，提案人是谁？');
    assert.equal(masked.found, false, masked.answer);
    assert.match(masked.answer, /隐去了提出人的姓名/u);
    const none = await ask('青川竹下路扩建那个提案是哪几位委员提出来的？');
    assert.equal(none.found, false, none.answer);
    assert.match(none.answer, /未写明提出人/u);
  });

  it('which body answered a reply signed only 我单位 is not stated; the sentences about repairs are no answer', async () => {
    const a = await ask('高昌区人行道管理维护那份答复是哪个部门回复的？');
    assert.equal(a.found, false, a.answer);
    assert.match(a.answer, /未写明答复单位/u);
  });

  it('which bus lines: 「整体优化线路」 names none; 「新增653路」 names one', async () => {
    const none = await ask('银川福通ABC区那边准备开哪些公交线路？');
    assert.equal(none.found, false, none.answer);
    assert.match(none.answer, /具体线路/u);
    const one = await ask('起步区接下来要加开哪一路公交？');
    assert.ok(one.found, one.answer);
    assert.match(one.answer, /653路/u);
  });

  it('which funds: measures without money do not answer; a named fund does', async () => {
    const none = await ask('博乐创全国文明城市，州里给了什么资金扶持？');
    assert.equal(none.found, false, none.answer);
    const fund = await ask('台江县改建小学和初中，可以争取什么专项资金？');
    assert.ok(fund.found, fund.answer);
    assert.match(fund.answer, /专项资金/u);
  });

  it('when: 「待批准后实施」 and 「适时启动」 state no time, nor does a year inside a plan title', async () => {
    const pending = await ask('阿图什站前广场改造项目预计什么时候能开工？');
    assert.equal(pending.found, false, pending.answer);
    assert.match(pending.answer, /没有写明问题所问的时间/u);
    const timely = await ask('茂名至吴川高速公路的工可研究哪一年启动？');
    assert.equal(timely.found, false, timely.answer);
    assert.match(timely.answer, /年份/u);
  });

  it('「哪天」 of an event the text dates is answered from the text; of the reply itself, from its record', async () => {
    const met = await ask('镇康农业农村局头一次跟杨文强代表面商是在哪天？');
    assert.ok(met.found, met.answer);
    assert.match(met.answer, /2025年5月8日/u);
    const face = await ask('杨文强代表那件建议，农业农村局第一回面商是哪一天？');
    assert.match(face.answer, /2025年5月8日/u);
    // The reply's own date is its record's, which this capture does not state: said so, not a date from the text.
    const signed = await ask('杨文强代表那件建议的答复是哪天成文的？');
    assert.equal(signed.found, false, signed.answer);
    assert.match(signed.answer, /未写明成文日期/u);
  });

  it('a reply described by its record is the one whose promises answer 「下一步」, under its own issuer', async () => {
    const a = await ask('永吉那个农村饮水安全的建议，水利局接下来打算怎么做');
    assert.ok(a.found, a.answer);
    assert.match(a.answer, /^永吉县水利局/u);
    assert.match(a.answer, /我局將與縣財政局溝通協調/u);
  });

  it('「有没有说…」: a quote that does not say it is no answer; one that does is', async () => {
    const no = await ask('银川交通局有没有说给福通ABC区开通定制公交？');
    assert.equal(no.found, false, no.answer);
    assert.equal(no.diagnostics?.abstain, 'not-mentioned');
    const yes = await ask('起步区有没有说要新增653路公交？');
    assert.ok(yes.found, yes.answer);
    assert.match(yes.answer, /新增653路/u);
  });

  it('two replies share a number: the body and the word 提案/建议 the question uses tell them apart', async () => {
    const proposal = await ask('工商联第41号提案说了什么');
    assert.match(proposal.answer, /省工商联/u);
    assert.doesNotMatch(proposal.answer, /塘子村/u);
    const suggestion = await ask('第41号建议是哪天答复的？');
    assert.match(suggestion.answer, /2025年8月7日/u);
    assert.doesNotMatch(suggestion.answer, /吉工信/u);
  });
});

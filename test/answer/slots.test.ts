/**
 * The slot table: each slot's example questions must ask for it, its
 * counter-examples must not, and the values that answer it are recognised in
 * real sentences from the fixture replies (and non-answers are not).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOTS, slotsOf, statesSlot, slotLabel } from '../../src/answer/slots.ts';
import { normalizeQuestion } from '../../src/answer/text.ts';

describe('slots: the table catches its examples', () => {
  for (const rule of SLOTS) {
    test(`${rule.slot}: examples ask for it, counter-examples do not`, () => {
      for (const q of rule.examples) assert.ok(slotsOf(normalizeQuestion(q)).includes(rule.slot), `${q} should ask for ${rule.slot}, got ${slotsOf(q).join(',') || 'nothing'}`);
      for (const q of rule.counterExamples) assert.ok(!slotsOf(normalizeQuestion(q)).includes(rule.slot), `${q} should not ask for ${rule.slot}`);
    });
  }

  test('a question asking two things asks for both; a specific one drops the generic', () => {
    assert.deepEqual(slotsOf('柳河县人参全产业链数字化管理平台投了多少钱、哪年上线的？'), ['money', 'year']);
    assert.deepEqual(slotsOf('天全服务区两岸互通预计哪一年正式开通？'), ['year']);
    assert.deepEqual(slotsOf('省科技厅下一步打算做什么？'), []);
    assert.equal(slotLabel(['money', 'year']), '金额和年份');
  });
});

describe('slots: which sentences state a value', () => {
  const cases: Array<[Parameters<typeof statesSlot>[0], string, boolean]> = [
    ['money', '安排中央资金总计2110万元,用于卓尼县藏巴哇X411线', true],
    ['money', '并在项目可行性研究阶段按照投资政策积极研究予以资金支持。', false],
    ['money', '总规模10亿元，目前首期3亿元已实缴到位', true],
    ['length', '线路全长5.448公里,路基宽6.5米', true],
    ['length', '将该段道路上报为2024年破损路改造项目', false],
    ['year', '力争2021年完成招商并开工建设', true],
    ['year', '督促省交通投资控股有限公司年内开工建设', true],
    ['year', '该段公路已被市、区发改委列入“十三五”公路升级改造专项规划', false],
    ['month', '预计8月份可以建成并投入使用', true],
    ['month', '其中健康社区纳入2019年老旧小区改造项目第二期改造项目', false],
    ['day', '于2025年5月8日与杨文强代表进行面商', true],
    ['day', '预计2022年下半年完工', false],
    ['time', '预计相关工程于2022年下半年完工', true],
    ['time', '2022年度承办服务协议在评估工作结束后由市局统一组织签订', true],
    ['time', '目前已经形成了试点政策方案,正在履行暂时调整适用相关法规程式', false],
    ['time', '正在由雅康公司与省交通厅高速公路管理局进行积极对接', false],
    ['count', '累计支持120个人工智能领域科技攻关项目', true],
    ['count', '2021年以来,我市大力推进公共停车设施建设工作', false],
    ['headcount', '代表姓名:色尔道、陶力德、胡达兰太、张艳芳', true],
    ['headcount', '您提出的建议收悉', false],
    ['interval', '高峰期发车间隔缩短至8分钟', true],
    ['share', '同比增长15.36%', true],
  ];
  for (const [slot, sentence, expected] of cases) {
    test(`${slot} ${expected ? 'stated' : 'not stated'}: ${sentence.slice(0, 24)}`, () => assert.equal(statesSlot(slot, sentence), expected));
  }
});

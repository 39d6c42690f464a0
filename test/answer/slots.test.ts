/**
 * The slot table: each slot's example questions must ask for it, its
 * counter-examples must not, and the values that answer it are recognised in
 * real sentences from the fixture replies (and non-answers are not).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROSPECTIVE, SLOTS, asksProspective, slotsOf, statesSlot, slotLabel } from '../../src/answer/slots.ts';
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
    // Relative to an event, or vague: no time is stated.
    ['time', '因阿图什市财力有限,该项目尚未启动,待该项目批准后实施。', false],
    ['time', '将根据地区社会经济发展情况适时启动项目前期工作', false],
    ['time', '鸡街至石屏高速公路改扩建工程已纳入云南省“十四五”公路发展规划。', false],
    ['time', '力争“十四五”期间开工建设', true],
    ['time', '项目批复后三个月内开工', true],
    // A figure in a title is part of a name.
    ['year', '已列入《广东省高速公路网规划(2020-2035年)》', false],
    ['year', '已列入《广东省高速公路网规划(2020-2035年)》,力争2026年开工', true],
    ['count', '累计支持120个人工智能领域科技攻关项目', true],
    ['count', '2021年以来,我市大力推进公共停车设施建设工作', false],
    ['headcount', '代表姓名:色尔道、陶力德、胡达兰太、张艳芳', true],
    ['headcount', '您提出的建议收悉', false],
    ['interval', '高峰期发车间隔缩短至8分钟', true],
    ['funding', '可通过申请中央和省级的城镇义务教育专项资金支持', true],
    ['funding', '一是博乐市下发《关于州、市公职人员及家属全力参与创建全国文明城市的通知》', false],
    ['route', '新开通15路、K3路公交', true],
    ['route', '市公交公司将根据该区域各小区客流情况对公交线路进行整体优化', false],
    ['route', '该路段路面破损严重', false],
    ['site', '目前已在全市组织开展了旅游景区、乡村旅游示范村设施管护维护专项整治行动', false],
    ['site', '重点打造龙潭景区和雪山村两个乡村旅游点', true],
    ['site', '鲁桥镇已向综合执法局申请路灯30盏,正准备实施安装', false],
    ['person', '会议明确由刘权牵头,杨天恩具体负责', true],
    ['person', '成立专门的道路亮化管理维护小组,明确其职责和工作范围', false],
    ['person', '指定由环卫处李欢耀负责办理落实', true],
    ['person', '成立由局长、老龄办主任任组长的工作组', true],
    ['count', '你们提出的《关于草坝镇建设村安装健身器材的建议》的第105号建议已转交我们研究办理', false],
    ['count', '今年我们计划举办群众体育活动12项', true],
    ['phone', '联系电话:0591-87859750', true],
    ['phone', '感谢您对卫生健康工作的关心和支持', false],
    ['share', '同比增长15.36%', true],
  ];
  for (const [slot, sentence, expected] of cases) {
    test(`${slot} ${expected ? 'stated' : 'not stated'}: ${sentence.slice(0, 24)}`, () => assert.equal(statesSlot(slot, sentence), expected));
  }
});

describe('slots: a name the question already gives is not the answer', () => {
  test('「除了鼎城区还有哪几个」 is not answered by 「鼎城区等6个产业园」; another listed name answers it', () => {
    const asked = '洞庭湖区那6个国家现代农业产业园，除了鼎城区还有哪几个？';
    assert.equal(statesSlot('site', '常德市鼎城区等6个产业园被批准开展创建工作', false, asked), false);
    assert.equal(statesSlot('site', '常德市鼎城区、岳阳市华容县等6个产业园被批准开展创建工作', false, asked), true);
    assert.equal(statesSlot('site', '常德市鼎城区等6个产业园被批准开展创建工作', false, '洞庭湖区有哪几个产业园？'), true);
  });
});

describe('slots: a when-question about a start or a finish needs a time that dates one', () => {
  const cases: Array<[string, string, boolean]> = [
    ['供水点维修改造工程预计什么时候完工？', '二是拟使用2025年省级水利发展资金42万元用于攀莲镇水塘村9-15社供水点维修改造工程。', false],
    ['那段路啥时候修完？', '目前正在实施雪山村至雪山瀑布1.2公里道路建设项目,计划2021年底完成施工', true],
    ['高速哪年开工？', '力争2026年开工建设', true],
    ['高速哪年开工？', '2021年下达建水县乡镇通三级公路35.78公里', false],
    // Neither a start nor a finish asked: any time answers.
    ['这件建议什么时候列入规划的？', '2021年列入省级规划', true],
  ];
  for (const [asked, sentence, expected] of cases) {
    test(`${asked} ← ${sentence.slice(0, 20)}: ${expected}`, () => assert.equal(statesSlot(slotsOf(asked)[0]!, sentence, false, asked), expected));
  }
});

describe('slots: a value that lies ahead must be stated as planned', () => {
  test('the prospective examples ask for the future, the counter-examples do not', () => {
    for (const q of PROSPECTIVE.examples) assert.ok(asksProspective(normalizeQuestion(q)), q);
    for (const q of PROSPECTIVE.counterExamples) assert.ok(!asksProspective(normalizeQuestion(q)), q);
  });
  const cases: Array<[Parameters<typeof statesSlot>[0], string, boolean]> = [
    // What was done, with a value of the kind asked: not what is planned.
    ['time', '永吉高速于2017年建成通车,通车尚未达10年。', false],
    ['money', '累计支持120个人工智能领域科技攻关项目，投入省级财政经费16869万元。', false],
    ['length', '线路全长5.448公里,路基宽6.5米,水泥路面宽5米,该道路2005年实施完成硬化改造', false],
    // 「每年将…列入…计划」 two clauses away does not make the amount planned.
    ['money', '省科技厅每年将人工智能方向列入省科技发展计划项目指南，累计支持120个项目，投入省级财政经费16869万元。', false],
    // Planned: the value's clause, or the one next to it, speaks of the future.
    ['time', '目前项目前期工作正在稳步有序推进,预计2020年底开工建设', true],
    ['year', '我局已将该段道路上报为2024年破损路改造项目,将予以治理。', true],
    ['length', '您村连接三阳更新5.8公里公路拓宽,我局今年已经准备进行实施。', true],
    ['count', '“十四五”时期规划建设300个休闲农业重点县', true],
    ['year', '已列入2023年建设计划', true],
    // A time of what was done, with a plan named in the next clause, is not what is planned.
    ['month', '今年4月已对火车站左侧空地实施了地面硬化,并规划了60个临时停车位', false],
  ];
  for (const [slot, sentence, expected] of cases) {
    test(`${slot} ${expected ? 'planned' : 'not planned'}: ${sentence.slice(0, 24)}`, () => assert.equal(statesSlot(slot, sentence, true), expected));
  }
  test('a document number is not a day: 第3902号建议, 〔2025〕6号', () => {
    assert.equal(statesSlot('day', '关于十三届全国人大四次会议第3902号建议的答复函'), false);
    assert.equal(statesSlot('time', '吉科〔2025〕6号'), false);
    assert.equal(statesSlot('day', '预计5月16日可以完成'), true);
  });
});

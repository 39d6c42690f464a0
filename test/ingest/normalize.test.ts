import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { normalize, cleanSpaces } from '../../ingest/normalize.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'corpus');
const corpus = (prefix: string): string => {
  const name = readdirSync(CORPUS).find((f) => f.startsWith(prefix));
  assert.ok(name, `corpus file ${prefix}* exists`);
  return readFileSync(join(CORPUS, name), 'utf8');
};

describe('normalize: each rule on small strings', () => {
  test('drops invisible format characters, so 省\u200D科技厅 is stored as 省科技厅 (issue 10, item 9)', () => {
    assert.equal(normalize('省\u200D科技厅\u200E积极\u202A推动\u202C\u2060。'), '省科技厅积极推动。');
    assert.equal(normalize('省\u200B科技厅\uFEFF。'), '省科技厅。');
  });

  test('joins a line wrapped inside a sentence, also across blank lines', () => {
    assert.equal(normalize('您在会上提出的《关于深入推进吉林省人工智能和未\n\n来产业高质量发展的建议》收悉。'), '您在会上提出的《关于深入推进吉林省人工智能和未来产业高质量发展的建议》收悉。');
    assert.equal(normalize('加快构建全省科技创新有组织聚力\n攻坚机制。'), '加快构建全省科技创新有组织聚力攻坚机制。');
  });

  test('keeps paragraph breaks after a sentence end, a heading, a date and a signature', () => {
    assert.equal(normalize('第一段。\n\n第二段。'), '第一段。\n第二段。');
    assert.equal(normalize('(一)主要举措\n\n自2021年以来，省科技厅每年都支持。'), '(一)主要举措\n自2021年以来，省科技厅每年都支持。');
    assert.equal(normalize('一、关于加速成果落地的建议\n（一）主要措施\n一是组建联盟。'), '一、关于加速成果落地的建议\n（一）主要措施\n一是组建联盟。');
    assert.equal(normalize('吉林省工业和信息化厅\n\n2025 年 5 月 27 日\n\n（联系人：王小飞）'), '吉林省工业和信息化厅\n2025年5月27日\n（联系人：王小飞）');
  });

  test('does not glue a wrapped line onto the next numbered heading', () => {
    assert.equal(normalize('省科技厅持续支持\n二、推动先进制造业发展'), '省科技厅持续支持\n二、推动先进制造业发展');
  });

  test('joins a title split over two lines but keeps it apart from the 发文字号', () => {
    assert.equal(
      normalize('关于对省十四届人大四次会议\n\n第0147号代表建议的答复\n\n吉工信议案〔2025〕6号\n\n徐凤娟代表：'),
      '关于对省十四届人大四次会议第0147号代表建议的答复\n吉工信议案〔2025〕6号\n徐凤娟代表：',
    );
  });

  test('removes stray spaces between CJK characters and inside numbers', () => {
    assert.equal(normalize('具身 智能'), '具身智能');
    assert.equal(normalize('服务涵盖国内外 300 0 余家企业'), '服务涵盖国内外3000余家企业');
    assert.equal(normalize('2025 年 5 月 27 日'), '2025年5月27日');
    assert.equal(normalize('经认真研究办理， 现答复如下：'), '经认真研究办理，现答复如下：');
    assert.equal(normalize('“卡脖子” “面向汽车”'), '“卡脖子”“面向汽车”');
  });

  test('keeps spaces between Latin words', () => {
    assert.equal(normalize('Hello World, open source'), 'Hello World, open source');
    assert.equal(cleanSpaces('Windows 10 and R&D plan'), 'Windows 10 and R&D plan');
    assert.equal(normalize('长春讯飞 AI 双创基地'), '长春讯飞AI双创基地');
  });

  test('folds full-width letters and digits to ASCII, keeps CJK punctuation', () => {
    assert.equal(normalize('ＡＩ产业２０２５年，共１２个。'), 'AI产业2025年，共12个。');
    assert.equal(normalize('（一）主要举措：“一带一路”、《建议》；＋'), '（一）主要举措：“一带一路”、《建议》；＋');
  });

  test('trims U+3000 and indentation', () => {
    assert.equal(normalize('\u3000\u3000您在会上提出的建议收悉。\u3000\n    一、主要工作'), '您在会上提出的建议收悉。\n一、主要工作');
    assert.equal(normalize('\u3000\u3000　　\n\n  \t \n'), '');
  });

  test('「( 一)」 becomes 「(一)」', () => {
    assert.equal(normalize('( 一)主要举措'), '(一)主要举措');
    assert.equal(normalize('（ 二 ）取得成效'), '（二）取得成效');
  });

  test('drops a BOM and CR line ends; is idempotent', () => {
    assert.equal(normalize('\uFEFF第一段。\r\n第二段。\r\n'), '第一段。\n第二段。');
    for (const prefix of ['000', '001', '002', '003', '004']) {
      const once = normalize(corpus(prefix));
      assert.equal(normalize(once), once, prefix);
    }
  });

  test('keeps metadata-table rows and their tab separators', () => {
    const text = normalize('索引号:\t12220000412760962A/2025-01346\t分类:\t人大代表建议;委员提案答复\n标题:\t关于对省政协十三届三次会议 2025W233 号提案的答复\t\t\n\n正文。');
    assert.equal(text, '索引号:\t12220000412760962A/2025-01346\t分类:\t人大代表建议;委员提案答复\n标题:\t关于对省政协十三届三次会议2025W233号提案的答复\n正文。');
  });
});

describe('normalize: on the sample corpus', () => {
  test('000: stray spaces in numbers and dates are gone; a sentence split by a blank line is whole', () => {
    const text = normalize(corpus('000'));
    assert.ok(text.includes('3000余家'));
    assert.ok(!text.includes('300 0'));
    assert.ok(text.includes('2025年5月27日'));
    assert.ok(text.includes('打好科技人才抢夺战，造就规模宏大的青年科技人才队伍'));
    assert.ok(text.includes('2021年以来，累计投入资金7316万元'));
    assert.ok(text.includes('（联系人：王小飞联系电话：0431-87077670）'));
    assert.ok(!/ {2}|\u3000/.test(text));
    // Paragraphs stay apart: the five numbered parts each start a line.
    for (const h of ['一、优化产业布局与技术创新。', '二、推动先进制造业发展。', '三、挖掘资源优势与降低成本。', '四、探索智能化与数字化转型。', '五、扩大开放合作与市场开拓。']) {
      assert.ok(text.includes(`\n${h}`), h);
    }
    assert.ok(text.includes('\n省国资委结合国企改革深化提升行动'));
  });

  test('001: PDF-wrapped lines are joined, headings stay on their own lines', () => {
    const text = normalize(corpus('001'));
    assert.ok(text.includes('《关于深入推进吉林省人工智能和未来产业高质量发展的建议》收悉，经认真研究办理，现答复如下：'));
    assert.ok(text.includes('具身智能'));
    assert.ok(!text.includes('具身 智能'));
    assert.ok(text.includes('加快构建全省科技创新有组织聚力攻坚机制'));
    assert.ok(text.includes('《吉林省具身智能与人形机器人产业科技攻关实施方案(2025-2029)》'));
    assert.ok(text.includes('启动了科技人才助力企业创新跃升三年行动，利用3年时间'));
    assert.ok(text.includes('累计支持120个人工智能领域科技攻关项目'));
    assert.ok(text.includes('\n2025年5月23日'));
    const lines = text.split('\n');
    assert.equal(lines.filter((l) => l === '(一)主要举措').length, 3, '( 一) repaired and each heading alone');
    assert.equal(lines.filter((l) => l === '(三)下步工作').length, 3);
    assert.ok(lines.includes('一、关于强化人工智能与未来产业政策的前瞻性、连贯性与落地性建议'));
    assert.ok(lines.includes('三、关于加强相关专业人才培养与人才支持建议'));
    assert.equal(lines.length, 27);
  });

  test('002: ideographic-space indentation is trimmed; R&D spacing is made consistent', () => {
    const text = normalize(corpus('002'));
    assert.ok(text.startsWith('对省政协十三届二次会议第2024W298号委员提案的答复\n吉科发高〔2024〕74号\n尊敬的孙昭艳委员：\n'));
    assert.ok(!text.includes('\u3000'));
    assert.ok(text.includes('吉林省企业R&D投入引导计划'));
    assert.ok(text.endsWith('\n吉林省科学技术厅'));
  });

  test('003: a paragraph split by a blank line is joined; title spaces removed', () => {
    const text = normalize(corpus('003'));
    assert.ok(text.includes('通过搭建大型科学仪器供需对接平台，让企业全面掌握'));
    assert.ok(text.includes('\n关于对省政协十三届三次会议2025W233号提案的答复\n'));
    assert.ok(text.includes('每年支持50项产业化培育项目'));
  });

  test('004: a wrapped heading paragraph is joined with its continuation', () => {
    const text = normalize(corpus('004'));
    assert.ok(text.startsWith('关于对省政协十三届三次会议第41号党派团体提案的答复\n吉工信议案〔2025〕43号\n省工商联：\n'));
    assert.ok(text.includes('\n（一）坚持数实融合，推动产业集群转型升级。近年来，我省聚焦石化、装备、冶金等传统产业'));
    assert.ok(text.includes('《关于进一步促进我省制造业集聚发展的建议》'));
    assert.ok(text.includes('包括北京、上海、重庆3个国内分中心'));
    assert.ok(text.split('\n').includes('二、下步工作安排'));
  });
});

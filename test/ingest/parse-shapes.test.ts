/**
 * Reply shapes the sample corpus does not have, written as departments send
 * them: 1./(1) numbering with sentence items, 第一，headings, an 附件 list,
 * 抄送 and 会签 lines, a courtesy line, dates in Chinese numerals. Each case
 * was a bug: the closing was lost (issuer, date, contact null and the
 * signature glued into the last commitment), annex items became sections, or
 * a sentence item got no text and so no chunk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReply } from '../../ingest/parse/index.ts';
import { normalize } from '../../ingest/normalize.ts';
import type { ParsedReply } from '../../src/types.ts';

/** Commitments without their canonical departments (checked on their own): the shape tests compare what the text says. */
const withoutDepartments = (cs: ReadonlyArray<{ departments: string[] }>) => cs.map(({ departments: _d, ...c }) => c);


const doc = (...paragraphs: string[]): string => paragraphs.join('\n\n') + '\n';

const ARABIC = doc(
  '关于省政协十三届三次会议第2025W233号提案的答复',
  '吉科函〔2025〕45号',
  '孙昭艳委员：',
  '您提出的《关于加快培育科技型中小企业的提案》收悉。经认真研究，现答复如下：',
  '1.加大科技型中小企业培育力度。我厅实施科技型中小企业评价入库工作，2024年全省入库企业达到8600余家。',
  '（1）完善评价服务。在各市州设立服务站点，帮助企业开展自评。',
  '2.强化金融支持。省地方金融管理局推出“科技贷”产品，累计放款12.3亿元。',
  '(1)扩大风险补偿资金池规模。',
  '(2)推动知识产权质押融资。',
  '3.下一步工作安排',
  '（1）持续开展科技型中小企业评价工作，力争2025年入库企业突破1万家。',
  '（2）省科技厅将会同省财政厅研究出台研发费用后补助政策。',
  '感谢您对科技工作的关心和支持。',
  '吉林省科学技术厅',
  '二〇二五年五月二十七日',
  '（联系人：李明，联系电话：0431-88888888）',
  '抄送：省政协提案委员会，省政府督查室。',
);

const DI = doc(
  '关于对省十四届人大四次会议第D27号代表建议的答复',
  '吉发改议案〔2025〕12号',
  '张伟代表：',
  '您提出的《关于加快推进城市更新的建议》收悉。该建议由我委主办，省住建厅、省自然资源厅协办。现答复如下：',
  '第一，关于老旧小区改造。2024年全省改造城镇老旧小区1200个。',
  '第二，关于下一步工作。省住建厅将继续推进老旧小区改造。',
  '附件：1.2024年城市更新项目清单',
  '2.资金安排情况表',
  '吉林省发展和改革委员会',
  '2025年6月10日',
);

const ANNEX = doc(
  '关于省政协十三届三次会议第41号提案的答复',
  '吉教提〔2025〕3号',
  '省工商联：',
  '你单位提出的《关于加强职业教育产教融合的提案》收悉。现答复如下：',
  '一、职业教育发展现状',
  '近年来，我省职业教育规模持续扩大，现有职业院校150所。',
  '二、下一步工作打算',
  '（一）深化产教融合。省教育厅将会同省人社厅推动建设一批产教融合实训基地。',
  '（二）完善政策支持。积极争取国家政策支持。',
  '附件：',
  '1.全省职业院校名单',
  '2.产教融合项目清单',
  '吉林省教育厅',
  '2025年7月1日',
  '抄送：省政协提案委员会',
);

const COSIGNED = doc(
  '关于对省十四届人大四次会议第0321号代表建议的答复',
  '吉商议〔2025〕9号',
  '刘洋代表：',
  '您提出的《关于支持跨境电商发展的建议》收悉。现答复如下：',
  '一、跨境电商发展情况。2024年全省跨境电商进出口额达到120亿元。',
  '二、下一步。省商务厅将继续推进跨境电商综试区建设。',
  '会签：省财政厅 长春海关',
  '吉林省商务厅',
  '2025 年 6 月 3 日',
);

const paths = (r: ParsedReply) => r.sections.map((s) => s.path.join(' > '));
const section = (r: ParsedReply, heading: string) => r.sections.find((s) => s.heading === heading)!;

function assertVerbatim(raw: string, r: ParsedReply): void {
  const norm = normalize(raw);
  for (const s of r.sections) assert.ok(norm.includes(s.text), `section ${s.heading} is verbatim`);
  for (const c of r.commitments) assert.ok(norm.includes(c.text), `commitment ${c.text} is verbatim`);
}

test('1./(1) numbering: sentence items keep their text; 抄送 and the courtesy line go to the closing', () => {
  const r = parseReply(ARABIC, 'a.txt');
  assert.equal(r.issuer, '吉林省科学技术厅');
  assert.equal(r.date, '2025-05-27'); // 二〇二五年五月二十七日
  assert.equal(r.contact, '李明 0431-88888888');
  assert.equal(r.kind, '委员提案');
  assert.equal(r.proposalNumber, '2025W233');
  assert.deepEqual(paths(r), [
    '开头',
    '1.加大科技型中小企业培育力度',
    '1.加大科技型中小企业培育力度 > （1）完善评价服务',
    '2.强化金融支持',
    '2.强化金融支持 > (1)扩大风险补偿资金池规模',
    '2.强化金融支持 > (2)推动知识产权质押融资',
    '3.下一步工作安排',
    '3.下一步工作安排 > （1）持续开展科技型中小企业评价工作，力争2025年入库企业突破1万家',
    '3.下一步工作安排 > （2）省科技厅将会同省财政厅研究出台研发费用后补助政策',
    '落款',
  ]);
  // An item with nothing after its heading is its own text, so it gets a chunk and can be quoted.
  assert.equal(section(r, '(1)扩大风险补偿资金池规模').text, '扩大风险补偿资金池规模。');
  assert.equal(section(r, '3.下一步工作安排').text, ''); // a parent: its children hold the text
  assert.ok(section(r, '落款').text.startsWith('感谢您对科技工作的关心和支持。'));
  assert.ok(section(r, '落款').text.endsWith('抄送：省政协提案委员会，省政府督查室。'));
  assert.deepEqual(withoutDepartments(r.commitments), [
    {
      actor: '吉林省科学技术厅',
      section: ['3.下一步工作安排', '（1）持续开展科技型中小企业评价工作，力争2025年入库企业突破1万家'],
      text: '持续开展科技型中小企业评价工作，力争2025年入库企业突破1万家。',
    },
    {
      actor: '省科技厅',
      section: ['3.下一步工作安排', '（2）省科技厅将会同省财政厅研究出台研发费用后补助政策'],
      text: '省科技厅将会同省财政厅研究出台研发费用后补助政策。',
    },
  ]);
  assertVerbatim(ARABIC, r);
});

test('第一，/第二， are top-level headings; an 附件 list before the signature is not a section', () => {
  const r = parseReply(DI, 'b.txt');
  assert.equal(r.proposalNumber, 'D27');
  assert.equal(r.issuer, '吉林省发展和改革委员会');
  assert.equal(r.date, '2025-06-10');
  assert.deepEqual(paths(r), ['开头', '第一，关于老旧小区改造', '第二，关于下一步工作', '落款']);
  assert.equal(section(r, '落款').text, '附件：1.2024年城市更新项目清单\n2.资金安排情况表\n吉林省发展和改革委员会\n2025年6月10日');
  assert.deepEqual(withoutDepartments(r.commitments), [
    { actor: '省住建厅', section: ['第二，关于下一步工作'], text: '省住建厅将继续推进老旧小区改造。' },
  ]);
  assertVerbatim(DI, r);
});

test('附件： on its own line with a numbered list, and 抄送 after the date', () => {
  const r = parseReply(ANNEX, 'e.txt');
  assert.equal(r.issuer, '吉林省教育厅');
  assert.equal(r.date, '2025-07-01');
  assert.deepEqual(paths(r), [
    '开头',
    '一、职业教育发展现状',
    '二、下一步工作打算',
    '二、下一步工作打算 > （一）深化产教融合',
    '二、下一步工作打算 > （二）完善政策支持',
    '落款',
  ]);
  assert.equal(section(r, '（二）完善政策支持').text, '积极争取国家政策支持。');
  assert.deepEqual(
    r.commitments.map((c) => [c.actor, c.text]),
    [
      ['省教育厅', '省教育厅将会同省人社厅推动建设一批产教融合实训基地。'],
      ['省教育厅', '积极争取国家政策支持。'],
    ],
  );
  assertVerbatim(ANNEX, r);
});

test('a 会签 line is not glued to the signature below it', () => {
  const r = parseReply(COSIGNED, 'f.txt');
  assert.equal(r.issuer, '吉林省商务厅');
  assert.equal(r.date, '2025-06-03');
  assert.equal(section(r, '二、下一步').text, '省商务厅将继续推进跨境电商综试区建设。');
  assert.equal(section(r, '落款').text, '会签：省财政厅长春海关\n吉林省商务厅\n2025年6月3日');
  assertVerbatim(COSIGNED, r);
});

const INLINE = doc(
  '关于省十四届人大四次会议第1234号建议的答复',
  '王芳代表：',
  '您提出的关于加快农村公路建设的建议收悉。现答复如下：',
  '一、关于农村公路建设情况。2024年全省新改建农村公路3000公里。',
  '二、下步工作安排。一是继续加大投入，2025年计划新改建农村公路2500公里。二是完善养护机制。三是省财政厅将研究提高补助标准。',
  '吉林省交通运输厅',
  '2025年5月20日',
);

test('a proposal title without 《》; a 下步工作安排 section is the issuer’s when only a later item names a department', () => {
  const r = parseReply(INLINE, 'c.txt');
  assert.equal(r.proposalTitle, '关于加快农村公路建设的建议');
  assert.equal(r.proposalNumber, '1234');
  assert.equal(r.kind, '代表建议');
  assert.deepEqual(withoutDepartments(r.commitments), [
    {
      actor: '吉林省交通运输厅',
      section: ['二、下步工作安排'],
      text: '一是继续加大投入，2025年计划新改建农村公路2500公里。二是完善养护机制。三是省财政厅将研究提高补助标准。',
    },
  ]);
  assertVerbatim(INLINE, r);
});

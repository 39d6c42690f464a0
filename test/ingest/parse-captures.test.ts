/**
 * Capture shapes found in replies the parser had never seen (the b3 blind set), each written here as a
 * new, made-up reply so the test checks the family and not one document: tables flattened into text
 * (cell borders, [label] cells, a label glued to the previous value, a body in one cell), metadata lines
 * with the page's controls after them, a 发文字号 before the title, a 《proposal title》 after it,
 * contact labels, leaked Word-HTML, and promises made by the body as the subject of 将.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReply } from '../../ingest/parse/index.ts';
import { dropFurniture, withoutTableBorder } from '../../ingest/parse/furniture.ts';
import { gluedKeyAt, readMetadata } from '../../ingest/parse/metadata.ts';
import { splitInlineHeadings } from '../../ingest/parse/layout.ts';

const lines = (...ls: string[]): string => ls.join('\n') + '\n';
const quoted = (r: ReturnType<typeof parseReply>, s: string) => r.commitments.some((c) => c.text.includes(s));

test('table borders: empty rows are furniture, the | at a line’s ends goes, cells inside a row stay', () => {
  assert.equal(withoutTableBorder('|||李建国等代表:您好'), '李建国等代表:您好');
  assert.equal(withoutTableBorder('关于对市九届人大三次会议第12号建议的答复 | ||| |'), '关于对市九届人大三次会议第12号建议的答复');
  assert.equal(withoutTableBorder('索引号|A1/2021-01|发布机构|某局|'), '索引号|A1/2021-01|发布机构|某局');
  assert.deepEqual(dropFurniture(['||||', '|', ' | | ', '正文']).lines, ['正文']);

  const r = parseReply(
    lines(
      '|',
      '关于对县十八届人大二次会议第45号建议的答复 |',
      '||||',
      '||李建国等代表: 您在县十八届人大二次会议上提出的《关于修缮村级文化活动室的建议》收悉,现答复如下: 今年我局已安排资金8万元。',
      '榆树县文化广电和旅游局 2024年7月2日 |',
      '||||',
    ),
    't.txt',
  );
  assert.equal(r.title, '关于对县十八届人大二次会议第45号建议的答复');
  assert.equal(r.recipient, '李建国等代表');
  assert.equal(r.issuer, '榆树县文化广电和旅游局');
  assert.equal(r.date, '2024-07-02');
});

test('[label] cells in a pipe row: a bracket is a boundary, a cell border ends the value', () => {
  const { meta } = readMetadata([
    '[索引号] | 11520000MB0000000X/2023-00112 | [发文字号] | 2023-17 |',
    '[主题分类] | 交通 | [体裁分类] | 建议提案 |',
    '[发布机构] | 某某镇人民政府 | [有效性] | |',
    '[成文日期] | 2023-04-01 | [发布日期] | 2023-04-03 |',
    '张某代表:',
  ]);
  assert.equal(meta.get('indexNumber'), '11520000MB0000000X/2023-00112');
  assert.equal(meta.get('docNumber'), '2023-17');
  assert.equal(meta.get('category'), '交通');
  assert.equal(meta.get('issuer'), '某某镇人民政府');
  assert.equal(meta.get('date'), '2023-04-01');
  assert.equal(meta.get('publishedDate'), '2023-04-03');
});

test('a label glued to the end of the previous value starts a value of its own', () => {
  assert.equal(gluedKeyAt('000014349/2022-00031发布机构'), '000014349/2022-00031'.length);
  assert.equal(gluedKeyAt('两会意见建议办理结果公开'), -1, 'a key word inside a Chinese value is no label');
  const { meta } = readMetadata(['索引号', '000014349/2022-00031信息所属单位', '综合规划司', '文号', '交规划函〔2022〕9号', '王某代表:']);
  assert.equal(meta.get('indexNumber'), '000014349/2022-00031');
  assert.equal(meta.get('issuer'), '综合规划司');
  assert.equal(meta.get('docNumber'), '交规划函〔2022〕9号');
});

test('keys are ranked within a field; dates of keys not kept are nobody’s date', () => {
  const { meta, rest } = readMetadata(['组配分类:人大建议办理', '主题分类:城乡建设、环境保护', '生效日期', '2021年3月1日', '失效日期:2026-03-01', '某某局', '王某代表:']);
  assert.equal(meta.get('category'), '城乡建设、环境保护', '主题分类 wins over 组配分类 wherever it is');
  assert.equal(meta.get('publishedDate'), undefined, 'a 失效日期 is not the page’s timestamp');
  assert.ok(!rest.includes('2021年3月1日'), 'the 生效日期 takes its date with it');
  assert.equal(readMetadata(['所属主题: 区政协提案办理', '王某委员:']).meta.get('category'), '区政协提案办理');
});

test('a 发文字号 in brackets before the title is the docNumber; a 《proposal title》 after it is the proposal’s', () => {
  const r = parseReply(
    lines(
      '(宁水发〔2021〕33号)关于对县政协十届五次会议第108号提案的答复',
      '县民盟支部:',
      '你们提出的《关于加强农村饮水工程管护的提案》收悉,现答复如下:',
      '我局已组织技术人员开展巡查。',
    ),
    't.txt',
  );
  assert.equal(r.docNumber, '宁水发〔2021〕33号');
  assert.equal(r.title, '关于对县政协十届五次会议第108号提案的答复');

  const t = parseReply(
    lines('县政协七届三次会议第21号提案的答复函《关于改造老城区排水管网的建议》', '赵某、钱某委员:', '您好!您的提案收悉,现将办理情况答复如下:', '我局已完成排水管网普查。'),
    't.txt',
  );
  assert.equal(t.title, '县政协七届三次会议第21号提案的答复函');
  assert.equal(t.proposalTitle, '关于改造老城区排水管网的建议');
  assert.equal(t.session, '县政协七届三次会议');
  assert.equal(t.proposalNumber, '21');
  const inside = parseReply(lines('某镇对县政协十届一次会议第7号提案《关于硬化村道的建议》的答复', '孙某委员:', '您的提案收悉,现答复如下:'), 't.txt');
  assert.equal(inside.title, '某镇对县政协十届一次会议第7号提案《关于硬化村道的建议》的答复', 'a 《》 inside the title stays');
});

test('关于“…”的议案(建议): the quoted title, and a 建议', () => {
  const r = parseReply(
    lines('对某某区五届人大二次会议第3号议案(建议)的答复', '尊敬的刘某等代表:', '您提出的关于“加快老旧小区加装电梯的建议”的议案(建议)收悉。现答复如下:', '我局已摸排老旧小区126个。'),
    't.txt',
  );
  assert.equal(r.proposalTitle, '加快老旧小区加装电梯的建议');
  assert.equal(r.kind, '代表建议');
});

test('a 会办意见 restates the item instead of acknowledging it: its opening still gives title and session', () => {
  const r = parseReply(
    lines(
      '某某省交通运输厅关于省人大代表第318号建议会办意见的函(某交函〔2022〕61号)',
      '省发展和改革委员会:',
      '周某代表在省十四届人大一次会议提出《关于建设沿江货运通道的建议》,由你委主办,我厅会办。现提出会办意见如下。',
      '一、加快前期工作',
      '我厅已将该通道纳入规划研究。',
    ),
    't.txt',
  );
  assert.equal(r.proposalTitle, '关于建设沿江货运通道的建议');
  assert.equal(r.session, '省十四届人大一次会议');
  assert.equal(r.docNumber, '某交函〔2022〕61号');
});

test('contact labels: 姓名, the phone joined to the person, the name before the number', () => {
  const closing = (label: string) =>
    parseReply(lines('关于对市八届人大二次会议第9号建议的答复', '马某代表:', '您提出的《关于增设公交站点的建议》收悉,现答复如下:', '我局已增设站点2处。', '某某市交通运输局', '2023年6月1日', label), 't.txt').contact;
  assert.equal(closing('联系人姓名及电话:吴敏 0851-86801234'), '吴敏 0851-86801234');
  assert.equal(closing('经办人及联系电话:陈立:0851—86805678'), '陈立 0851—86805678');
  assert.equal(closing('承办人和联系方式:郑华,13900001111'), '郑华 13900001111');
});

test('a contact in a capture flattened into one long line, with the signature date run into the number', () => {
  const body = '您提出的“关于建设社区健身广场”提案收悉,现将办理情况答复如下: ' + '近年来我县每年组织开展全民健身运动会和各类人群综合性赛事,不断满足群众健身需求。'.repeat(3);
  const r = parseReply(lines('李某委员: ' + body + ' 感谢您的关心。 联系电话:3225678 2022年6月3日 |'), 't.txt');
  assert.equal(r.contact, '3225678');
});

test('leaked Word-HTML damages the values it touches', () => {
  const r = parseReply(
    lines(
      '关于对市十三届人大四次会议第0031号建议的答复',
      '何某代表:',
      '您提出《关于开放历史街区的建议》已收悉,现答复如下3/span>',
      '我局已会同有关部门研究。',
      '签发人:孔祥东span lang="EN-US">',
      '经办人:冯晓sspan lang="EN-US">',
      '联系电话:85001234',
      '二○一一年五月十?span lang="EN-US">',
    ),
    't.txt',
  );
  assert.equal(r.signer, null);
  assert.equal(r.contact, null);
  assert.equal(r.date, null);
  assert.deepEqual(r.damaged, { date: '二○一一年五月十?span lang="EN-US">', signer: '孔祥东span lang="EN-US">', contact: '冯晓sspan lang="EN-US">' });
});

test('promises by the body as the subject of 将, whatever the verb; not 将 as 把, nor habitual or done', () => {
  const reply = (sentence: string) =>
    parseReply(lines('关于对县九届人大四次会议第6号建议的答复', '林某代表:', '您提出的《关于改善乡村道路照明的建议》收悉,现答复如下:', `今年已安装路灯40盏。${sentence}`, '某某县住房和城乡建设局', '2024年5月6日'), 't.txt');
  assert.ok(quoted(reply('为巩固成效,我局将从三个方面抓好落实。'), '我局将从三个方面抓好落实'));
  assert.ok(quoted(reply('在此基础上,我委将切实加快项目进度。'), '我委将切实加快项目进度'));
  assert.ok(quoted(reply('近期我县住建部门将与供电公司对接。'), '近期我县住建部门将与供电公司对接'));
  assert.ok(!quoted(reply('我局一直将路灯维护作为重点工作。'), '路灯维护作为重点工作'));
  assert.ok(!quoted(reply('我局已将您的建议转交镇政府。'), '转交镇政府'));
});

test('publication dates: a metadata line keeps its cells when the page’s controls follow; a counter glued before a timestamp', () => {
  const kept = dropFurniture(['来源:某某县水务局 发布时间:2024-03-05 字号:[ 大 中 小 ] 浏览次数:12']).lines;
  assert.equal(kept.length, 1);
  assert.match(kept[0]!, /^来源:某某县水务局 发布时间:2024-03-05/);
  assert.deepEqual(dropFurniture(['【责任编辑:某某】 【打印本页】 【关闭窗口】']).lines, [], 'no cell dafu reads: still furniture');
  const r = parseReply(lines('某某部对十四届全国人大一次会议第1234号建议的答复', 'editor 1232023-08-09', '您提出的关于加强职业教育的建议收悉,现答复如下:', '一、关于专业设置', '我部已印发指导意见。'), 't.txt');
  assert.equal(r.publishedDate, '2023-08-09');
});

test('a body flattened into one cell keeps its top-level headings; a list inside a sentence is no heading', () => {
  const cell = '周某委员:您提出的关于完善村道安保设施的提案收悉,现答复如下:一、基本情况全镇已安装护栏12公里,仍有部分路段缺少警示标志。二、下一步打算一是争取上级资金;二是组织专项排查。';
  const pieces = splitInlineHeadings(cell);
  assert.equal(pieces.length, 3);
  assert.match(pieces[1]!, /^一、基本情况/);
  assert.match(pieces[2]!, /^二、下一步打算/);
  const sentence = '近年来全县新建道路80公里,其中一、二级公路35公里,三、四级公路45公里,均已通过交工验收并投入使用,群众出行条件明显改善,沿线产业发展加快。';
  assert.deepEqual(splitInlineHeadings(sentence), [sentence]);

  // A reply with headings of its own: an inline 一、…二、… inside one of its paragraphs is a list, not two more parts.
  const r = parseReply(
    lines(
      '关于对县十届人大二次会议第8号建议的答复',
      '田某代表:',
      '您提出的《关于加强校园安全的建议》收悉,现答复如下:',
      '一、已开展的工作',
      '今年我局在全县学校开展了安全检查,主要做了两方面工作:一、排查校舍隐患,共整改问题36处,涉及学校21所。二、配齐安保人员,全县中小学专职保安已达到每校2名以上。',
      '二、下一步打算',
      '我局将继续加大投入。',
    ),
    't.txt',
  );
  assert.equal(new Set(r.sections.map((s) => s.path[0])).size, 2 + 1, '开头 and its own two parts');
});

test('a signing body glued after the contact’s number is the signature', () => {
  const r = parseReply(
    lines('关于对县十九届人大三次会议第15号建议的答复', '宋某代表:', '您提出的《关于维修村级水渠的建议》收悉,现答复如下:我局已安排维修资金。', '联系人及电话:邓洁13800002222某某县水利局2024年'),
    't.txt',
  );
  assert.equal(r.issuer, '某某县水利局');
  assert.equal(r.contact, '邓洁 13800002222');
});

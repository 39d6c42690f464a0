import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseReply } from '../../ingest/parse/index.ts';
import { normalize } from '../../ingest/normalize.ts';
import { isoDate, contactOf } from '../../ingest/parse/fields.ts';
import { departments } from '../../ingest/parse/commitments.ts';
import type { ParsedReply, ReplyFields } from '../../src/types.ts';

/** Commitments without their canonical departments (checked on their own): the shape tests compare what the text says. */
const withoutDepartments = (cs: ReadonlyArray<{ departments: string[] }>) => cs.map(({ departments: _d, ...c }) => c);


const CORPUS = join(import.meta.dirname, '..', '..', 'corpus');
const files = readdirSync(CORPUS).sort();
const raw = (prefix: string): string => readFileSync(join(CORPUS, files.find((f) => f.startsWith(prefix))!), 'utf8');
const parsed = (prefix: string): ParsedReply => parseReply(raw(prefix), files.find((f) => f.startsWith(prefix))!);
const fieldsOf = (r: ParsedReply): ReplyFields & { file: string } => {
  const { sections: _s, commitments: _c, ...fields } = r;
  return fields;
};

// The fields added for real page captures (issue 8): none of the five samples states them.
const NO_NEW_FIELDS = { categoryNumber: null, result: null, coHandlers: null, signer: null, damaged: null } as const;

// Expected values written down by reading each reply.
const EXPECTED: Record<string, ReplyFields & { file: string }> = {
  '000': {
    file: '000_0a014f049039ca47.txt',
    title: '关于对省十四届人大四次会议第0147号代表建议的答复',
    docNumber: '吉工信议案〔2025〕6号',
    indexNumber: '12220000412760962A/2025-01346',
    issuer: '吉林省工业和信息化厅',
    date: '2025-05-27',
    publishedDate: '2025-07-01',
    category: '人大代表建议;委员提案答复',
    recipient: '徐凤娟代表',
    proposalTitle: '关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议',
    session: '省十四届人大四次会议',
    proposalNumber: '0147',
    kind: '代表建议',
    contact: '王小飞 0431-87077670',
    ...NO_NEW_FIELDS,
  },
  '001': {
    file: '001_df39bc2c45c1e4b7.txt',
    title: null, // no title line, no metadata table
    docNumber: null,
    indexNumber: null,
    issuer: '吉林省科学技术厅', // the signing body
    date: '2025-05-23', // the signature date
    publishedDate: null,
    category: null,
    recipient: '张立华代表',
    proposalTitle: '关于深入推进吉林省人工智能和未来产业高质量发展的建议',
    session: '省十四届人大四次会议',
    proposalNumber: null, // the reply never states the suggestion's number
    kind: '代表建议', // addressed to a 代表
    contact: null,
    ...NO_NEW_FIELDS,
  },
  '002': {
    file: '002_0bd37d7d743fadf3.txt',
    title: '对省政协十三届二次会议第2024W298号委员提案的答复',
    docNumber: '吉科发高〔2024〕74号',
    indexNumber: null,
    issuer: '吉林省科学技术厅',
    date: null, // signature without a date
    publishedDate: null,
    category: null,
    recipient: '孙昭艳委员',
    proposalTitle: '关于加速人工智能科技创新的建议',
    session: '省政协十三届二次会议',
    proposalNumber: '2024W298',
    kind: '委员提案',
    contact: null,
    ...NO_NEW_FIELDS,
  },
  '003': {
    file: '003_e8697536acab98ae.txt',
    title: '关于对省政协十三届三次会议2025W233号提案的答复',
    docNumber: '吉工信议案〔2025〕11号',
    indexNumber: '12220000412760962A/2025-01350',
    issuer: '吉林省工业和信息化厅',
    date: '2025-05-29',
    publishedDate: '2025-07-01',
    category: '人大代表建议;议案',
    recipient: '孙俊奇委员',
    proposalTitle: '关于可持续发展新材料助力吉林省经济振兴的建议',
    session: '省政协十三届三次会议',
    proposalNumber: '2025W233',
    kind: '委员提案', // the title says 提案; it is addressed to a 委员
    contact: '王小飞 0431-87077670',
    ...NO_NEW_FIELDS,
  },
  '004': {
    file: '004_d9c7c73d928775f5.txt',
    title: '关于对省政协十三届三次会议第41号党派团体提案的答复',
    docNumber: '吉工信议案〔2025〕43号',
    indexNumber: null,
    issuer: '吉林省工业和信息化厅',
    date: null, // the signature has no date
    publishedDate: null,
    category: null,
    recipient: '省工商联',
    proposalTitle: '关于进一步促进我省制造业集聚发展的建议',
    session: '省政协十三届三次会议',
    proposalNumber: '41',
    kind: '党派团体提案',
    contact: null,
    ...NO_NEW_FIELDS,
  },
};

describe('parseReply: fields of the five sample replies', () => {
  for (const [prefix, expected] of Object.entries(EXPECTED)) {
    test(`${prefix}: every field exactly`, () => {
      assert.deepEqual(fieldsOf(parsed(prefix)), expected);
    });
  }

  test('the JSON has exactly the documented field names', () => {
    assert.deepEqual(Object.keys(parsed('000')), [
      'file', 'title', 'docNumber', 'indexNumber', 'issuer', 'date', 'publishedDate', 'category', 'recipient',
      'proposalTitle', 'session', 'proposalNumber', 'categoryNumber', 'kind', 'contact', 'result', 'coHandlers', 'signer', 'damaged',
      'sections', 'commitments',
    ]);
    for (const s of parsed('001').sections) assert.deepEqual(Object.keys(s), ['path', 'heading', 'text']);
    for (const c of parsed('000').commitments) assert.deepEqual(Object.keys(c), ['actor', 'section', 'text', 'departments']);
  });
});

const leafHeadings = (r: ParsedReply) => r.sections.map((s) => s.heading);
const topLevel = (r: ParsedReply) => r.sections.filter((s) => s.path.length === 1).map((s) => s.heading);

describe('parseReply: section trees', () => {
  test('000: five numbered parts with inline headings, plus 开头 and 落款', () => {
    const r = parsed('000');
    assert.deepEqual(leafHeadings(r), ['开头', '一、优化产业布局与技术创新', '二、推动先进制造业发展', '三、挖掘资源优势与降低成本', '四、探索智能化与数字化转型', '五、扩大开放合作与市场开拓', '落款']);
    const first = r.sections[1]!;
    assert.deepEqual(first.path, ['一、优化产业布局与技术创新']);
    assert.ok(first.text.startsWith('省商务厅积极推动与通化钢铁股份有限公司有产业关联的'), 'the heading is not repeated in the body');
    assert.ok(first.text.includes('\n省科技厅每年都将支持先进制造'), 'a section keeps all its paragraphs');
    // 一是/二是 run inline here, so they stay inside the section text.
    assert.ok(r.sections[3]!.text.includes('一是组织钢铁行业规范申报工作。'));
    assert.equal(r.sections[0]!.text.split('\n')[0], '关于对省十四届人大四次会议第0147号代表建议的答复');
    assert.equal(r.sections[6]!.text, '吉林省工业和信息化厅\n2025年5月27日\n（联系人：王小飞联系电话：0431-87077670）');
  });

  test('001: three parts, each with (一)(二)(三) children; paths run from the root', () => {
    const r = parsed('001');
    assert.equal(r.sections.length, 14);
    assert.deepEqual(topLevel(r), ['开头', '一、关于强化人工智能与未来产业政策的前瞻性、连贯性与落地性建议', '二、关于搭建吉林省人工智能与未来产业创新发展平台建议', '三、关于加强相关专业人才培养与人才支持建议', '落款']);
    const children = r.sections.filter((s) => s.path.length === 2);
    assert.equal(children.length, 9);
    assert.deepEqual(children.slice(0, 3).map((s) => s.heading), ['(一)主要举措', '(二)取得成效', '(三)下步工作']);
    assert.deepEqual(children[3]!.path, ['二、关于搭建吉林省人工智能与未来产业创新发展平台建议', '(一)主要举措']);
    assert.equal(r.sections[1]!.text, '', 'a parent whose body is all in its children has no text of its own');
    assert.ok(children[2]!.text.startsWith('一是围绕传统产业转型升级'));
    assert.equal(r.sections[13]!.text, '吉林省科学技术厅\n2025年5月23日');
  });

  test('002: five parts × (一)主要措施 (二)主要成效 (三)下步打算; 「下步打算：」 loses its colon', () => {
    const r = parsed('002');
    assert.equal(r.sections.length, 22);
    assert.deepEqual(topLevel(r), ['开头', '一、关于“加速成果落地”的建议', '二、关于“改善税收政策”的建议', '三、关于“鼓励科技创新”的建议', '四、关于“提升宣传力度”的建议', '五、关于“资源整合与共享”的建议', '落款']);
    const children = r.sections.filter((s) => s.path.length === 2);
    assert.equal(children.length, 15);
    assert.deepEqual([...new Set(children.map((s) => s.heading))], ['（一）主要措施', '（二）主要成效', '（三）下步打算']);
    assert.deepEqual(children[14]!.path, ['五、关于“资源整合与共享”的建议', '（三）下步打算']);
  });

  test('003: four headed parts whose bodies are the following paragraphs', () => {
    const r = parsed('003');
    assert.deepEqual(leafHeadings(r), ['开头', '一、以卓越工程师培养为抓手,推进产学研深度融合', '二、建立高校、科研院所与企业的联合研发平台,集中攻关可持续新材料的核心技术', '三、加快科技服务体系建设，提升转化效率', '四、政府引导推动可持续发展新材料在重点行业的应用', '落款']);
    assert.equal(r.sections[3]!.text.split('\n').length, 2);
    assert.ok(r.sections[3]!.text.split('\n')[1]!.startsWith('省教育厅依托科技产业服务中心'));
  });

  test('004: 二、下步工作安排 has its own text and four children', () => {
    const r = parsed('004');
    assert.equal(r.sections.length, 12);
    assert.deepEqual(topLevel(r), ['开头', '一、开展的主要工作', '二、下步工作安排', '落款']);
    const next = r.sections.find((s) => s.heading === '二、下步工作安排')!;
    assert.ok(next.text.startsWith('深入实施先进制造业集群梯次培育行动'));
    assert.deepEqual(r.sections.filter((s) => s.path[0] === '二、下步工作安排' && s.path.length === 2).map((s) => s.heading), [
      '（一）全面落实方案，大力推动集群梯度培育', '（二）提升创新能力，激发集群内生动力', '（三）引培龙头企业，优化产业链条', '（四）完善政策机制，提高集群竞争能力',
    ]);
    assert.ok(r.sections[0]!.text.includes('《建议》对我省制造业集聚发展现状作出了客观分析'), 'the opening paragraphs are in 开头');
  });

  test('every section text and commitment text is a verbatim substring of the normalized text', () => {
    for (const f of files) {
      const text = readFileSync(join(CORPUS, f), 'utf8');
      const norm = normalize(text);
      const r = parseReply(text, f);
      for (const s of r.sections) assert.ok(norm.includes(s.text), `${f} ${s.path.join(' > ')}`);
      for (const c of r.commitments) {
        assert.ok(norm.includes(c.text), `${f} commitment`);
        const section = r.sections.find((s) => s.path.join('>') === c.section.join('>'));
        assert.ok(section?.text.includes(c.text), `${f} commitment lies in its section`);
      }
    }
  });
});

describe('parseReply: commitments and their actors', () => {
  test('000: each department named in its own paragraph is the actor', () => {
    const r = parsed('000');
    assert.deepEqual(r.commitments.map((c) => [c.actor, c.section[0]]), [
      ['省商务厅', '一、优化产业布局与技术创新'],
      ['省科技厅', '一、优化产业布局与技术创新'],
      ['省人社厅', '二、推动先进制造业发展'],
      ['省工信厅', '三、挖掘资源优势与降低成本'],
      ['省政数局', '四、探索智能化与数字化转型'],
      ['省科技厅', '四、探索智能化与数字化转型'],
      ['省科技厅', '四、探索智能化与数字化转型'],
      ['省发改委', '五、扩大开放合作与市场开拓'],
      ['省国资委', '五、扩大开放合作与市场开拓'],
    ]);
    const c = r.commitments;
    assert.equal(c[0]!.text, '下一步，将根据通化钢铁股份有限公司发展战略需求，发挥商务部门境外渠道优势，邀请该企业积极参加经贸交流促进活动，向外国企业和机构推介该公司，引导该企业尝试开拓海外市场，促进企业提质增效。');
    assert.ok(c[2]!.text.startsWith('在下步工作中，将按照建议意见'), 'a short lead-in before the trigger is kept');
    assert.ok(c[6]!.text.includes('打好科技人才抢夺战'));
    assert.equal(c[7]!.text, '下一步，省发改委将积极协调中欧班列平台企业，强化服务意识、优化服务水平，全力支持通钢等机械制造企业通过中欧班列扩大出口规模，促进企业高质量发展。');
    assert.ok(c[8]!.text.endsWith('支持企业“走出去”。'));
  });

  test('001: the three (三)下步工作 sections, by 省科技厅 (named earlier in the same part)', () => {
    const r = parsed('001');
    assert.deepEqual(r.commitments.map((c) => [c.actor, c.section[1]]), [
      ['省科技厅', '(三)下步工作'],
      ['省科技厅', '(三)下步工作'],
      ['省科技厅', '(三)下步工作'],
    ]);
    assert.ok(r.commitments[0]!.text.includes('在优布局、深交流、拓场景、强保障4个方面发力'));
    assert.equal(r.commitments[2]!.text, '以项目、平台、政策为牵引，吸引、集聚顶尖人才为我所用，为我省人工智能和未来产业高质量发展提供智力支持。');
  });

  test('002: the five （三）下步打算 sections; the issuer when no department is named', () => {
    const r = parsed('002');
    assert.equal(r.commitments.length, 5);
    assert.ok(r.commitments.every((c) => c.section[1] === '（三）下步打算'));
    assert.deepEqual(r.commitments.map((c) => c.actor), ['吉林省科学技术厅', '吉林省科学技术厅', '吉林省科学技术厅', '省科技厅', '吉林省科学技术厅']);
  });

  test('003: 下一步 paragraphs with their own departments', () => {
    const r = parsed('003');
    assert.deepEqual(r.commitments.map((c) => c.actor), ['省委组织部、省教育厅、省工信厅、省国资委', '省科技厅', '省科技厅', '省教育厅', '省工信厅']);
    assert.ok(r.commitments[3]!.text.includes('每年支持50项产业化培育项目'));
    assert.equal(r.commitments[0]!.text.slice(0, 12), '下一步持续推进产教融合。');
  });

  test('004: the 下步工作安排 body and all four subsections, by the issuer', () => {
    const r = parsed('004');
    assert.equal(r.commitments.length, 5);
    assert.ok(r.commitments.every((c) => c.actor === '吉林省工业和信息化厅' && c.section[0] === '二、下步工作安排'));
    assert.ok(r.commitments[4]!.text.includes('组织开展省级先进制造业集群竞赛'));
  });
});

describe('parseReply: other shapes and bad input', () => {
  test('a text with no recognizable structure is one 正文 section with null fields', () => {
    const r = parseReply('这是一段没有任何结构的文字。\n第二段也没有。', 'x.txt');
    assert.deepEqual(r.sections, [{ path: ['正文'], heading: '正文', text: '这是一段没有任何结构的文字。\n第二段也没有。' }]);
    assert.equal(r.title, null);
    assert.equal(r.issuer, null);
    assert.deepEqual(withoutDepartments(r.commitments), []);
  });

  test('an empty text parses to no sections, without throwing', () => {
    const r = parseReply('', 'empty.txt');
    assert.deepEqual(r.sections, []);
    assert.deepEqual(withoutDepartments(r.commitments), []);
    assert.equal(r.file, 'empty.txt');
  });

  test('一、 > 1. > (1) nest in order of appearance; 一是 paragraphs become sections only when they start paragraphs', () => {
    const text = [
      '关于对市人大一届二次会议第D27号代表建议的答复',
      '王五代表：',
      '您提出的《关于修路的建议》收悉，现答复如下：',
      '一、工作情况',
      '1.道路建设',
      '(1)城区道路',
      '完成改造10公里。',
      '(2)乡村道路',
      '一是新建村道。',
      '二是养护县道。',
      '2.下一步打算',
      '继续推进道路建设。',
      '二、其他',
      '市交通局将加强巡查。下一步，将加快进度。',
      '某某市交通运输局',
      '二〇二五年六月三日',
    ].join('\n');
    const r = parseReply(text, 'x.txt');
    assert.deepEqual(r.sections.map((s) => s.path), [
      ['开头'],
      ['一、工作情况'],
      ['一、工作情况', '1.道路建设'],
      ['一、工作情况', '1.道路建设', '(1)城区道路'],
      ['一、工作情况', '1.道路建设', '(2)乡村道路'],
      ['一、工作情况', '1.道路建设', '(2)乡村道路', '一是新建村道'],
      ['一、工作情况', '1.道路建设', '(2)乡村道路', '二是养护县道'],
      ['一、工作情况', '2.下一步打算'],
      ['二、其他'],
      ['落款'],
    ]);
    assert.equal(r.proposalNumber, 'D27');
    assert.equal(r.session, '市人大一届二次会议');
    assert.equal(r.date, '2025-06-03');
    assert.equal(r.issuer, '某某市交通运输局');
    // Who promised, canonical as questions name them, stored with each promise.
    assert.deepEqual(r.commitments.map((c) => c.departments), [['某某市交通运输局'], ['市交通局']]);
    assert.deepEqual(withoutDepartments(r.commitments), [
      { actor: '某某市交通运输局', section: ['一、工作情况', '2.下一步打算'], text: '继续推进道路建设。' },
      // The paragraph names its own subject (市交通局): city and county departments are actors too, not only 省X厅.
      { actor: '市交通局', section: ['二、其他'], text: '下一步，将加快进度。' },
    ]);
  });

  test('helpers: ISO dates, contact lines, department names', () => {
    assert.equal(isoDate('2025年05月27日'), '2025-05-27');
    assert.equal(isoDate('二〇二五年五月二十七日'), '2025-05-27');
    assert.equal(isoDate('2025-7-1'), '2025-07-01');
    assert.equal(isoDate('五月'), null);
    assert.equal(contactOf(['（联系人：王小飞联系电话：0431-87077670）']), '王小飞 0431-87077670');
    assert.equal(contactOf(['联系人：李四']), '李四');
    assert.deepEqual(departments('省科技厅会同省委宣传部、省科协联合举办。省委、省政府统一部署，省级平台').map((d) => d.name), ['省科技厅', '省委宣传部、省科协']);
  });
});

/**
 * The answer engine end to end on a temp store built from the sample corpus
 * with the tiny model: exact lookup, commitments, abstention, follow-ups,
 * filters, and citation integrity on every dev question.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { holdsQuotation, markers, quotations, verifyAnswer } from '../../src/answer/citations.ts';
import { formatSourceLine } from '../../src/answer/format.ts';
import type { Answer, Conversation } from '../../src/answer/types.ts';
import { type SampleStore, buildSampleStore } from './sample-store.ts';

const DEV = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; question: string; doc: string; kind: string });

/** Every marker resolves, every quotation and every cited sentence is verbatim in the chunk it cites (and in the store). */
function assertIntegrity(s: SampleStore, a: Answer): void {
  // The engine's own check: the draft's quote lines verbatim, our own words only for their quotations.
  const check = verifyAnswer(a);
  assert.deepEqual(check.problems, [], `${a.question}\n${a.answer}`);
  const ns = new Set(a.citations.map((c) => c.n));
  for (const n of markers(a.answer)) assert.ok(ns.has(n), `[${n}] in ${a.answer}`);
  for (const c of a.citations) {
    // The citation's text is the stored chunk's body, not a copy that could drift.
    assert.equal(c.text, s.store.chunk(c.chunkId)?.metadata.text, `citation ${c.n} of ${a.question}`);
  }
  for (const q of quotations(a.answer)) assert.ok(a.citations.some((c) => holdsQuotation(c, q)), `quotation ${q}`);
  if (a.found) assert.ok(a.citations.length > 0, `found without sources: ${a.question}`);
  else assert.ok(/未找到|没有/.test(a.answer), a.answer);
}

describe('answer engine on the sample corpus', () => {
  let s: SampleStore;
  before(async () => {
    s = await buildSampleStore();
  });
  after(async () => {
    await s?.close();
  });

  it('looks a reply up by its 发文字号 and says which proposal it answers', async () => {
    const a = await s.engine.ask('吉科发高〔2024〕74号是回哪个提案的？');
    assert.equal(a.found, true);
    assert.equal(a.kind, 'lookup');
    assert.match(a.answer, /2024W298/);
    assert.match(a.answer, /孙昭艳委员/);
    assert.match(a.answer, /关于加速人工智能科技创新的建议/);
    assert.equal(a.citations[0]?.file, '002_0bd37d7d743fadf3.txt');
    assert.equal(a.citations[0]?.docNumber, '吉科发高〔2024〕74号');
    assertIntegrity(s, a);
  });

  it('ignores zero-width and direction marks in a question, a /doc number and a /commitments filter (issue 10, item 9)', async () => {
    const marks = ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\uFEFF'];
    const plain = await s.engine.ask('省科技厅下一步打算做什么？');
    assert.equal(plain.found, true);
    for (const m of marks) {
      const marked = await s.engine.ask(`省${m}科技厅下一步打算做什么？`);
      assert.equal(marked.answer, plain.answer, `U+${m.codePointAt(0)!.toString(16).toUpperCase()}`);
    }
    const number = s.engine.findReply('吉科发高〔2024〕74号');
    assert.ok(number);
    assert.equal(s.engine.findReply('\u200E吉科发高\u200B〔2024〕74\u2060号\uFEFF')?.id, number.id);
    const filtered = s.engine.commitments('省科技厅');
    assert.ok(filtered.length > 0);
    assert.deepEqual(s.engine.commitments('省\u200B科\u200D技厅').map((e) => e.text), filtered.map((e) => e.text));
  });

  it('finds replies by proposal number written in several ways, and by a deputy’s name', async () => {
    assert.equal(s.engine.findReply('0147')?.file, '000_0a014f049039ca47.txt');
    assert.equal(s.engine.findReply('第147号')?.file, '000_0a014f049039ca47.txt');
    assert.equal(s.engine.findReply('2025w233')?.file, '003_e8697536acab98ae.txt');
    assert.equal(s.engine.findReply('[2025]43号')?.file, '004_d9c7c73d928775f5.txt');
    assert.equal(s.engine.findReply('〔2030〕1号'), null);
    const a = await s.engine.ask('徐凤娟代表的建议是哪个厅答复的？');
    assert.equal(a.found, true);
    assert.match(a.answer, /吉林省工业和信息化厅/);
    assert.ok(a.citations.every((c) => c.file === '000_0a014f049039ca47.txt'));
  });

  it('answers a "which department" question with the department first, then the cited sentence that shows it', async () => {
    const a = await s.engine.ask('徐凤娟代表建议里，负责邀请通钢参加经贸交流活动、帮它开拓海外市场的是哪个部门？');
    assert.equal(a.kind, 'extractive', a.answer);
    const [first, second] = a.answer.split('\n');
    assert.equal(first, '省商务厅。');
    assert.match(second ?? '', /^省商务厅积极推动与通化钢铁股份有限公司有产业关联的.*邀请该企业积极参加经贸交流促进活动.*\[1\]$/u);
    assert.equal(a.citations[0]?.file, '000_0a014f049039ca47.txt');
    assert.ok(a.diagnostics?.retrieved[0]?.text.includes('省商务厅积极推动与通化钢铁股份有限公司有产业关联的'));
    assertIntegrity(s, a);
  });

  it('each composer decides its own kind of question (record, card, commitments, activities, relevance, extractive)', async () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['吉科发高〔2024〕74号是回哪个提案的？', 'lookup', 'record'],
      ['2025W233', 'lookup', 'record'],
      ['省科技厅下一步打算做什么？', 'commitments', 'commitments'],
      ['省科技厅做了什么？', 'extractive', 'threshold'],
      ['火星探测器的燃料怎么补给？', 'abstain', 'threshold'],
      ['科创专员一共选派了多少名？', 'extractive', 'threshold'],
    ];
    for (const [q, kind, route] of cases) {
      const a = await s.engine.ask(q);
      assert.equal(a.kind, kind, `${q}: ${a.answer.slice(0, 60)}`);
      assert.equal(a.diagnostics?.route, route, q);
      if (kind === 'abstain') assert.equal(a.diagnostics?.abstain, 'below-threshold', q);
      else assert.ok(a.draft && a.draft.lines.length > 0, `${q} is built as a draft`);
      assertIntegrity(s, a);
    }
  });

  it('「哪些支持措施」 lists the reply\'s own 主要措施 sections, each under its point (the /start example question)', async () => {
    const a = await s.engine.ask('关于人工智能科技创新，答复中提到了哪些支持措施？');
    assert.equal(a.found, true, a.answer);
    const lines = a.answer.split('\n');
    assert.match(lines[0]!, /吉科发高〔2024〕74号中列出的措施（共 5 部分）/u);
    assert.equal(lines.filter((l) => /^一、|^二、|^三、|^四、|^五、/u.test(l)).length, 5, a.answer);
    assert.ok(a.draft?.lines.filter((l) => l.quote).every((l) => a.citations.some((c) => c.text.includes(l.text))));
    assertIntegrity(s, a);
    // Not every 「哪些」 is a listing of sections: a question about promises stays with the commitments.
    assert.equal((await s.engine.ask('省科技厅下一步有哪些打算？')).kind, 'commitments');
  });

  it('a long question in a staff member\'s own words about 〔2025〕6号, asking two things, gets both: the named departments\' promises, then the contact', async () => {
    const q = '我们处里在整理今年代表建议办理情况的材料，领导想了解一下吉工信议案〔2025〕6号这份答复里面，针对徐凤娟代表提的机械制造企业融入一带一路的事情，各个部门都具体说了哪些下一步的打算，特别是商务厅和发改委那边的表态，还有联系人是谁、电话多少，麻烦帮我把原文里相关的内容找出来，我好写进汇报材料里，谢谢';
    const a = await s.engine.ask(q);
    assert.equal(a.found, true, a.answer);
    assert.match(a.answer, /省商务厅（1 条）[\s\S]*发挥商务部门境外渠道优势[\s\S]*省发改委（1 条）[\s\S]*中欧班列平台企业[\s\S]*联系人：王小飞，联系电话：0431-87077670。\[3\]$/u);
    assertIntegrity(s, a);
  });

  it('understands a stated year however jieba cuts it: 「2024年省科技厅承诺了什么？」 lists that year\'s promises', async () => {
    const a = await s.engine.ask('2024年省科技厅承诺了什么？');
    assert.equal(a.kind, 'commitments', a.answer);
    assert.match(a.answer, /吉科发高〔2024〕74号/u);
    assert.doesNotMatch(a.answer, /〔2025〕/u);
  });

  it('「…归哪个部门管？」 names the body the cited passage names, then quotes it', async () => {
    const a = await s.engine.ask('中欧班列的事归哪个部门管？');
    assert.equal(a.found, true, a.answer);
    assert.match(a.answer, /^省发改委。\n下一步，省发改委将积极协调中欧班列平台企业/u);
    assertIntegrity(s, a);
  });

  it('「一共…多少」 quotes the stated total, not a yearly plan', async () => {
    const a = await s.engine.ask('科创专员一共选派了多少名？');
    assert.match(a.answer, /1012名科技人才/u);
    assertIntegrity(s, a);
  });

  it('greetings, thanks and questions about dafu get a short Chinese answer with example questions, not "not found"', async () => {
    for (const q of ['你好', '谢谢！', '你是谁？能干什么？', 'What did the science department promise?']) {
      const a = await s.engine.ask(q);
      assert.equal(a.kind, 'chat', q);
      assert.doesNotMatch(a.answer, /未找到/u, q);
      assert.match(a.answer, /省科技厅下一步打算做什么？/u, q);
    }
  });

  it('answers who replied from the record, citing the 落款 that shows it; diagnostics report what retrieval found, not what was cited', async () => {
    const a = await s.engine.ask('张立华代表人工智能和未来产业那条建议，是哪个厅答复的？');
    assert.equal(a.kind, 'lookup', a.answer);
    assert.match(a.answer, /^答复单位：吉林省科学技术厅/u);
    assert.deepEqual(a.citations.map((c) => [c.file, c.section]), [['001_df39bc2c45c1e4b7.txt', ['落款']]]);
    // Retrieval's own order: every retrieved passage carries the scores retrieval gave it (none was moved in as evidence).
    assert.ok((a.diagnostics?.retrieved ?? []).every((p) => !('record' in p.scores)));
    assertIntegrity(s, a);
  });

  it('answers commitment questions exactly as before commitments were prepared at engine creation', async () => {
    // Golden answers captured from the engine before prepareCommitments existed (listing, department and topical paths).
    // If commitment extraction or the sample corpus changes on purpose, regenerate them deliberately.
    const golden = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'commitment-answers.json'), 'utf8')) as Array<{ question: string; answer: string; citations: string[] }>;
    assert.ok(golden.some((g) => g.question === '省科技厅下一步打算做什么？'));
    for (const g of golden) {
      const a = await s.engine.ask(g.question);
      assert.equal(a.kind, 'commitments', g.question);
      assert.equal(a.answer, g.answer, g.question);
      assert.deepEqual(a.citations.map((c) => `${c.n}${c.file}${c.section.join('/')}`), g.citations, g.question);
      assertIntegrity(s, a);
    }
  });

  it('answers a bare number or name with the reply’s card: what it answers, dates, its parts as sources, its promise count', async () => {
    for (const [q, file] of [['2025W233', '003_e8697536acab98ae.txt'], ['第41号提案', '004_d9c7c73d928775f5.txt'], ['吉工信议案〔2025〕11号', '003_e8697536acab98ae.txt'], ['张立华', '001_df39bc2c45c1e4b7.txt'], ['省工商联的提案答复了什么', '004_d9c7c73d928775f5.txt']] as const) {
      const a = await s.engine.ask(q);
      assert.equal(a.kind, 'lookup', `${q}: ${a.answer}`);
      assert.ok(a.citations.length > 1 && a.citations.every((c) => c.file === file), q);
      assert.match(a.answer, /答复的是|针对/);
      assert.match(a.answer, /正文共 \d+ 个部分/);
      assertIntegrity(s, a);
    }
    const a = await s.engine.ask('2025W233');
    assert.match(a.answer, /孙俊奇委员/);
    assert.match(a.answer, /成文日期：2025年5月29日；发布日期：2025年7月1日/);
    assert.match(a.answer, /下一步工作安排 5 条/);
    assert.deepEqual(a.citations.map((c) => c.section[0]), ['开头', '一、以卓越工程师培养为抓手,推进产学研深度融合', '二、建立高校、科研院所与企业的联合研发平台,集中攻关可持续新材料的核心技术', '三、加快科技服务体系建设，提升转化效率', '四、政府引导推动可持续发展新材料在重点行业的应用']);
    assert.doesNotMatch((await s.engine.ask('张立华')).answer, /的答复，答复的是/);
  });

  it('answers a commitment question from the extracted commitments, grouped by the department that made them', async () => {
    const a = await s.engine.ask('省科技厅下一步打算做什么？');
    assert.equal(a.found, true);
    assert.equal(a.kind, 'commitments');
    assert.match(a.answer, /^省科技厅：/);
    assert.ok(a.citations.length >= 2);
    // Promises of the science department, including one made inside a reply signed by another department (000 is 工信厅's).
    assert.ok(a.citations.some((c) => c.file === '001_df39bc2c45c1e4b7.txt'));
    assert.ok(a.citations.some((c) => c.file === '000_0a014f049039ca47.txt'));
    assertIntegrity(s, a);
    const entries = s.engine.commitments('科技厅');
    assert.ok(entries.length > 0);
    for (const e of entries) {
      assert.ok(e.chunkId, e.text);
      assert.ok(s.store.chunk(e.chunkId!)?.metadata.text.includes(e.text) || s.store.chunk(e.chunkId!)?.metadata.text.includes(e.text.split('。')[0]!));
    }
  });

  it('does not answer a question naming a numbered code (G235, S221) from a reply that never writes it, whichever composer would', async () => {
    // Commitments, "which department" and measures questions: each answered without the code, none with it.
    for (const [withCode, plain] of [
      ['G2025线中欧班列出口下一步怎么支持？', '中欧班列出口下一步怎么支持？'],
      ['中欧班列G2025线的事归哪个部门管？', '中欧班列的事归哪个部门管？'],
      ['关于人工智能科技创新G2025，答复中提到了哪些支持措施？', '关于人工智能科技创新，答复中提到了哪些支持措施？'],
    ] as const) {
      assert.equal((await s.engine.ask(plain)).found, true, plain);
      const a = await s.engine.ask(withCode);
      assert.equal(a.found, false, `${withCode}: ${a.answer}`);
    }
    // A code no chunk holds at all is named as the question writes it.
    assert.match((await s.engine.ask('QXZW线路什么时候开通？')).answer, /没有提到QXZW/);
  });

  it('answers a field of a reply described by its topic, not named: its contact, or that it states none', async () => {
    const a = await s.engine.ask('可持续发展新材料那份答复有问题找谁？');
    assert.equal(a.found, true);
    assert.match(a.answer, /^联系人：王小飞，联系电话：0431-87077670。/);
    assert.ok(a.citations.every((c) => c.file === '003_e8697536acab98ae.txt'));
    assertIntegrity(s, a);
    const none = await s.engine.ask('人工智能和未来产业那份建议的答复，联系电话多少？');
    assert.equal(none.found, false);
    assert.match(none.answer, /未写明联系人/);
    // A topic no reply's record covers is not pinned on the best passage's reply.
    const loose = await s.engine.ask('那份答复有问题找谁？');
    assert.doesNotMatch(loose.answer, /^联系人：/);
  });

  it('lists commitments under their group heading: the department asked about, by group then reply; one reply in its own order', () => {
    // A joint promise (省委组织部、省教育厅、省工信厅、省国资委) goes under the department the filter names, else under the actor as written.
    const joint = (es: ReturnType<typeof s.engine.commitments>) => es.filter((e) => e.departments.length > 1);
    assert.ok(joint(s.engine.commitments()).length > 0, 'the samples hold a joint promise');
    for (const e of joint(s.engine.commitments())) assert.equal(e.group, e.actor);
    for (const e of joint(s.engine.commitments('省教育厅'))) assert.equal(e.group, '省教育厅');
    // Spelled out in full, the science department still heads as its canonical short name.
    const science = s.engine.commitments('吉林省科学技术厅');
    assert.ok(science.length > 0 && science.every((e) => e.group === '省科技厅'));
    // Each group's entries adjacent, and within a group each reply's.
    const all = s.engine.commitments();
    const seen = new Set<string>();
    for (const [i, e] of all.entries()) {
      const key = `${e.group}\u0000${e.reply.id}`;
      const prev = all[i - 1];
      if (!prev || `${prev.group}\u0000${prev.reply.id}` !== key) {
        assert.ok(!seen.has(key), `${key} listed in two places`);
        seen.add(key);
      }
    }
    const reply = s.store.replies.find((r) => r.file === '003_e8697536acab98ae.txt')!;
    const own = s.engine.commitments(undefined, reply.id);
    assert.equal(own.length, reply.commitments.length);
    assert.ok(own.every((e) => e.reply.id === reply.id));
  });

  it('lists every promise of a department across replies, with a count, grouped by reply (no silent cap)', async () => {
    const a = await s.engine.ask('省科技厅下一步打算做什么？');
    const all = s.engine.commitments('省科技厅');
    assert.ok(all.length > 6, 'the sample corpus has more science-department promises than the old cap');
    assert.match(a.answer, new RegExp(`^省科技厅：共 ${all.length} 条下一步工作安排，来自 4 份答复`));
    assert.equal((a.answer.match(/^ *· /gmu) ?? []).length, all.length);
    for (const heading of ['吉工信议案〔2025〕6号（答复徐凤娟代表）', '吉科发高〔2024〕74号（答复孙昭艳委员）', '吉工信议案〔2025〕11号（答复孙俊奇委员）']) assert.ok(a.answer.includes(heading), heading);
    assertIntegrity(s, a);

    // 「哪些下一步工作」: 工作 and the 一步 jieba cuts from 下一步 are not a topic.
    const dept = await s.engine.ask('省工信厅下一步有哪些工作');
    assert.equal(dept.kind, 'commitments');
    assert.match(dept.answer, new RegExp(`^省工信厅：共 ${s.engine.commitments('省工信厅').length} 条`));
    const reply = await s.engine.ask('孙俊奇委员的提案答复了哪些下一步工作');
    assert.equal(reply.kind, 'commitments');
    assert.match(reply.answer, /^共 5 条下一步工作安排，来自 1 份答复/);
    assert.ok(reply.citations.every((c) => c.file === '003_e8697536acab98ae.txt'));
    // A proposing body (省工商联) names the reply; it is not the one who promised.
    const body = await s.engine.ask('省工商联的提案答复了哪些下一步工作');
    assert.equal(body.kind, 'commitments');
    assert.ok(body.citations.every((c) => c.file === '004_d9c7c73d928775f5.txt'));
    assertIntegrity(s, body);
  });

  it('treats 「怎么办」「怎么做」 as the question form, not as a topic the promises must mention', async () => {
    for (const [q, file] of [
      ['张立华代表的建议，下一步打算怎么办？', '001_df39bc2c45c1e4b7.txt'],
      ['徐凤娟代表的建议，下一步打算怎么做？', '000_0a014f049039ca47.txt'],
    ] as const) {
      const a = await s.engine.ask(q);
      assert.equal(a.kind, 'commitments', `${q}: ${a.answer}`);
      assert.ok(a.citations.length > 0 && a.citations.every((c) => c.file === file), q);
      assertIntegrity(s, a);
    }
  });

  it('says a department made no promise instead of quoting what it did', async () => {
    const a = await s.engine.ask('省财政厅答应了什么？');
    assert.equal(a.found, false);
    assert.match(a.answer, /没有省财政厅作出的下一步工作安排/);
    assert.equal(a.citations.length, 0);
  });

  it('quotes the exact promise when the commitment question names a topic', async () => {
    const a = await s.engine.ask('省发改委对通钢走中欧班列出口下一步怎么支持？');
    assert.equal(a.kind, 'commitments');
    assert.match(a.answer, /省发改委：/);
    assert.match(a.answer, /省发改委将积极协调中欧班列平台企业/);
    assertIntegrity(s, a);
  });

  it('abstains on a question the replies do not cover, showing only clearly marked related passages', async () => {
    const a = await s.engine.ask('长白山旅游门票价格是多少？');
    assert.equal(a.found, false);
    assert.equal(a.kind, 'abstain');
    assert.equal(a.citations.length, 0);
    assert.doesNotMatch(a.answer, /\[\d+\]/);
    assert.match(a.answer, /未找到相关内容/);
  });

  it('says so when a named number matches no reply, instead of answering about another one', async () => {
    const a = await s.engine.ask('第0999号建议的答复说了什么？');
    assert.equal(a.found, false);
    assert.match(a.answer, /0999/);
  });

  it('reports a field the reply does not state as missing (工商联 reply has no date)', async () => {
    const a = await s.engine.ask('工商联第41号提案的答复是哪天成文的？');
    assert.equal(a.found, false);
    assert.match(a.answer, /未写明成文日期/);
  });

  it('resolves 「那省科技厅呢？」 against the previous question', async () => {
    const conversation: Conversation = { turns: [] };
    const first = await s.engine.ask('省商务厅下一步打算做什么？', { conversation });
    assert.equal(first.kind, 'commitments');
    assert.match(first.answer, /^省商务厅：/);
    const follow = await s.engine.ask('那省科技厅呢？', { conversation });
    assert.equal(follow.resolvedQuestion, '省科技厅下一步打算做什么？');
    assert.match(follow.answer, /^省科技厅：/);
    assert.doesNotMatch(follow.answer, /省商务厅：/);
    assertIntegrity(s, follow);
    assert.equal(conversation.turns.length, 2);
  });

  it('expands 「第二条详细说说」 to the full cited passage, and 「这个是哪年答复的」 to the top source’s date', async () => {
    const conversation: Conversation = { turns: [] };
    const first = await s.engine.ask('省科技厅下一步打算做什么？', { conversation });
    const second = first.citations.find((c) => c.n === 2);
    assert.ok(second, 'the first answer has a second source');
    const more = await s.engine.ask('第二条详细说说', { conversation });
    assert.equal(more.found, true);
    assert.equal(more.citations.length, 1);
    assert.equal(more.citations[0]?.chunkId, second.chunkId);
    assert.equal(more.answer.replace(/\[1\]/g, '').replace(/\n/g, ''), second.text.split('\n').map((l) => l.trim()).filter(Boolean).join(''));
    assertIntegrity(s, more);

    const c2: Conversation = { turns: [] };
    const top = await s.engine.ask('职务科技成果赋权试点有几家单位？', { conversation: c2 });
    assert.equal(top.citations[0]?.file, '002_0bd37d7d743fadf3.txt');
    const when = await s.engine.ask('这个是哪年答复的？', { conversation: c2 });
    // 002 states no date of its own: the answer says so rather than borrowing another reply's, and dates it by its 发文字号.
    assert.equal(when.found, true);
    assert.match(when.answer, /未写明成文日期，但发文字号吉科发高〔2024〕74号中的〔2024〕表明是2024年/);
    assert.ok(when.citations.every((c) => c.file === '002_0bd37d7d743fadf3.txt'));
    const c3: Conversation = { turns: [] };
    await s.engine.ask('张立华代表的答复里说2021年以来支持了多少个人工智能科技攻关项目？', { conversation: c3 });
    const when3 = await s.engine.ask('这个是哪年答复的？', { conversation: c3 });
    assert.match(when3.answer, /2025年5月23日/);
    assert.ok(when3.citations.every((c) => c.file === '001_df39bc2c45c1e4b7.txt'));
  });

  it('a 「第N条」 the last answer does not have says so and keeps the context for the next follow-up', async () => {
    const conversation: Conversation = { turns: [] };
    const first = await s.engine.ask('张立华代表的答复里说2021年以来支持了多少个人工智能科技攻关项目？', { conversation });
    assert.equal(first.citations.length, 1);
    const missing = await s.engine.ask('第五条详细说说', { conversation });
    assert.equal(missing.found, false);
    assert.match(missing.answer, /上一条回答只列出了 \d+ 条，没有第5条/);
    const when = await s.engine.ask('这个是哪年答复的', { conversation });
    assert.match(when.answer, /2025年5月23日/);
  });

  it('cites the signature that shows the contact, worded as the reply words it', async () => {
    const a = await s.engine.ask('工信厅答复0147号建议和2025W233号提案，留的联系人是同一个人吗？');
    assert.match(a.answer, /联系人：王小飞，联系电话：0431-87077670/);
    assert.ok(a.citations.length === 2 && a.citations.every((c) => c.section[0] === '落款' && c.text.includes('0431-87077670')), a.citations.map(formatSourceLine).join('\n'));
  });

  it('a year filter keeps an undated reply whose 发文字号 carries the year (吉科发高〔2024〕74号)', async () => {
    const a = await s.engine.ask('人工智能项目支持了多少', { filters: { year: '2024' } });
    assert.equal(a.found, true, a.answer);
    assert.ok(a.citations.every((c) => c.file === '002_0bd37d7d743fadf3.txt'));
    const listed = await s.engine.ask('2024年的答复有哪些下一步打算');
    assert.equal(listed.kind, 'commitments');
    assert.match(listed.answer, /共 5 条下一步工作安排，来自 1 份答复/);
  });

  it('applies explicit filters strictly and filters stated in the question', async () => {
    const none = await s.engine.ask('人工智能科技攻关项目有多少？', { filters: { year: '2019' } });
    assert.equal(none.found, false);
    const dept = await s.engine.ask('人工智能科技攻关项目有多少？', { filters: { department: '省科技厅' } });
    assert.equal(dept.found, true);
    for (const c of dept.citations) assert.ok(c.issuer === '吉林省科学技术厅' || /省科技厅|科学技术厅/.test(c.text), formatSourceLine(c));
    const kind = await s.engine.ask('人工智能方面做了哪些工作？', { filters: { kind: '提案' } });
    for (const c of kind.diagnostics?.retrieved ?? []) assert.ok(['002_0bd37d7d743fadf3.txt', '003_e8697536acab98ae.txt', '004_d9c7c73d928775f5.txt'].includes(c.file), c.file);
  });

  it('keeps per-retriever ranks for diagnostics and caps chunks per reply', async () => {
    const a = await s.engine.ask('人工智能人才培养有哪些措施？');
    const r = a.diagnostics?.retrieved ?? [];
    assert.ok(r.length > 0);
    assert.ok(r.some((x) => x.ranks['dense'] !== undefined) && r.some((x) => x.ranks['lexical'] !== undefined));
    const perFile = new Map<string, number>();
    for (const x of r) perFile.set(x.file, (perFile.get(x.file) ?? 0) + 1);
    for (const [file, n] of perFile) assert.ok(n <= s.config.RETRIEVAL_MAX_PER_REPLY, `${file}: ${n}`);
  });

  it('every answer to every dev question keeps citation integrity; unanswerable ones abstain, answerable ones do not', async () => {
    for (const q of DEV) {
      const a = await s.engine.ask(q.question, { conversation: { turns: [] } });
      assertIntegrity(s, a);
      if (q.kind === 'unanswerable') assert.equal(a.found, false, q.id);
      else assert.equal(a.found, true, `${q.id}: ${a.answer}`);
    }
  });

  it('abstains on every off-topic question used to calibrate ABSTAIN_THRESHOLD', async () => {
    const offTopic = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'questions-offtopic.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { question: string });
    for (const q of offTopic) {
      const a = await s.engine.ask(q.question);
      assert.equal(a.found, false, `${q.question} → ${a.answer}`);
      assertIntegrity(s, a);
      for (const r of a.related) assert.equal(r.text, s.store.chunk(r.chunkId)?.metadata.text);
    }
  });

  it('reports store statistics', () => {
    const st = s.engine.stats();
    assert.equal(st.replies, 5);
    assert.ok(st.chunks > 5);
    assert.ok(st.commitments > 0);
    assert.ok(st.departments.includes('省科技厅') && st.departments.includes('省工信厅'));
    assert.equal(st.dateRange.to, '2025-05-29');
  });
});

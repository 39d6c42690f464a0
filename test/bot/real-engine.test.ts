/**
 * End to end with the real answer engine: a temp store built once from the
 * sample corpus with the tiny model, the real bot over real HTTP against a
 * Bot API server on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runIngest } from '../../ingest/run.ts';
import { createEngine } from '../../src/answer/engine.ts';
import type { Engine } from '../../src/answer/types.ts';
import { createEmbeddings, type LocalEmbeddings } from '../../src/embeddings/index.ts';
import { MSG } from '../../src/bot/messages.ts';
import { openStore } from '../../src/store/open.ts';
import { SAMPLE_CORPUS } from '../helpers/store.ts';
import { tinyModelConfig } from '../helpers/tiny-model.ts';
import { buttons, startHarness, type Harness } from '../helpers/bot-harness.ts';
import { htmlProblems, visibleText } from '../helpers/telegram-html.ts';

const text = (c: { params: Record<string, unknown> }) => String(c.params.text);
const squash = (s: string) => s.replace(/\s+/g, '');

describe('telegram bot with the real engine on the sample corpus', () => {
  let dir: string;
  let embeddings: LocalEmbeddings;
  let engine: Engine;
  let h: Harness;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dafu-bot-store-'));
    const config = tinyModelConfig({ STORE_DIR: dir });
    embeddings = createEmbeddings(config);
    await runIngest({ corpusDir: SAMPLE_CORPUS, storeDir: dir, config, embeddings });
    engine = createEngine(await openStore(dir, { embeddings }), config, { llm: null });
    h = await startHarness(engine);
  });
  after(async () => {
    await h?.close();
    await embeddings?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a number lookup with its citation, and the source button shows the cited passage verbatim', async () => {
    const [m] = await h.say({ userId: 1001, text: '第0147号代表建议是哪份答复？' });
    assert.deepEqual(htmlProblems(text(m!)), []);
    const seen = visibleText(text(m!));
    assert.ok(seen.includes('吉工信议案〔2025〕6号'), seen);
    assert.match(seen, /\[1\]/);
    assert.match(seen, /【1】/);
    const b = buttons(m!);
    assert.ok(b.length >= 1);
    for (const x of b) assert.ok(Buffer.byteLength(x.callback_data) <= 64);

    const since = h.api.calls.length;
    h.api.tap({ userId: 1001, message: m!.response as Record<string, unknown>, data: b[0]!.callback_data });
    const passage = await h.api.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 1001, { since });
    assert.ok(h.api.callsOf('answerCallbackQuery', since).length === 1);
    const chunkId = b[0]!.callback_data.split(':').slice(2).join(':');
    const chunk = engine.chunk(chunkId)!;
    assert.ok(chunk, 'button points at a stored chunk');
    const shown = visibleText(text(passage));
    assert.ok(shown.includes(chunk.metadata.text.trim()), 'passage shown in full, verbatim');
    assert.ok(shown.includes('发文字号：吉工信议案〔2025〕6号'));
    assert.ok(shown.includes('日期：2025年'));
  });

  it('answers a commitment question and a follow-up about another department', async () => {
    const [first] = await h.say({ userId: 1002, text: '省科技厅下一步有什么打算？' });
    assert.ok(visibleText(text(first!)).includes('省科技厅'));
    const [follow] = await h.say({ userId: 1002, text: '那省商务厅呢？' });
    const seen = visibleText(text(follow!));
    assert.ok(seen.includes('省商务厅'), seen);
    assert.ok(seen.includes('【1】'));
    // Every quoted line is verbatim in a cited passage.
    for (const line of seen.split('\n')) {
      const m = /^· (.+?)\[(\d+)\]$/.exec(line.trim());
      if (!m) continue;
      const cited = buttons(follow!).find((b) => b.text === `【${m[2]}】`)!;
      const chunk = engine.chunk(cited.callback_data.split(':').slice(2).join(':'))!;
      assert.ok(squash(chunk.metadata.text).includes(squash(m[1]!)), `verbatim: ${m[1]}`);
    }
  });

  it('/doc shows the reply card and sections; /commitments pages with edits', async () => {
    const [card] = await h.say({ userId: 1003, text: '/doc 吉工信议案〔2025〕6号' });
    const seen = visibleText(text(card!));
    assert.ok(seen.includes('关于对省十四届人大四次会议第0147号代表建议的答复'));
    assert.ok(seen.includes('徐凤娟代表'));
    assert.ok(seen.includes('一、优化产业布局与技术创新'));
    assert.ok(seen.includes('联系人：王小飞，联系电话：0431-87077670'), 'the contact reads as the reply and ask word it');

    const [page1] = await h.say({ userId: 1003, text: '/commitments' });
    assert.deepEqual(htmlProblems(text(page1!)), []);
    const next = buttons(page1!).find((b) => b.text === MSG.nextPage);
    assert.ok(next, 'more than one page of commitments in the sample corpus');
    const since = h.api.calls.length;
    h.api.tap({ userId: 1003, message: page1!.response as Record<string, unknown>, data: next.callback_data });
    const edit = await h.api.waitFor((c) => c.method === 'editMessageText', { since });
    assert.ok(visibleText(text(edit)).includes('第 2/'));
    assert.notEqual(text(edit), text(page1!));
  });

  it('/doc buttons open each part of a real reply verbatim, and its promises by department', async () => {
    const [card] = await h.say({ userId: 1005, text: '/doc 吉工信议案〔2025〕43号' });
    const reply = engine.findReply('吉工信议案〔2025〕43号')!;
    const b = buttons(card!);
    assert.deepEqual(b.map((x) => x.text), ['「开头」', '「一」', '「二」', '「落款」', MSG.docCommitments(reply.commitments.length)]);
    for (const x of b) assert.ok(Buffer.byteLength(x.callback_data) <= 64);

    let since = h.api.calls.length;
    h.api.tap({ userId: 1005, message: card!.response as Record<string, unknown>, data: b[2]!.callback_data });
    await h.api.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 1005, { since });
    while (h.bot.busy > 0) await new Promise((r) => setTimeout(r, 20));
    const part = h.sent(1005, since, 'sendMessage');
    for (const m of part) assert.deepEqual(htmlProblems(text(m)), []);
    const shown = part.map((m) => visibleText(text(m))).join('\n');
    const chunks = reply.chunkIds.map((id) => engine.chunk(id)!).filter((c) => c.metadata.section[0] === '二、下步工作安排');
    assert.ok(chunks.length > 1);
    for (const c of chunks) assert.ok(shown.includes(c.metadata.text.trim()), `verbatim: ${c.metadata.text.slice(0, 20)}`);
    assert.ok(shown.includes('吉工信议案〔2025〕43号 · 二、下步工作安排'), 'source lines');
    assert.ok(!shown.includes(engine.chunk(reply.chunkIds[0]!)!.metadata.text.trim()), 'not the opening');

    since = h.api.calls.length;
    h.api.tap({ userId: 1005, message: card!.response as Record<string, unknown>, data: b.at(-1)!.callback_data });
    const listed = await h.api.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 1005, { since });
    const seen = visibleText(text(listed));
    assert.ok(seen.includes(`下一步工作 共 ${reply.commitments.length} 条`), seen);
    for (const cm of reply.commitments) assert.ok(squash(seen).includes(squash(cm.text)), `promise: ${cm.text.slice(0, 20)}`);
    assert.equal([...text(listed).matchAll(/^<b>[^<]+<\/b>$/gm)].length, 1, 'one actor department');
  });

  it('/commitments 省科技厅 lists the department once, however the replies spell it (吉林省科学技术厅 = 省科技厅)', async () => {
    const headers: string[] = [];
    let [page] = await h.say({ userId: 1003, text: '/commitments 省科技厅' });
    for (;;) {
      assert.deepEqual(htmlProblems(text(page!)), []);
      headers.push(...[...text(page!).matchAll(/\n<b>([^<]+)<\/b>\n/g)].map((m) => m[1]!));
      // Each reply is named once per department on a page, its promises under it.
      const replyLines = visibleText(text(page!)).split('\n').filter((l) => l.startsWith('▸ '));
      assert.equal(new Set(replyLines).size, replyLines.length, replyLines.join('\n'));
      assert.ok(replyLines.length > 0);
      const next = buttons(page!).find((b) => b.text === MSG.nextPage);
      if (!next) break;
      const since = h.api.calls.length;
      h.api.tap({ userId: 1003, message: page!.response as Record<string, unknown>, data: next.callback_data });
      page = await h.api.waitFor((c) => c.method === 'editMessageText', { since });
    }
    assert.deepEqual([...new Set(headers)], ['省科技厅']);
  });

  it('/doc finds a reply by a name, a proposing body or a number as people write it, and lists candidates for an ambiguous query (issue 10, item 15)', async () => {
    for (const [query, docNumber] of [['张立华', null], ['省工商联', '吉工信议案〔2025〕43号'], ['第0147号代表建议', '吉工信议案〔2025〕6号']] as const) {
      const [card] = await h.say({ userId: 1006, text: `/doc ${query}` });
      const seen = visibleText(text(card!));
      assert.ok(!seen.includes('没有找到'), `${query}: ${seen}`);
      if (docNumber) assert.ok(seen.includes(docNumber), `${query}: ${seen}`);
      else assert.ok(seen.includes('张立华'), seen);
    }
    const [list] = await h.say({ userId: 1006, text: '/doc 〔2025〕' });
    assert.match(visibleText(text(list!)), /^「〔2025〕」对应 3 份答复，请选择：/);
    const choices = buttons(list!);
    assert.equal(choices.length, 3);
    assert.ok(choices.every((b) => /^dc:[0-9a-f]+$/.test(b.callback_data) && b.text.includes('〔2025〕')), JSON.stringify(choices));
    const pick = choices.find((b) => b.text.includes('43号'))!;
    const since = h.api.calls.length;
    h.api.tap({ userId: 1006, message: list!.response as Record<string, unknown>, data: pick.callback_data });
    const card = await h.api.waitFor((c) => c.method === 'sendMessage' && visibleText(String(c.params.text)).includes('吉工信议案〔2025〕43号'), { since });
    assert.ok(buttons(card).some((b) => b.text === '「开头」'), 'the chosen card has its part buttons');
  });

  it('/commitments applies a department and a keyword together, and a year (issue 10, item 15)', async () => {
    const both = engine.commitments('省科技厅 人工智能');
    const dept = engine.commitments('省科技厅');
    assert.ok(both.length > 0 && both.length < dept.length, `${both.length} of ${dept.length}`);
    for (const e of both) assert.ok(e.text.includes('人工智能') || (e.actor ?? '').includes('人工智能'), e.text);
    const [page] = await h.say({ userId: 1006, text: '/commitments 省科技厅 人工智能' });
    assert.match(visibleText(text(page!)), new RegExp(`^下一步工作承诺（省科技厅 人工智能） 共 ${both.length} 条`));

    const y2024 = engine.commitments('2024');
    assert.ok(y2024.length > 0);
    assert.ok(y2024.every((e) => e.reply.docNumber === '吉科发高〔2024〕74号'), 'only the 2024 reply (dated by its 发文字号)');
    const [p2024] = await h.say({ userId: 1006, text: '/commitments 2024' });
    assert.match(visibleText(text(p2024!)), new RegExp(`共 ${y2024.length} 条`));
    assert.equal(engine.commitments('2025').length + y2024.length, engine.commitments().length);
  });

  it('/help tells what the bot knows, with dates written as the sources write them', async () => {
    const [m] = await h.say({ userId: 1004, text: '/help' });
    const seen = visibleText(text(m!));
    // Issue 10, item 16: 吉科发高〔2024〕74号 has no dated signature; its 发文字号 dates it to 2024.
    assert.ok(seen.includes('共 5 份答复（2024年 至 2025年5月29日）'), seen);
    const [about] = await h.say({ userId: 1004, text: '/about' });
    assert.match(visibleText(text(about!)), /日期范围：2024年 至 2025年5月29日\n[\s\S]*最近导入：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    assert.ok(seen.includes('省科技厅'));
    assert.ok(seen.includes('示例问题'));
  });
});

/**
 * End to end: the real bot (grammY runner, real HTTP) against a Bot API
 * server on 127.0.0.1, with an in-test engine so Telegram mechanics
 * (escaping, splitting, buttons, paging, access, groups, retries, errors,
 * shutdown, log hygiene) can be provoked precisely.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MSG } from '../../src/bot/messages.ts';
import { fakeEngine, type FakeEngine } from '../helpers/bot-fake-engine.ts';
import type { RecordedCall } from '../helpers/bot-api-server.ts';
import { buttons, startHarness, type Harness } from '../helpers/bot-harness.ts';
import { htmlProblems, visibleText } from '../helpers/telegram-html.ts';

const text = (c: { params: Record<string, unknown> }) => String(c.params.text);

describe('telegram bot (in-test engine)', () => {
  let h: Harness;
  let engine: FakeEngine;

  before(async () => {
    engine = fakeEngine({ secret: '123456789:TEST-token-that-must-never-be-logged-AAAA' });
    h = await startHarness(engine);
  });
  after(async () => {
    await h.close();
  });

  it('registers the command menu on start', () => {
    const call = h.api.callsOf('setMyCommands')[0];
    assert.ok(call, 'setMyCommands was called');
    const names = (call.params.commands as Array<{ command: string }>).map((c) => c.command);
    for (const n of ['help', 'doc', 'commitments', 'reset', 'about', 'ask']) assert.ok(names.includes(n), n);
  });

  it('answers a question with citations, escaped HTML and one button per source', async () => {
    const since = h.api.calls.length;
    const msgs = await h.say({ userId: 1001, text: '省科技厅支持哪些科技攻关？' });
    assert.equal(msgs.length, 1);
    const m = msgs[0]!;
    assert.equal(m.params.parse_mode, 'HTML');
    assert.deepEqual(htmlProblems(text(m)), []);
    assert.match(text(m), /&lt;研发&gt;/, 'corpus markup is escaped');
    const seen = visibleText(text(m));
    assert.match(seen, /\[1\]/);
    assert.match(seen, /【1】《关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议》 · 吉工信议案〔2025〕6号 · 一、优化产业布局与技术创新 › （一）科技攻关 · 2025年5月27日/);
    assert.match(seen, /【2】/);
    const b = buttons(m);
    assert.deepEqual(b.map((x) => x.text), ['【1】', '【2】']);
    for (const x of b) assert.ok(Buffer.byteLength(x.callback_data) <= 64);
    assert.ok(h.api.callsOf('sendChatAction', since).some((c) => c.params.action === 'typing' && c.params.chat_id === 1001), 'typing indicator shown');
  });

  it('splits a long answer below 4096 characters without breaking tags', async () => {
    const msgs = await h.say({ userId: 1002, text: '请给我一个很长的回答' });
    assert.ok(msgs.length >= 2, `split into ${msgs.length}`);
    for (const m of msgs) {
      assert.ok(text(m).length <= 4096, `part of ${text(m).length} chars`);
      assert.deepEqual(htmlProblems(text(m)), []);
    }
    // Nothing is lost: every paragraph appears, in order, and the source list comes last with the buttons.
    const all = msgs.map((m) => visibleText(text(m))).join('\n');
    for (let i = 1; i <= 40; i++) assert.ok(all.includes(`第${i}段：`), `paragraph ${i}`);
    assert.ok(all.indexOf('第40段') < all.indexOf('【1】'));
    assert.equal(buttons(msgs.at(-1)!).length, 2);
    assert.ok(msgs.slice(0, -1).every((m) => buttons(m).length === 0));
  });

  it('shows the full passage with title, 发文字号, section and date when a source button is tapped', async () => {
    const [answer] = await h.say({ userId: 1003, text: '省科技厅支持什么？' });
    const data = buttons(answer!)[0]!.callback_data;
    const since = h.api.calls.length;
    const qid = h.api.tap({ userId: 1003, message: answer!.response as Record<string, unknown>, data });
    const passage = await h.api.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 1003, { since });
    assert.ok(h.api.callsOf('answerCallbackQuery', since).some((c) => c.params.callback_query_id === qid), 'callback answered');
    assert.deepEqual(htmlProblems(text(passage)), []);
    const seen = visibleText(text(passage));
    assert.ok(seen.includes('省科技厅每年都将支持先进制造<研发>及新一代信息技术领域科技攻关列入省科技发展计划，2024年支持A&B两个领域重点研发项目84项。'), 'full passage');
    assert.ok(seen.includes('关于对省十四届人大四次会议第0147号代表建议的答复'));
    assert.ok(seen.includes('发文字号：吉工信议案〔2025〕6号'));
    assert.ok(seen.includes('章节：一、优化产业布局与技术创新 › （一）科技攻关'));
    assert.ok(seen.includes('日期：2025年5月27日'));
  });

  it('/doc shows the reply card and its sections', async () => {
    const [m] = await h.say({ userId: 1004, text: '/doc 〔2025〕6号' });
    const seen = visibleText(text(m!));
    assert.deepEqual(htmlProblems(text(m!)), []);
    for (const s of ['关于对省十四届人大四次会议第0147号代表建议的答复', '吉工信议案〔2025〕6号', '徐凤娟代表', '吉林省工业和信息化厅', '2025年5月27日', '一、优化产业布局与技术创新', '（一）科技攻关', '二、拓展海外市场']) {
      assert.ok(seen.includes(s), s);
    }
    const [none] = await h.say({ userId: 1004, text: '/doc 〔1999〕1号' });
    assert.equal(text(none!), MSG.docNotFound('〔1999〕1号'));
  });

  /** Taps `data` under `message` as `userId`; resolves with the bot's answer to the query and the message it then sent. */
  const tapFor = async (userId: number, message: RecordedCall, data: string) => {
    const since = h.api.calls.length;
    const qid = h.api.tap({ userId, message: message.response as Record<string, unknown>, data });
    const answered = await h.api.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === qid, { since });
    while (h.bot.busy > 0) await new Promise((r) => setTimeout(r, 20));
    return { answered, sent: h.sent(userId, since, 'sendMessage') };
  };

  it('/doc has a button per part of the reply that shows its passages in full with their citations', async () => {
    const [card] = await h.say({ userId: 1004, text: '/doc 吉工信议案〔2025〕6号' });
    const b = buttons(card!);
    assert.deepEqual(b.map((x) => x.text), ['「一」', '「二」', MSG.docCommitments(9)]);
    for (const x of b) assert.ok(Buffer.byteLength(x.callback_data) <= 64, x.callback_data);
    assert.ok(visibleText(text(card!)).includes(MSG.docButtonsHint));

    const { answered, sent } = await tapFor(1004, card!, b[0]!.callback_data);
    assert.equal(answered.params.show_alert, undefined, 'answered without an alert');
    assert.equal(sent.length, 1);
    assert.equal((sent[0]!.params.reply_parameters as { message_id: number }).message_id, (card!.response as { message_id: number }).message_id, 'sent as a reply to the card');
    assert.deepEqual(htmlProblems(text(sent[0]!)), []);
    const seen = visibleText(text(sent[0]!));
    assert.ok(seen.startsWith('「一」一、优化产业布局与技术创新\n▸ 吉工信议案〔2025〕6号 · 徐凤娟代表'), seen);
    assert.ok(seen.includes('（一）科技攻关\n省科技厅每年都将支持先进制造<研发>及新一代信息技术领域科技攻关列入省科技发展计划，2024年支持A&B两个领域重点研发项目84项。'), 'passage in full, verbatim, under its sub-heading');
    assert.ok(seen.includes('《关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议》 · 吉工信议案〔2025〕6号 · 一、优化产业布局与技术创新 › （一）科技攻关 · 2025年5月27日'), 'source line');
    assert.ok(!seen.includes('境外渠道'), 'only this part');

    const second = await tapFor(1004, card!, b[1]!.callback_data);
    assert.ok(visibleText(text(second.sent[0]!)).includes('下一步，省商务厅将发挥商务部门境外渠道优势'));
  });

  it("/doc's 下一步工作 button lists the reply's promises by actor department, each with its section", async () => {
    const [card] = await h.say({ userId: 1004, text: '/doc 0147' });
    const promises = buttons(card!).find((x) => x.text === MSG.docCommitments(9))!;
    const { sent } = await tapFor(1004, card!, promises.callback_data);
    assert.equal(sent.length, 1);
    assert.deepEqual(htmlProblems(text(sent[0]!)), []);
    const seen = visibleText(text(sent[0]!));
    assert.ok(seen.startsWith('下一步工作 共 9 条\n▸ 吉工信议案〔2025〕6号 · 徐凤娟代表\n《关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议》 · 2025年5月27日'), seen);
    // Grouped by actor: each department once, its promises under it, in order.
    const heads = [...text(sent[0]!).matchAll(/^<b>(省\S+厅)<\/b>$/gm)].map((m) => m[1]);
    assert.deepEqual(heads, ['省商务厅', '省工信厅', '省科技厅']);
    const order = [...seen.matchAll(/第(\d+)条承诺/g)].map((m) => Number(m[1]));
    assert.deepEqual(order, [1, 5, 9, 3, 7, 11, 4, 8, 12]);
    assert.equal(seen.match(/↳ 二、拓展海外市场/g)?.length, 9, 'every promise cites its section');
  });

  it('/doc buttons work for a number too long for callback data, and a stale button says so', async () => {
    const padded = `吉工信议案${' '.repeat(40)}〔2025〕6号`; // the fake engine ignores spaces; 71 bytes
    const [card] = await h.say({ userId: 1004, text: `/doc ${padded}` });
    const b = buttons(card!);
    for (const x of b) assert.ok(Buffer.byteLength(x.callback_data) <= 64, x.callback_data);
    const { sent } = await tapFor(1004, card!, b[1]!.callback_data);
    assert.ok(visibleText(text(sent[0]!)).includes('境外渠道优势'));

    // The reply changed since the card was sent (another id): an alert, nothing else.
    const stale = b[0]!.callback_data.replace(/^(d[pq]):r1:/, '$1:r9:');
    const gone = await tapFor(1004, card!, stale);
    assert.equal(gone.answered.params.text, MSG.docGone);
    assert.equal(gone.answered.params.show_alert, true);
    assert.equal(gone.sent.length, 0);
  });

  /** A /commitments page's outline: department headings, reply lines and items (by number), in order. */
  const outline = (html: string) =>
    visibleText(html)
      .split('\n')
      .map((l) => /^(省\S+厅|▸ .+|• 第\d+条)/.exec(l)?.[1])
      .filter((l): l is string => l !== undefined);
  const R1 = '▸ 吉工信议案〔2025〕6号 · 徐凤娟代表';
  const R2 = '▸ 吉科发高〔2024〕74号 · 孙昭艳委员';

  it('/commitments is grouped by department, paged, and the next page edits the message', async () => {
    const [first] = await h.say({ userId: 1005, text: '/commitments' });
    const seen = visibleText(text(first!));
    // Department, then each reply (发文字号 · 答复对象) once with its items under it, though the engine lists them interleaved.
    assert.deepEqual(outline(text(first!)), ['省商务厅', R1, '• 第1条', '• 第5条', '• 第9条', '省科技厅', R2, '• 第2条', '• 第6条']);
    assert.ok(seen.includes(`${R1}\n《关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议》 · 2025年5月27日\n• 第1条`), 'reply line, then its title and date');
    assert.equal(seen.match(/\n {2}↳ 二、拓展海外市场/g)?.length, 5, 'each item with its section');
    assert.ok(seen.includes('省商务厅') && seen.includes('第 1/3 页'), seen);
    assert.ok(seen.includes('第1条承诺：下一步将持续推进<重点>工作&落实。'));
    assert.ok(seen.includes('吉工信议案〔2025〕6号'), 'each commitment carries its citation');
    const next = buttons(first!).find((b) => b.text === MSG.nextPage)!;
    assert.ok(next, 'has a next-page button');
    const since = h.api.calls.length;
    const qid = h.api.tap({ userId: 1005, message: first!.response as Record<string, unknown>, data: next.callback_data });
    const edit = await h.api.waitFor((c) => c.method === 'editMessageText', { since });
    assert.ok(h.api.callsOf('answerCallbackQuery', since).some((c) => c.params.callback_query_id === qid));
    assert.equal(edit.params.message_id, (first!.response as { message_id: number }).message_id);
    assert.ok(visibleText(text(edit)).includes('第 2/3 页'));
    // A department cut by the page boundary gets its heading again; its replies stay sub-grouped.
    assert.deepEqual(outline(text(edit)), ['省科技厅', R2, '• 第10条', R1, '• 第4条', '• 第8条', '• 第12条', '省工信厅', R1, '• 第3条']);
    assert.deepEqual(htmlProblems(text(edit)), []);
    assert.deepEqual(buttons(edit).map((b) => b.text), [MSG.prevPage, '2/3', MSG.nextPage]);
  });

  it('a filtered /commitments keeps its filter across pages, even when it is long', async () => {
    const filter = '省科技厅'.repeat(6); // 72 bytes: too long for callback data as is
    const [m] = await h.say({ userId: 1005, text: `/commitments ${filter}` });
    assert.equal(text(m!), MSG.commitmentsNone(filter));
    const [f] = await h.say({ userId: 1005, text: '/commitments 省科技厅' });
    assert.ok(visibleText(text(f!)).includes('共 6 条'));
  });

  it('caps /doc and /commitments arguments and never echoes more than a short excerpt (issue 10, item 7)', async () => {
    const huge = '吉工信议案'.repeat(1000);
    for (const command of ['doc', 'commitments']) {
      const [m] = await h.say({ userId: 1006, text: `/${command} ${huge}` });
      assert.equal(text(m!), MSG.argTooLong(command, 5000, h.config.MAX_QUESTION_LENGTH));
    }
    // Under the cap but long: the reply quotes 30 characters of it, not all 480.
    const long = '不存在的编号'.repeat(80);
    for (const command of ['doc', 'commitments']) {
      const [m] = await h.say({ userId: 1006, text: `/${command} ${long}` });
      assert.ok(text(m!).length < 100, `${command}: ${text(m!).length} characters`);
      assert.ok(text(m!).includes(`${long.slice(0, 30)}…`), text(m!));
    }
  });

  it('answers a follow-up against the same chat history, and /reset forgets it', async () => {
    await h.say({ userId: 1006, text: '省科技厅支持哪些科技攻关？' });
    const [follow] = await h.say({ userId: 1006, text: '那下一步呢？' });
    assert.ok(visibleText(text(follow!)).includes('接上一个问题「省科技厅支持哪些科技攻关？」'));
    const [reset] = await h.say({ userId: 1006, text: '/reset' });
    assert.equal(text(reset!), MSG.reset);
    const [fresh] = await h.say({ userId: 1006, text: '那下一步呢？' });
    assert.ok(!visibleText(text(fresh!)).includes('接上一个问题'));
  });

  it('hints at /help for an unknown command in a private chat', async () => {
    const [m] = await h.say({ userId: 1004, text: '/nosuch' });
    assert.equal(text(m!), MSG.unknownCommand);
  });

  it('refuses a stranger with nothing from the corpus', async () => {
    const asked = engine.asked.length;
    const msgs = await h.say({ userId: 4242, text: '省科技厅支持哪些科技攻关？' });
    assert.equal(msgs.length, 1);
    assert.equal(text(msgs[0]!), MSG.refused(4242));
    // Issue 10, item 14: the refusal carries the id the admin needs.
    assert.match(text(msgs[0]!), /您的 Telegram 用户编号：4242$/);
    const help = await h.say({ userId: 4242, text: '/help' });
    assert.equal(text(help[0]!), MSG.refused(4242));
    const inGroup = await h.say({ userId: 4242, chatId: -100777, text: '/ask@dafu_test_bot 省科技厅支持什么？' });
    assert.match(text(inGroup[0]!), /您的 Telegram 用户编号：4242\n本群编号：-100777$/);
    assert.equal(engine.asked.length, asked, 'the engine was never asked');
  });

  it('in a group: ignores chatter, answers a mention, a reply to the bot and /ask, as replies', async () => {
    const group = -100777;
    const since = h.api.calls.length;
    h.api.sendText({ userId: 1007, chatId: group, chatType: 'supergroup', text: '大家好，今天下午三点开会' });
    const msgs = await h.say({ userId: 1007, chatId: group, chatType: 'supergroup', text: '@dafu_test_bot 省科技厅支持什么？' });
    assert.equal(h.sent(group, since, 'sendMessage').length, 1, 'chatter was ignored');
    const answer = msgs[0]!;
    assert.ok((answer.params.reply_parameters as { message_id: number }).message_id > 1, 'sent as a reply');
    assert.ok(!engine.asked.includes('大家好，今天下午三点开会'));
    assert.ok(engine.asked.includes('省科技厅支持什么？'), 'mention stripped from the question');

    const [byReply] = await h.say({ userId: 1007, chatId: group, chatType: 'supergroup', text: '那下一步呢？', replyTo: answer.response as Record<string, unknown> });
    assert.ok(visibleText(text(byReply!)).includes('接上一个问题'));
    const [byAsk] = await h.say({ userId: 1007, chatId: group, chatType: 'supergroup', text: '/ask 省科技厅支持什么？' });
    assert.ok(visibleText(text(byAsk!)).includes('【1】'));
  });

  it('says so when the replies do not cover a question, listing related passages as such', async () => {
    const [m] = await h.say({ userId: 1008, text: '火星基地建设进展如何？' });
    const seen = visibleText(text(m!));
    assert.ok(seen.includes('没有找到'));
    assert.ok(seen.includes('可能相关的段落（并非答案，仅供参考）'));
    assert.equal(buttons(m!).length, 1);
  });

  it('retries after a 429 (waiting retry_after) and after 500s, then delivers', async () => {
    h.api.failNext('sendMessage', { code: 429, retryAfter: 1 });
    const since = h.api.calls.length;
    const [m] = await h.say({ userId: 1009, text: '省科技厅支持哪些科技攻关？' });
    const attempts = h.api.callsOf('sendMessage', since).filter((c) => c.params.chat_id === 1009);
    assert.equal(attempts.length, 2, 'one refused, one delivered');
    assert.equal((attempts[0]!.response as { error_code: number }).error_code, 429);
    assert.equal(text(m!), text(attempts[0]!));

    h.api.failNext('sendMessage', { code: 500 }, 2);
    const since2 = h.api.calls.length;
    await h.say({ userId: 1009, text: '省科技厅支持哪些科技攻关？' });
    assert.equal(h.api.callsOf('sendMessage', since2).filter((c) => c.params.chat_id === 1009).length, 3);
  });

  it('apologises for a failing update and keeps serving', async () => {
    const [apology] = await h.say({ userId: 1001, text: '这个问题会出错' });
    assert.equal(text(apology!), MSG.apology);
    const [next] = await h.say({ userId: 1001, text: '省科技厅支持哪些科技攻关？' });
    assert.ok(visibleText(text(next!)).includes('【1】'));
    assert.ok(h.logs.some((l) => l.includes('"update failed"') && l.includes('engine exploded')));
  });

  it('never writes the token to the log, and not the question text by default', () => {
    const all = h.logs.join('');
    assert.ok(h.logs.length > 10);
    assert.ok(!all.includes(h.api.token), 'token leaked into the log');
    assert.ok(all.includes('[redacted]'), 'the token in the error message was redacted');
    assert.ok(!all.includes('省科技厅支持哪些科技攻关'), 'question text logged without LOG_QUESTIONS');
    const answered = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'answered');
    assert.ok(answered.length > 0);
    for (const k of ['chatType', 'questionLength', 'latencyMs', 'citations', 'found']) assert.ok(k in answered[0]!, k);
  });
});

describe('telegram bot: limits and shutdown', () => {
  it('refuses everyone when no allow-list is set and BOT_OPEN_ACCESS is off, and warns the operator', async () => {
    const engine = fakeEngine();
    const h = await startHarness(engine, { ALLOWED_USER_IDS: '', ADMIN_USER_IDS: '' });
    try {
      const [m] = await h.say({ userId: 5, text: '省科技厅支持什么？' });
      assert.equal(text(m!), MSG.refused(5));
      assert.equal(engine.asked.length, 0);
      assert.ok(h.logs.some((l) => l.includes('"level":"warn"') && l.includes('ALLOWED_USER_IDS')));
    } finally {
      await h.close();
    }
  });

  it('rate-limits a user politely, caps question length, and lets only admins /reload', async () => {
    const engine = fakeEngine();
    let reloads = 0;
    const h = await startHarness(engine, { RATE_LIMIT_PER_MINUTE: '2', MAX_QUESTION_LENGTH: '20' }, { reload: async () => (reloads++, { engine: fakeEngine() }) });
    try {
      const [long] = await h.say({ userId: 1002, text: '问'.repeat(21) });
      assert.equal(text(long!), MSG.tooLong(21, 20));
      await h.say({ userId: 1002, text: '省科技厅支持什么？' });
      await h.say({ userId: 1002, text: '省科技厅支持什么？' });
      const [limited] = await h.say({ userId: 1002, text: '省科技厅支持什么？' });
      assert.match(text(limited!), /频繁/);
      assert.equal(engine.asked.length, 2);

      const [denied] = await h.say({ userId: 1003, text: '/reload' });
      assert.equal(text(denied!), MSG.reloadNotAdmin);
      const done = await h.say({ userId: 1001, text: '/reload' });
      assert.equal(reloads, 1);
      assert.equal(text(done.at(-1)!), MSG.reloadDone(2, 3));
    } finally {
      await h.close();
    }
  });

  it('stops gracefully: stop() resolves after the answer in flight was sent', async () => {
    const engine = fakeEngine({ slowMs: 800 });
    const h = await startHarness(engine);
    const since = h.api.calls.length;
    h.api.sendText({ userId: 1001, text: '这个问题回答得很慢' });
    await h.api.waitFor((c) => c.method === 'sendChatAction', { since });
    await h.running.stop();
    const answers = h.sent(1001, since, 'sendMessage');
    assert.equal(answers.length, 1, 'the in-flight answer was delivered before stop() resolved');
    assert.ok(visibleText(text(answers[0]!)).includes('【1】'));
    await h.running.done;
    const polls = h.api.callsOf('getUpdates').length;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(h.api.callsOf('getUpdates').length, polls, 'no more polling after stop');
    await h.api.close();
  });
});

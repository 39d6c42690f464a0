/**
 * `ask` and `chat` as a user runs them: child processes through the CLI on a
 * temp store built from the sample corpus with the tiny model.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingestSampleStore } from '../helpers/store.ts';
import { cli } from './cli-helper.ts';
import { TEST_MODEL_NOTICE_ZH } from '../../src/embeddings/is-test-model.ts';
import { CHAT_HELP } from '../../src/commands/chat.ts';

describe('ask and chat commands', () => {
  let store: string;
  before(async () => {
    store = await ingestSampleStore('dafu-ask-store-');
  });
  after(async () => {
    await rm(store, { recursive: true, force: true });
  });

  it('ask --json prints one object with the documented fields; a number lookup cites the 002 reply', async () => {
    const run = await cli(['ask', '--store', store, '--json', '吉科发高〔2024〕74号是回哪个提案的？']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]!) as Record<string, unknown> & { citations: Array<Record<string, unknown>>; timings: Record<string, number> };
    for (const key of ['question', 'found', 'answer', 'citations', 'timings']) assert.ok(key in out, key);
    assert.equal(out.found, true);
    assert.match(String(out.answer), /2024W298/);
    const c = out.citations[0]!;
    assert.deepEqual(Object.keys(c).sort(), ['date', 'docNumber', 'file', 'issuer', 'n', 'section', 'text', 'title']);
    assert.equal(c.file, '002_0bd37d7d743fadf3.txt');
    assert.equal(c.docNumber, '吉科发高〔2024〕74号');
    assert.equal(c.issuer, '吉林省科学技术厅');
    assert.ok(Array.isArray(c.section));
    assert.equal(typeof out.timings.total, 'number');
  });

  it('ask prints a commitment answer grouped by department, then the source list', async () => {
    const run = await cli(['ask', '--store', store, '省科技厅下一步打算做什么？']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^省科技厅：共 \d+ 条下一步工作安排，来自 \d+ 份答复。\n  ▸ .+\n  · .+\[1\]/);
    assert.match(run.stdout, /\n来源：\n【1】《[^》]+》 · /);
  });

  it('ask says when the replies do not cover a question, and rejects bad options clearly', async () => {
    const run = await cli(['ask', '--store', store, '--json', '长白山旅游门票价格是多少？']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { found: boolean; answer: string; citations: unknown[] };
    assert.equal(out.found, false);
    assert.match(out.answer, /未找到相关内容/);
    assert.deepEqual(out.citations, []);

    const bad = await cli(['ask', '--store', store, '--year', '25', '问题']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--year must be a four-digit year/);
    const none = await cli(['ask', '--store', join(store, 'missing')]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no question given/);
  });

  it('chat says first, plainly, that the tiny test model is in use (issue 10, item 13)', async () => {
    const run = await cli(['chat', '--store', store], { stdin: '' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split('\n')[0], TEST_MODEL_NOTICE_ZH);
  });

  it("chat has the bot's /doc and /commitments, and its /help is in Chinese (issue 10, item 17)", async () => {
    const input = ['/help', '/doc 张立华', '/doc 〔2025〕', '/doc 不存在的编号', '/commitments 省科技厅 人工智能', '/commitments 2024', ''].join('\n');
    const run = await cli(['chat', '--store', store], { stdin: input });
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    assert.ok(out.includes(CHAT_HELP), 'the Chinese help');
    assert.doesNotMatch(CHAT_HELP, /[A-Za-z]{4,}(?<!commitments|source|reset|help|quit|Ctrl)\b/, 'no English prose in the help');
    assert.match(out, /答复对象：张立华代表/);
    assert.match(out, /「〔2025〕」对应 3 份答复/);
    assert.match(out, /没有找到与「不存在的编号」对应的答复/);
    assert.match(out, /下一步工作承诺（省科技厅 人工智能）：共 \d+ 条\n\n【省科技厅】/);
    assert.match(out, /下一步工作承诺（2024）：共 \d+ 条[\s\S]*吉科发高〔2024〕74号/);
    assert.doesNotMatch(out, /未知命令/);
  });

  it('chat reads piped lines: follow-ups, /source, /reset', async () => {
    const input = ['省商务厅下一步打算做什么？', '那省科技厅呢？', '/source 1', '/source 99', '/reset', '第二条详细说说', ''].join('\n');
    const run = await cli(['chat', '--store', store], { stdin: input });
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /省商务厅：/);
    assert.match(out, /省科技厅：/);
    // /source 1 prints the source line and the full passage of the last answer's first source.
    const afterSource = out.slice(out.indexOf('省科技厅：'));
    assert.match(afterSource, /【1】[^\n]+\n[^\n]{20,}/);
    assert.match(out, /没有来源 99/);
    assert.match(out, /对话已重置/);
    // After /reset there is no previous answer to expand: no crash, an ordinary answer or "not found".
    assert.ok(out.trim().length > 0);
  });
});

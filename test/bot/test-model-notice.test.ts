/**
 * Issue 10, item 13: when the tiny test model is the model in use, the bot's
 * start log and /about say so plainly; with a real model id they do not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_MODEL_NOTICE_EN, TEST_MODEL_NOTICE_ZH } from '../../src/embeddings/is-test-model.ts';
import { fakeEngine } from '../helpers/bot-fake-engine.ts';
import { startHarness } from '../helpers/bot-harness.ts';
import { visibleText } from '../helpers/telegram-html.ts';
import { tinyModelDirSync } from '../helpers/tiny-model.ts';

const text = (c: { params: Record<string, unknown> }) => visibleText(String(c.params.text));

describe('the tiny test model is named as such', () => {
  it('in the start log and /about when it is EMBEDDING_MODEL', async () => {
    const h = await startHarness(fakeEngine(), { EMBEDDING_MODEL: tinyModelDirSync() });
    try {
      assert.ok(h.logs.some((l) => l.includes('"level":"warn"') && l.includes(JSON.stringify(TEST_MODEL_NOTICE_EN).slice(1, -1))), 'start log');
      const [about] = await h.say({ userId: 1001, text: '/about' });
      assert.ok(text(about!).includes(TEST_MODEL_NOTICE_ZH), text(about!));
    } finally {
      await h.close();
    }
  });

  it('not with a real model', async () => {
    const h = await startHarness(fakeEngine());
    try {
      assert.ok(!h.logs.some((l) => l.includes('TEST model')));
      const [about] = await h.say({ userId: 1001, text: '/about' });
      assert.ok(!text(about!).includes('测试'));
    } finally {
      await h.close();
    }
  });
});

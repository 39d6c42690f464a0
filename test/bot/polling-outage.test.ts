/**
 * Issue 10, item 5: after a getUpdates outage the bot must hear again within
 * the capped retry interval. The runner's own interval doubled without a cap
 * (after a 60 s outage the bot stayed deaf another 40 s) and it gave up
 * polling after its maxRetryTime. Real HTTP against the local Bot API server,
 * with the cap shortened to 500 ms so the case takes seconds; the outage is
 * logged once when it starts and once when it ends.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeEngine } from '../helpers/bot-fake-engine.ts';
import { startHarness } from '../helpers/bot-harness.ts';

describe('polling after a getUpdates outage', () => {
  for (const kind of ['network', 'server error'] as const) {
    it(`hears again within the capped interval after 3.5 s of ${kind === 'network' ? 'dropped connections' : '502s'}`, async () => {
      const h = await startHarness(fakeEngine(), {}, { retry: { pollMaxDelayMs: 500 } });
      try {
        await h.api.waitFor((c) => c.method === 'getUpdates');
        const outageMs = 3500;
        h.api.failFor('getUpdates', outageMs, kind === 'network' ? 'network' : { code: 502, description: 'Bad Gateway' });
        const endsAt = Date.now() + outageMs;
        // Queued during the outage, as Telegram keeps updates until they are fetched.
        h.api.sendText({ userId: 1001, text: '/reset' });
        const answer = await h.api.waitFor((c) => c.method === 'sendMessage', { timeoutMs: 20_000 });
        const deafMs = Date.now() - endsAt;
        assert.ok(deafMs < 1500, `answered ${deafMs} ms after the outage ended`);
        assert.ok(answer);
        const warned = h.logs.filter((l) => l.includes('cannot get updates from Telegram'));
        assert.equal(warned.length, 1, 'the outage is logged once, not at every retry');
        assert.ok(h.logs.some((l) => l.includes('"getting updates from Telegram again"')));
        assert.ok(!h.logs.some((l) => l.includes('"level":"warn"') && l.includes('"stack"')), 'no stack traces for a polling outage');
      } finally {
        await h.close();
      }
    });
  }
});

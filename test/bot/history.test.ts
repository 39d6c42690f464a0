import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MemoryChatHistory, withHistory } from '../../src/bot/history.ts';
import { MemoryRateLimiter } from '../../src/bot/rate-limit.ts';
import { MemorySeenUpdates } from '../../src/bot/seen-updates.ts';

const turn = (q: string) => ({ question: q, resolvedQuestion: q, citations: [], at: 0 });

it('chat history survives within the TTL, expires after silence, and is per chat', async () => {
  let now = 0;
  const h = new MemoryChatHistory(30 * 60_000, () => now);
  await h.append(1, turn('q'));
  now += 29 * 60_000;
  assert.equal((await h.load(1)).turns.length, 1);
  assert.equal((await h.load(2)).turns.length, 0);
  now += 29 * 60_000; // the previous load refreshed it
  assert.equal((await h.load(1)).turns.length, 1);
  now += 31 * 60_000;
  assert.equal((await h.load(1)).turns.length, 0, 'expired after 31 minutes of silence');
  await h.append(1, turn('q'));
  await h.reset(1);
  assert.equal((await h.load(1)).turns.length, 0);
});

it('withHistory stores only the turn the answer added, and keeps the last five', async () => {
  const h = new MemoryChatHistory(60_000);
  for (let i = 0; i < 7; i++) {
    await withHistory(h, 1, async (conv) => {
      // As the engine does: push, trimming the oldest.
      conv.turns.push(turn(`q${i}`));
      if (conv.turns.length > 5) conv.turns.splice(0, conv.turns.length - 5);
    });
  }
  assert.deepEqual((await h.load(1)).turns.map((t) => t.question), ['q2', 'q3', 'q4', 'q5', 'q6']);
  const loaded = await h.load(1);
  loaded.turns.length = 0;
  assert.equal((await h.load(1)).turns.length, 5, 'a loaded conversation is a copy');
});

it('rate limiter allows N a minute per user, notifies once per window, and recovers', async () => {
  let now = 0;
  const r = new MemoryRateLimiter(2, () => now);
  assert.equal((await r.take('a')).ok, true);
  assert.equal((await r.take('a')).ok, true);
  assert.equal((await r.take('b')).ok, true, 'other users are not affected');
  const third = await r.take('a');
  assert.ok(!third.ok && third.notify && third.retryInSeconds === 60);
  const fourth = await r.take('a');
  assert.ok(!fourth.ok && !fourth.notify, 'one notice per window');
  now += 60_001;
  assert.equal((await r.take('a')).ok, true);
});

it('an update id is taken once', async () => {
  const seen = new MemorySeenUpdates(2);
  assert.equal(await seen.first(1), true);
  assert.equal(await seen.first(1), false);
  assert.equal(await seen.first(2), true);
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ChatHistory } from '../../src/bot/history.ts';
import { RateLimiter } from '../../src/bot/rate-limit.ts';

it('chat history survives within the TTL, expires after silence, and is per chat', () => {
  let now = 0;
  const h = new ChatHistory(30 * 60_000, () => now);
  h.get(1).turns.push({ question: 'q', resolvedQuestion: 'q', citations: [], at: 0 });
  now += 29 * 60_000;
  assert.equal(h.get(1).turns.length, 1);
  assert.equal(h.get(2).turns.length, 0);
  now += 29 * 60_000; // the previous get refreshed it
  assert.equal(h.get(1).turns.length, 1);
  now += 31 * 60_000;
  assert.equal(h.get(1).turns.length, 0, 'expired after 31 minutes of silence');
  h.get(1).turns.push({ question: 'q', resolvedQuestion: 'q', citations: [], at: 0 });
  h.reset(1);
  assert.equal(h.get(1).turns.length, 0);
});

it('rate limiter allows N a minute per user, notifies once per window, and recovers', () => {
  let now = 0;
  const r = new RateLimiter(2, () => now);
  assert.equal(r.take('a').ok, true);
  assert.equal(r.take('a').ok, true);
  assert.equal(r.take('b').ok, true, 'other users are not affected');
  const third = r.take('a');
  assert.ok(!third.ok && third.notify && third.retryInSeconds === 60);
  const fourth = r.take('a');
  assert.ok(!fourth.ok && !fourth.notify, 'one notice per window');
  now += 60_001;
  assert.equal(r.take('a').ok, true);
});

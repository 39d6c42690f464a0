import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, redact } from '../src/log.ts';

describe('logger', () => {
  const token = '987654321:AAF-secret_token_value_0123456789abcd';

  it('writes JSON lines and honours the level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (l) => void lines.push(l) });
    log.info('hidden');
    log.warn('shown', { n: 1 });
    assert.equal(lines.length, 1);
    const obj = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(obj.level, 'warn');
    assert.equal(obj.msg, 'shown');
    assert.equal(obj.n, 1);
  });

  it('redacts the token from messages, fields, nested errors and their causes', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', secrets: [token], write: (l) => void lines.push(l) });
    const inner = new Error(`request to https://api.telegram.org/bot${token}/getMe failed`);
    const err = Object.assign(new Error('Network request failed', { cause: inner }), { error: inner });
    log.error(`oops ${token}`, { error: err, url: `https://x/bot${token}/m`, nested: { deep: [token] } });
    log.child({ component: 'bot' }).info('child', { token });
    const out = lines.join('');
    assert.ok(!out.includes(token));
    assert.ok(!out.includes('secret_token_value'));
    assert.ok(out.includes('[redacted]'));
    assert.ok(out.includes('"component":"bot"'));
  });

  it('redacts anything shaped like a bot token, even one it was not told about', () => {
    assert.equal(redact('x 111111:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 y'), 'x [redacted] y');
  });
});

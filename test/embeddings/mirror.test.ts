import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { DafuModelError } from '../../src/errors.ts';
import { createEmbeddings } from '../../src/embeddings/index.ts';
import { TEST_MODEL_DIMENSIONS } from '../../src/embeddings/test-model.ts';
import { tinyModelDirSync } from '../helpers/tiny-model.ts';

// A stand-in for a hub mirror such as hf-mirror.com: serves the tiny model
// under the hub's URL layout, {org}/{name}/resolve/{revision}/{file}.
let server: Server;
let host = '';
const requests: string[] = [];
before(async () => {
  const dir = tinyModelDirSync();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/dafu\/tiny-mirror\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const file = m?.[1] ? path.join(dir, decodeURIComponent(m[1])) : '';
    if (!file || !file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(m ? 404 : 500).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('EMBEDDING_REMOTE_HOST: a hub id is fetched from the mirror into the cache, then loads offline from it', async (t) => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'dafu-mirror-cache-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const settings = { EMBEDDING_MODEL: 'dafu/tiny-mirror', EMBEDDING_CACHE_DIR: cache, EMBEDDING_DTYPE: 'fp32', EMBEDDING_THREADS: '1' };
  const online = createEmbeddings(loadConfig({ ...settings, EMBEDDING_REMOTE_HOST: host }));
  assert.equal(await online.load(), TEST_MODEL_DIMENSIONS);
  const vector = await online.embedQuery('农村公路');
  await online.dispose();
  assert.ok(requests.some((u) => u.endsWith('/onnx/model.onnx')));
  assert.ok(existsSync(path.join(cache, 'dafu', 'tiny-mirror', 'onnx', 'model.onnx')), 'downloaded into EMBEDDING_CACHE_DIR');

  const before = requests.length;
  const offline = createEmbeddings(loadConfig({ ...settings, EMBEDDING_OFFLINE: '1', EMBEDDING_REMOTE_HOST: host }));
  const again = await offline.embedQuery('农村公路');
  await offline.dispose();
  assert.equal(requests.length, before, 'offline mode made no request');
  assert.deepEqual(again, vector);
});

test('a mirror without the model: the error names the model and the host tried', async (t) => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'dafu-mirror-cache-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const e = createEmbeddings(loadConfig({ EMBEDDING_MODEL: 'dafu/not-there', EMBEDDING_CACHE_DIR: cache, EMBEDDING_REMOTE_HOST: host }));
  await assert.rejects(e.load(), (err: unknown) => {
    assert.ok(err instanceof DafuModelError);
    assert.ok(err.message.includes('"dafu/not-there"') && err.message.includes(`${host}/`), err.message);
    assert.match(err.message, /Cause: .+/);
    assert.ok(!/\n\s+at /.test(err.message), 'no stack trace in the message');
    return true;
  });
});

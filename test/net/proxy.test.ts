/**
 * Issue 10, item 12: HTTPS_PROXY / HTTP_PROXY (and NO_PROXY) are honoured by
 * the Bot API client and by the model download. A real HTTP CONNECT proxy on
 * 127.0.0.1 records the tunnels it opens; the Bot API server and a hub
 * mirror serving the tiny model are the local ones the other tests use.
 */
import { tempDir } from '../helpers/temp.ts';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createEmbeddings } from '../../src/embeddings/index.ts';
import { TEST_MODEL_DIMENSIONS } from '../../src/embeddings/test-model.ts';
import { installProxyFetch, proxyFor } from '../../src/net/proxy.ts';
import { MSG } from '../../src/bot/messages.ts';
import { fakeEngine } from '../helpers/bot-fake-engine.ts';
import { startHarness } from '../helpers/bot-harness.ts';
import { tinyModelDirSync } from '../helpers/tiny-model.ts';

/** A forward proxy that only does CONNECT, like most corporate proxies for https; `requireAuth` answers 407 without credentials. */
async function connectProxy(requireAuth?: string): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket) => {
    sockets.add(client);
    if (requireAuth && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(requireAuth).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('proxy settings', () => {
  let mirror: Server;
  let mirrorHost = '';
  before(async () => {
    const dir = tinyModelDirSync();
    mirror = createHttpServer((req, res) => {
      const m = /^\/dafu\/tiny-proxied\/resolve\/main\/(.+)$/.exec(req.url ?? '');
      const file = m?.[1] ? path.join(dir, decodeURIComponent(m[1])) : '';
      if (!file || !file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
    mirrorHost = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => mirror.close(() => r())));

  it('proxyFor reads HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'proxy.example.org:3128', http_proxy: 'http://p2:8080', NO_PROXY: 'localhost,.internal.example, 10.0.0.1:8443' };
    assert.equal(proxyFor('https://api.telegram.org/bot1/getMe', env)?.href, 'http://proxy.example.org:3128/');
    assert.equal(proxyFor('http://hf-mirror.example/x', env)?.href, 'http://p2:8080/');
    assert.equal(proxyFor('http://localhost:8080/', env), null);
    assert.equal(proxyFor('https://a.internal.example/', env), null);
    assert.equal(proxyFor('https://10.0.0.1:8443/', env), null);
    assert.ok(proxyFor('https://10.0.0.1/', env));
    assert.equal(proxyFor('https://api.telegram.org/', {}), null);
    assert.equal(proxyFor('https://api.telegram.org/', { ALL_PROXY: 'http://p3:1' })?.host, 'p3:1');
    assert.throws(() => proxyFor('https://x.org/', { HTTPS_PROXY: 'socks5://p:1080' }), /only http:\/\/ proxies/);
  });

  it('the bot talks to the Bot API through HTTP_PROXY, and not when NO_PROXY exempts it', async () => {
    const proxy = await connectProxy();
    process.env['HTTP_PROXY'] = proxy.url;
    try {
      const h = await startHarness(fakeEngine());
      try {
        const [m] = await h.say({ userId: 1001, text: '/reset' });
        assert.equal(String(m!.params.text), MSG.reset);
        const port = new URL(h.config.TELEGRAM_API_ROOT!).port;
        assert.ok(proxy.tunnels.includes(`127.0.0.1:${port}`), `tunnels: ${proxy.tunnels.join(', ')}`);
      } finally {
        await h.close();
      }
      const before = proxy.tunnels.length;
      process.env['NO_PROXY'] = '127.0.0.1';
      const direct = await startHarness(fakeEngine());
      try {
        await direct.say({ userId: 1001, text: '/reset' });
        assert.equal(proxy.tunnels.length, before, 'NO_PROXY: no tunnel');
      } finally {
        await direct.close();
      }
    } finally {
      delete process.env['HTTP_PROXY'];
      delete process.env['NO_PROXY'];
      await proxy.close();
    }
  });

  it('the model is downloaded through the proxy (with credentials), and a refusing proxy is named in the error', async () => {
    const proxy = await connectProxy('dafu:s3cret');
    const cache = tempDir('dafu-proxy-cache-');
    const settings = { EMBEDDING_MODEL: 'dafu/tiny-proxied', EMBEDDING_CACHE_DIR: cache, EMBEDDING_DTYPE: 'fp32', EMBEDDING_THREADS: '1', EMBEDDING_REMOTE_HOST: mirrorHost };
    const realFetch = globalThis.fetch;
    try {
      process.env['HTTP_PROXY'] = proxy.url.replace('http://', 'http://dafu:s3cret@');
      assert.equal(installProxyFetch(), true);
      const e = createEmbeddings(loadConfig(settings));
      assert.equal(await e.load(), TEST_MODEL_DIMENSIONS);
      await e.dispose();
      assert.ok(proxy.tunnels.some((t) => t === new URL(mirrorHost).host), `tunnels: ${proxy.tunnels.join(', ')}`);

      process.env['HTTP_PROXY'] = proxy.url; // no credentials: 407
      const cache2 = tempDir('dafu-proxy-cache-');
      const refused = createEmbeddings(loadConfig({ ...settings, EMBEDDING_CACHE_DIR: cache2 }));
      await assert.rejects(refused.load(), (err: Error) => /proxy 127\.0\.0\.1:\d+: refused the tunnel .*407/.test(err.message));
    } finally {
      globalThis.fetch = realFetch;
      delete process.env['HTTP_PROXY'];
      await proxy.close();
    }
  });
});

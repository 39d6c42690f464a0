/**
 * HTTP(S) proxy support from the usual environment variables (HTTPS_PROXY,
 * HTTP_PROXY, ALL_PROXY and their lower-case forms, NO_PROXY), for the two
 * things dafu fetches over the network: the Bot API (grammY, through an
 * `agent`) and the embedding model download (transformers.js, through the
 * global `fetch`). Neither honours those variables on Node 20 by itself, and
 * a proxy is the usual way out where the networks involved are filtered.
 *
 * Both go through an HTTP CONNECT tunnel to the proxy (what every forward
 * proxy offers, and what curl does for https URLs), written here with node's
 * own net/tls so no dependency is needed. Credentials in the proxy URL
 * (http://user:pass@proxy:3128) are sent as Proxy-Authorization.
 */
import { Agent as HttpAgent, request as httpRequest, type AgentOptions, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';

type Env = Record<string, string | undefined>;

function envVar(env: Env, name: string): string | undefined {
  const v = env[name] ?? env[name.toLowerCase()];
  return v && v.trim() ? v.trim() : undefined;
}

/** Whether NO_PROXY exempts `url`: `*`, or a host suffix (`example.org`, `.example.org`), optionally with `:port`. */
function exempt(url: URL, env: Env): boolean {
  const list = envVar(env, 'NO_PROXY');
  if (!list) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return list.split(/[\s,]+/).filter(Boolean).some((entry) => {
    if (entry === '*') return true;
    const [name, p] = entry.toLowerCase().replace(/^\*?\./, '.').split(':') as [string, string | undefined];
    if (p && p !== port) return false;
    const bare = name.replace(/^\./, '');
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/** The proxy to use for `url`, or null (no proxy set, or NO_PROXY exempts it). */
export function proxyFor(url: string | URL, env: Env = process.env): URL | null {
  const target = typeof url === 'string' ? new URL(url) : url;
  const raw = (target.protocol === 'https:' ? envVar(env, 'HTTPS_PROXY') : envVar(env, 'HTTP_PROXY')) ?? envVar(env, 'ALL_PROXY');
  if (!raw || exempt(target, env)) return null;
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new Error(`the proxy setting ${JSON.stringify(raw.replace(/\/\/[^@/]*@/, '//…@'))} is not a URL; write it like HTTPS_PROXY=http://proxy.example.org:3128`);
  }
  if (proxy.protocol !== 'http:') throw new Error(`only http:// proxies are supported (HTTPS_PROXY=http://host:port), not ${proxy.protocol}//`);
  return proxy;
}

/** Whether any proxy variable is set at all. */
export function proxyConfigured(env: Env = process.env): boolean {
  return ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'].some((n) => envVar(env, n) !== undefined);
}

/** Opens a CONNECT tunnel through `proxy` to host:port and hands over the raw socket. */
function tunnel(proxy: URL, host: string, port: number, callback: (err: Error | null, socket?: Socket) => void): void {
  const socket = netConnect(Number(proxy.port || 80), proxy.hostname);
  const auth = proxy.username ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n` : '';
  let head = '';
  const fail = (message: string) => {
    socket.destroy();
    callback(new Error(`proxy ${proxy.host}: ${message}`));
  };
  socket.once('error', (err) => callback(new Error(`proxy ${proxy.host}: ${err.message}`)));
  socket.once('connect', () => socket.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n${auth}\r\n`));
  const onData = (chunk: Buffer) => {
    head += chunk.toString('latin1');
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > 16_384) fail('answered CONNECT with an oversized header');
      return;
    }
    socket.removeListener('data', onData);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
    if (status !== '200') return fail(`refused the tunnel to ${host}:${port} (${head.slice(0, head.indexOf('\r\n'))})`);
    socket.removeAllListeners('error');
    callback(null, socket);
  };
  socket.on('data', onData);
}

type CreateConnection = (options: { host?: string | null; hostname?: string | null; port?: number | string | null; servername?: string }, callback: (err: Error | null, socket?: Socket) => void) => void;

/** An agent whose connections go through `proxy`: https targets get TLS over the tunnel, http ones use it as is. */
export function proxyAgent(proxy: URL, secure: boolean, options: AgentOptions = { keepAlive: true }): HttpAgent {
  const agent = secure ? new HttpsAgent(options) : new HttpAgent(options);
  const create: CreateConnection = (opts, callback) => {
    const host = String(opts.hostname ?? opts.host ?? 'localhost');
    const port = Number(opts.port ?? (secure ? 443 : 80));
    tunnel(proxy, host, port, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'));
      if (!secure) return callback(null, socket);
      const tls = tlsConnect({ socket, servername: opts.servername ?? host });
      tls.once('secureConnect', () => callback(null, tls));
      tls.once('error', (e) => callback(e));
    });
  };
  // node's Agent accepts a createConnection that answers through its callback.
  (agent as unknown as { createConnection: CreateConnection }).createConnection = create;
  return agent;
}

const agents = new Map<string, HttpAgent>();

/** The agent for requests to `url` (cached per proxy and scheme), or undefined when no proxy applies. */
export function agentFor(url: string | URL, env: Env = process.env): HttpAgent | undefined {
  const target = typeof url === 'string' ? new URL(url) : url;
  const proxy = proxyFor(target, env);
  if (!proxy) return undefined;
  const key = `${target.protocol}${proxy.href}`;
  let agent = agents.get(key);
  if (!agent) agents.set(key, (agent = proxyAgent(proxy, target.protocol === 'https:')));
  return agent;
}

/** A request body fetch can take that we can send as bytes; null for streams and forms (left to the original fetch). */
function bodyBytes(body: unknown): Buffer | undefined | null {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return null;
}

/** `fetch` over node's http(s) with `agent`, following redirects like fetch does; answers a WHATWG Response. */
async function fetchVia(url: URL, init: RequestInit, body: Buffer | undefined, redirects = 0): Promise<Response> {
  const agent = agentFor(url);
  const headers = new Headers(init.headers);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: init.method ?? 'GET', headers: Object.fromEntries(headers.entries()), agent, signal: init.signal ?? undefined }, resolve);
    req.once('error', reject);
    req.end(body);
  });
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (status >= 300 && status < 400 && location && (init.redirect ?? 'follow') === 'follow') {
    res.resume();
    if (redirects >= 10) throw new TypeError('fetch failed: too many redirects');
    const next = new URL(location, url);
    // 303, and 301/302 after a POST, become GET without a body (as fetch does).
    const toGet = status === 303 || ((status === 301 || status === 302) && (init.method ?? 'GET') === 'POST');
    return fetchVia(next, toGet ? { ...init, method: 'GET' } : init, toGet ? undefined : body, redirects + 1);
  }
  const out = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    if (Array.isArray(v)) for (const x of v) out.append(k, x);
    else if (v !== undefined) out.set(k, v);
  }
  const noBody = status === 204 || status === 304 || init.method === 'HEAD';
  const response = new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, statusText: res.statusMessage ?? '', headers: out });
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}

/**
 * Routes the global `fetch` through the proxy for URLs a proxy applies to
 * (transformers.js downloads the model with it); everything else, and bodies
 * that are streams or forms, goes to the original fetch. Installed once, at
 * start, only when a proxy variable is set.
 */
export function installProxyFetch(): boolean {
  if (!proxyConfigured()) return false;
  const original = globalThis.fetch;
  if ((original as { dafuProxied?: boolean }).dafuProxied) return true;
  const proxied = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const request = input instanceof Request ? { method: input.method, headers: input.headers, signal: input.signal, ...init } : init;
    const body = input instanceof Request ? null : bodyBytes(init.body);
    if (!['http:', 'https:'].includes(url.protocol) || body === null || !proxyFor(url)) return original(input, init);
    return fetchVia(url, request, body);
  };
  Object.assign(proxied, { dafuProxied: true });
  globalThis.fetch = proxied as typeof fetch;
  return true;
}

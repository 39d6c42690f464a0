/**
 * LLM mode against an OpenAI-compatible server running in the test on
 * 127.0.0.1 (node:http, /v1/chat/completions), through the real ChatOpenAI
 * client: checked answers, dropped bad sentences, and extractive fallback on
 * bad citations, misquotes, a timeout and an HTTP 500.
 */
import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { checkAnswer } from '../../src/answer/citations.ts';
import { checkLlmOutput } from '../../src/answer/llm.ts';
import { verifyDraft } from '../../src/answer/citations.ts';
import type { Citation, Engine } from '../../src/answer/types.ts';
import { type SampleStore, buildSampleStore } from './sample-store.ts';

type Mode = 'good' | 'mixed' | 'bad-citation' | 'misquote' | 'timeout' | 'error500';

interface Seen {
  auth: string | undefined;
  model: string;
  system: string;
  user: string;
}

const QUESTION = '职务科技成果赋权试点有几家单位？';

describe('LLM mode against a local OpenAI-compatible server', () => {
  let s: SampleStore;
  let server: Server;
  let mode: Mode = 'good';
  const seen: Seen[] = [];
  const warnings: string[] = [];
  let engine: Engine;

  /** The first sentence of passage n as the prompt shows it. */
  const sentenceOf = (user: string, n: number): string => {
    const m = new RegExp(`\\[${n}\\] [^\\n]*\\n([^\\n]+)`).exec(user);
    const line = m?.[1] ?? '';
    return (/^[^。；]+[。；]/.exec(line)?.[0] ?? line).replace(/[。；]$/, '');
  };

  function reply(res: ServerResponse, content: string): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: 1,
        model: 'test-model',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const json = JSON.parse(body) as { model: string; messages: Array<{ role: string; content: string }> };
    const user = json.messages.find((m) => m.role === 'user')?.content ?? '';
    seen.push({ auth: req.headers.authorization, model: json.model, system: json.messages.find((m) => m.role === 'system')?.content ?? '', user });
    const first = sentenceOf(user, 1);
    switch (mode) {
      case 'good':
        return reply(res, `答复中提到「${first}」。[1]`);
      case 'mixed':
        return reply(res, `答复中提到「${first}」。[1]\n另有一句没有出处。\n试点单位共有100家。[9]\n答复说「试点单位共有100家」。[1]`);
      case 'bad-citation':
        return reply(res, '试点单位共有10家。[7]');
      case 'misquote':
        return reply(res, '答复写明「首批赋予科研人员职务科技成果所有权的试点单位共100家」。[1]');
      case 'error500':
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'internal error', type: 'server_error' } }));
        return;
      case 'timeout':
        // Never answers; the engine must give up after LLM_TIMEOUT_MS.
        return;
    }
  }

  before(async () => {
    s = await buildSampleStore();
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    engine = s.engineWith(
      { onWarning: (m) => warnings.push(m) },
      { LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, LLM_MODEL: 'test-model', LLM_API_KEY: 'sk-test-secret-key', LLM_TIMEOUT_MS: '1000' },
    );
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await s?.close();
  });

  it('answers through the endpoint with the prompt files and the numbered passages, and checks the result', async () => {
    mode = 'good';
    const a = await engine.ask(QUESTION);
    assert.equal(a.kind, 'llm');
    assert.equal(a.found, true);
    assert.match(a.answer, /^答复中提到「.+」。\[1\]$/);
    assert.deepEqual(checkAnswer(a).problems, []);
    const last = seen[seen.length - 1]!;
    assert.equal(last.auth, 'Bearer sk-test-secret-key');
    assert.equal(last.model, 'test-model');
    assert.match(last.system, /只根据用户提供的编号资料/);
    assert.match(last.user, new RegExp(QUESTION));
    assert.match(last.user, /\[1\] /);
  });

  it('drops sentences without a valid citation or with a misquote, and renumbers what remains', async () => {
    mode = 'mixed';
    const a = await engine.ask(QUESTION);
    assert.equal(a.kind, 'llm');
    assert.equal(a.answer.split('\n').length, 1, a.answer);
    assert.doesNotMatch(a.answer, /100家|\[9\]|没有出处/);
    assert.equal(a.citations.length, 1);
    assert.equal(a.citations[0]?.n, 1);
    assert.deepEqual(checkAnswer(a).problems, []);
  });

  for (const [m, why] of [
    ['bad-citation', 'cites a passage that was not supplied'],
    ['misquote', 'quotes words that are not in the passage'],
    ['error500', 'answers HTTP 500'],
    ['timeout', 'does not answer within LLM_TIMEOUT_MS'],
  ] as const) {
    it(`falls back to the extractive answer when the model ${why}`, async () => {
      mode = m;
      warnings.length = 0;
      const a = await engine.ask(QUESTION);
      assert.equal(a.kind, 'extractive');
      assert.equal(a.found, true);
      assert.match(a.answer, /10家试点单位/);
      assert.deepEqual(checkAnswer(a).problems, []);
      assert.ok(a.diagnostics?.llmFallback, 'the fallback reason is kept');
      assert.equal(warnings.length, 1);
      assert.ok(!warnings.join(' ').includes('sk-test-secret-key'), 'the key never appears in warnings');
    });
  }

  it('checkLlmOutput keeps nothing when the model says it found nothing', () => {
    const passages: Citation[] = [{ n: 1, chunkId: 'c', file: 'f', title: null, proposalTitle: null, docNumber: null, issuer: null, date: null, section: [], text: '甲乙丙。' }];
    assert.equal(checkLlmOutput('现有答复中未找到相关内容。', passages), null);
    assert.equal(checkLlmOutput('甲乙丙。[1]', passages)?.answer, '甲乙丙。[1]');
  });

  it('checkLlmOutput builds a draft (quote lines for verbatim sentences, own words otherwise) that verifies, and drops invented figures', () => {
    const text = '截至目前，安排中央财政资金14.7亿元支持建设5个优势特色产业集群。';
    const passages: Citation[] = [{ n: 1, chunkId: 'c', file: 'f', title: null, proposalTitle: null, docNumber: null, issuer: null, date: null, section: [], text }];
    const out = checkLlmOutput(`${text}[1]\n农业农村部共投入14.7亿元。[1]\n农业农村部共投入20亿元。[1]`, passages);
    assert.ok(out);
    assert.deepEqual(out.draft.lines.map((l) => [l.quote, l.text]), [[true, text], [false, '农业农村部共投入14.7亿元。']]);
    assert.match(out.dropped.map((d) => d.reason).join(' '), /figure 20 is in none/);
    assert.equal(verifyDraft(out.draft, out.citations).valid, true);
    assert.equal(out.answer, `${text}[1]\n农业农村部共投入14.7亿元。[1]`);
  });
});

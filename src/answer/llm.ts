/**
 * Optional LLM mode: any OpenAI-compatible chat endpoint (DeepSeek, Qwen,
 * Ollama, vLLM …) through LangChain's ChatOpenAI, used only when
 * LLM_BASE_URL and LLM_MODEL are set. Its output is never trusted: every [n]
 * must name a supplied passage and every 「」/“” quotation must be verbatim in
 * a cited passage; sentences that fail are dropped, and if nothing survives
 * (or the call fails or times out) the caller answers extractively.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Config } from '../config.ts';
import { DafuServiceError, DafuUnreachableError } from '../errors.ts';
import { holdsQuotation, quotations, renderDraft } from './citations.ts';
import { formatSourceLine } from './format.ts';
import type { Citation, Draft } from './types.ts';

/** A chat completion: system + user text in, assistant text out. Injectable for tests. */
export interface LlmClient {
  complete(system: string, user: string, signal: AbortSignal): Promise<string>;
}

/** The folder with the prompt files (`answer-system.md`, `answer-user.md`), at the repository root. */
export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

export interface Prompts {
  system: string;
  user: string;
}

/** Reads the prompts from `dir` (default {@link PROMPTS_DIR}); they are files so they can be tuned without code changes. */
export async function loadPrompts(dir: string = PROMPTS_DIR): Promise<Prompts> {
  const [system, user] = await Promise.all([readFile(`${dir}/answer-system.md`, 'utf8'), readFile(`${dir}/answer-user.md`, 'utf8')]);
  return { system: system.trim(), user: user.trim() };
}

/** Replaces `{{name}}` placeholders. */
export function renderPrompt(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (all, name: string) => vars[name] ?? all);
}

/** True when LLM mode is configured (base URL and model; the key is optional for local servers). */
export function llmConfigured(config: Config): boolean {
  return Boolean(config.LLM_BASE_URL && config.LLM_MODEL);
}

/** A client over ChatOpenAI for the configured endpoint, or null when LLM mode is off. */
export function createLlmClient(config: Config): LlmClient | null {
  if (!llmConfigured(config)) return null;
  const model = new ChatOpenAI({
    model: config.LLM_MODEL,
    // Local servers (Ollama, vLLM) accept any key, but the client insists on one.
    apiKey: config.LLM_API_KEY ?? 'not-needed',
    configuration: { baseURL: config.LLM_BASE_URL },
    temperature: 0,
    timeout: config.LLM_TIMEOUT_MS,
    // A retry doubles the wait; the extractive answer is the better fallback.
    maxRetries: 0,
  });
  return {
    async complete(system, user, signal) {
      try {
        const msg = await model.invoke([new SystemMessage(system), new HumanMessage(user)], { signal });
        return msg.text;
      } catch (err) {
        const status = (err as { status?: number }).status;
        // The message may contain the endpoint URL but never the key (the client does not echo it).
        if (typeof status === 'number') throw new DafuServiceError(`LLM endpoint answered HTTP ${status}`, status, { cause: err });
        throw new DafuUnreachableError(`LLM endpoint ${config.LLM_BASE_URL} could not be used: ${(err as Error).message}`);
      }
    },
  };
}

/** The numbered passages as the model sees them. */
export function passagesBlock(passages: readonly Citation[]): string {
  return passages.map((c) => `[${c.n}] ${formatSourceLine(c).replace(/^【\d+】/, '')}\n${c.text}`).join('\n\n');
}

/** Sentence units of model output: text up to a sentence end, with the markers that follow it. */
function units(text: string): string[] {
  return (text.match(/[^。！？!?\n]+(?:[。！？!?]+)?(?:\s*\[\d+\])*[。]?|\n/gu) ?? []).map((u) => u.trim()).filter((u) => u && u !== '\n');
}

export interface CheckedLlmAnswer {
  answer: string;
  /** The kept sentences as a draft: our own words with their sources, or a quote when a sentence is verbatim one source's text. */
  draft: Draft;
  citations: Citation[];
  /** Sentences dropped, with why (for diagnostics and tests). */
  dropped: Array<{ sentence: string; reason: string }>;
}

/**
 * Keeps the sentences of `output` whose markers all name one of `passages`
 * and whose quotations are verbatim in a passage they cite; renumbers the
 * cited passages 1..m. Returns null when no sentence survives or the model
 * said it found nothing.
 */
export function checkLlmOutput(output: string, passages: readonly Citation[]): CheckedLlmAnswer | null {
  const byN = new Map(passages.map((c) => [c.n, c]));
  const kept: Array<{ sentence: string; ns: number[] }> = [];
  const dropped: CheckedLlmAnswer['dropped'] = [];
  const clean = output.replace(/\*\*|__|^#+\s*/gmu, '');
  for (const sentence of units(clean)) {
    const ns = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    if (ns.length === 0) {
      dropped.push({ sentence, reason: 'no citation' });
      continue;
    }
    const bad = ns.find((n) => !byN.has(n));
    if (bad !== undefined) {
      dropped.push({ sentence, reason: `[${bad}] is not a supplied passage` });
      continue;
    }
    const cited = ns.map((n) => byN.get(n) as Citation);
    const wrong = quotations(sentence).find((q) => !cited.some((c) => holdsQuotation(c, q)));
    if (wrong !== undefined) {
      dropped.push({ sentence, reason: `quotation 「${wrong}」 is not verbatim` });
      continue;
    }
    // Our own words carry no fact the sources do not: a figure the model wrote must be in a passage it cites.
    const figure = (sentence.replace(/\[\d+\]/g, '').match(/\d+(?:\.\d+)?/g) ?? []).find((f) => !cited.some((c) => c.text.includes(f)));
    if (figure !== undefined) {
      dropped.push({ sentence, reason: `figure ${figure} is in none of the passages it cites` });
      continue;
    }
    kept.push({ sentence, ns });
  }
  if (kept.length === 0 || /未找到相关内容/.test(clean)) return null;
  const renumber = new Map<number, number>();
  for (const k of kept) for (const n of k.ns) if (!renumber.has(n)) renumber.set(n, renumber.size + 1);
  const citations = [...renumber].map(([old, n]) => ({ ...(byN.get(old) as Citation), n }));
  // The same draft → verify path as every composer: [n] exist only when the draft is rendered.
  const draft: Draft = {
    lines: kept.map((k) => {
      const text = k.sentence.replace(/\s*\[\d+\]\s*/g, '').trim();
      const sources = [...new Set(k.ns.map((n) => renumber.get(n) as number))];
      const only = sources.length === 1 ? citations[(sources[0] as number) - 1] : undefined;
      return { lead: '', text, quote: only !== undefined && only.text.includes(text), sources, tail: '' };
    }),
  };
  return { answer: renderDraft(draft), draft, citations, dropped };
}

/**
 * Asks the model with `passages` and checks the result; null on timeout,
 * error or an output with no verifiable sentence (the caller falls back).
 * `onError` receives the reason, for logs.
 */
export async function llmAnswer(
  client: LlmClient,
  prompts: Prompts,
  question: string,
  passages: readonly Citation[],
  timeoutMs: number,
  onError?: (reason: string) => void,
): Promise<CheckedLlmAnswer | null> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DafuUnreachableError(`LLM did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const user = renderPrompt(prompts.user, { question, passages: passagesBlock(passages) });
    const output = await Promise.race([client.complete(prompts.system, user, controller.signal), timeout]);
    const checked = checkLlmOutput(output, passages);
    if (!checked) onError?.('LLM output had no verifiable sentence');
    return checked;
  } catch (err) {
    onError?.((err as Error).message);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A small in-test Engine for the bot's Telegram-mechanics tests: known
 * replies with markup-hostile text (<, >, &), and questions that trigger a
 * long answer, a slow answer, or a failure, so each bot behaviour can be
 * provoked on purpose.
 */
import type { Answer, Citation, Engine, ListedEntry, StoreStats } from '../../src/answer/index.ts';
import { groupedBy } from '../../src/util/grouped.ts';
import type { StoredChunk, StoredReply } from '../../src/store/types.ts';
import { storedReply } from './records.ts';

const reply = (id: string, over: Partial<StoredReply>): StoredReply => storedReply({ id, hash: id, file: `${id}.txt`, ...over });

export const REPLIES: StoredReply[] = [
  reply('r1', {
    title: '关于对省十四届人大四次会议第0147号代表建议的答复',
    docNumber: '吉工信议案〔2025〕6号',
    issuer: '吉林省工业和信息化厅',
    date: '2025-05-27',
    recipient: '徐凤娟代表',
    proposalTitle: '关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议',
    proposalNumber: '0147',
    session: '省十四届人大四次会议',
    kind: '代表建议',
    sections: [
      { path: ['一、优化产业布局与技术创新'], heading: '一、优化产业布局与技术创新', text: '' },
      { path: ['一、优化产业布局与技术创新', '（一）科技攻关'], heading: '（一）科技攻关', text: '' },
      { path: ['二、拓展海外市场'], heading: '二、拓展海外市场', text: '' },
    ],
    chunkIds: ['c1', 'c2'],
  }),
  reply('r2', {
    title: '关于省政协十三届二次会议第2024W298号委员提案的答复',
    docNumber: '吉科发高〔2024〕74号',
    issuer: '吉林省科学技术厅',
    date: '2024-06-30',
    recipient: '孙昭艳委员',
    proposalTitle: '关于加速人工智能科技创新的建议',
    proposalNumber: '2024W298',
    chunkIds: ['c3'],
  }),
];

const TEXTS: Record<string, { replyId: string; section: string[]; text: string }> = {
  c1: { replyId: 'r1', section: ['一、优化产业布局与技术创新', '（一）科技攻关'], text: '省科技厅每年都将支持先进制造<研发>及新一代信息技术领域科技攻关列入省科技发展计划，2024年支持A&B两个领域重点研发项目84项。' },
  c2: { replyId: 'r1', section: ['二、拓展海外市场'], text: '下一步，省商务厅将发挥商务部门境外渠道优势，邀请该企业积极参加经贸交流促进活动。' },
  c3: { replyId: 'r2', section: ['一、人工智能创新'], text: '下一步，省科技厅将继续支持人工智能领域关键核心技术攻关，推动"人工智能+"行动。' },
};

export function chunkOf(id: string): StoredChunk | undefined {
  const t = TEXTS[id];
  if (!t) return undefined;
  const r = REPLIES.find((x) => x.id === t.replyId)!;
  const { id: _id, hash: _h, chunkIds: _c, sections: _s, commitments: _m, ...fields } = r;
  return { id, replyId: r.id, pageContent: t.text, metadata: { ...fields, id, file: r.file, section: t.section, order: 0, part: 0, parts: 1, text: t.text, role: 'body' } };
}

function cite(n: number, chunkId: string): Citation {
  const ch = chunkOf(chunkId)!;
  const m = ch.metadata;
  return { n, chunkId, file: m.file, title: m.title, proposalTitle: m.proposalTitle, docNumber: m.docNumber, issuer: m.issuer, date: m.date, section: m.section, text: m.text };
}

export interface FakeEngine extends Engine {
  /** Questions asked, in order (to prove a refused stranger never reached the engine). */
  asked: string[];
}

/**
 * Commitments: 12, 第1条…第12条; 省商务厅 (1, 5, 9) and 省工信厅 (3, 7, 11) from r1,
 * 省科技厅 from r2 (2, 6, 10) and r1 (4, 8, 12).
 *
 * Behaviour by question: 长 long answer · 慢 slow (800 ms) · 出错 throws (message includes `secret`) · 火星 not found · 那… follow-up. */
export function fakeEngine(options: { secret?: string; slowMs?: number } = {}): FakeEngine {
  const asked: string[] = [];
  // 省科技厅 promises come from both replies; listed as the engine's contract says: by group, then by reply.
  const made: ListedEntry[] = Array.from({ length: 12 }, (_, i) => {
    const r = i % 4 === 3 ? REPLIES[0]! : REPLIES[i % 2]!;
    return {
      group: i % 2 ? '省科技厅' : i % 4 === 0 ? '省商务厅' : '省工信厅',
      actor: i % 2 ? '省科技厅' : i % 4 === 0 ? '省商务厅' : '省工信厅',
      departments: [i % 2 ? '省科技厅' : i % 4 === 0 ? '省商务厅' : '省工信厅'],
      section: ['二、拓展海外市场'],
      text: `第${i + 1}条承诺：下一步将持续推进<重点>工作&落实。`,
      chunkId: r.chunkIds[0] ?? null,
      reply: { id: r.id, file: r.file, title: r.title, proposalTitle: r.proposalTitle, docNumber: r.docNumber, issuer: r.issuer, date: r.date },
    };
  });
  const engine: FakeEngine = {
    asked,
    async ask(question, opts = {}) {
      asked.push(question);
      const conv = opts.conversation;
      const base = (over: Partial<Answer>): Answer => ({ question, resolvedQuestion: question, found: true, kind: 'extractive', answer: '', citations: [], related: [], timings: {}, ...over });
      if (question.includes('出错')) throw new Error(`engine exploded while calling https://api.telegram.org/bot${options.secret ?? 'x'}/sendMessage`);
      if (question.includes('慢')) await new Promise((r) => setTimeout(r, options.slowMs ?? 800));
      let answer: Answer;
      if (question.includes('火星')) {
        answer = base({ found: false, kind: 'abstain', answer: '现有答复中没有找到与此相关的内容。', related: [cite(1, 'c3')] });
      } else if (question.includes('长')) {
        const para = (i: number) => `第${i}段：${'省科技厅每年都将支持先进制造<研发>及A&B领域科技攻关。'.repeat(8)}[${(i % 2) + 1}]`;
        answer = base({ answer: Array.from({ length: 40 }, (_, i) => para(i + 1)).join('\n\n'), citations: [cite(1, 'c1'), cite(2, 'c2')] });
      } else if (question.startsWith('那') && conv && conv.turns.length) {
        const prev = conv.turns[conv.turns.length - 1]!;
        const resolved = `${prev.resolvedQuestion}（追问：${question}）`;
        answer = base({ resolvedQuestion: resolved, answer: `接上一个问题「${prev.question}」：省商务厅将发挥商务部门境外渠道优势[1]。`, citations: [cite(1, 'c2')] });
      } else {
        answer = base({ answer: '省科技厅每年都将支持先进制造<研发>及新一代信息技术领域科技攻关列入省科技发展计划[1]。下一步，省商务厅将发挥商务部门境外渠道优势[2]。', citations: [cite(1, 'c1'), cite(2, 'c2')] });
      }
      conv?.turns.push({ question, resolvedQuestion: answer.resolvedQuestion, citations: answer.citations, at: Date.now() });
      return answer;
    },
    findReply(number) {
      const n = number.replace(/\s/g, '');
      return REPLIES.find((r) => (r.docNumber && r.docNumber.includes(n)) || r.proposalNumber === n.replace(/号$/, '')) ?? null;
    },
    findReplies(query) {
      const one = engine.findReply(query);
      return one ? [one] : [];
    },
    reply: (id) => REPLIES.find((r) => r.id === id),
    commitments(filter, replyId) {
      const own = replyId === undefined ? made : made.filter((c) => c.reply.id === replyId);
      const kept = filter ? own.filter((c) => c.actor?.includes(filter) || c.text.includes(filter)) : own;
      return groupedBy(kept, (e) => e.group, (e) => e.reply.id);
    },
    chunk: chunkOf,
    ready: async () => undefined,
    stats(): StoreStats {
      return { replies: 2, chunks: 3, commitments: 12, dateRange: { from: '2024-06-30', to: '2025-05-27' }, departments: ['吉林省工业和信息化厅', '吉林省科学技术厅'], model: 'fake', lastIngest: '2025-07-01T00:00:00Z' };
    },
  };
  return engine;
}

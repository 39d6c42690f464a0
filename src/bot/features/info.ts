/** /start, /help (what the bot knows, example questions, commands) and /about (store details). */
import { Composer, type Context } from 'grammy';
import { chineseDate, type StoreStats } from '../../answer/index.ts';
import { escapeHtml } from '../html.ts';
import { sendHtml } from '../reply.ts';
import type { BotServices } from '../services.ts';
import { isTestModel, TEST_MODEL_NOTICE_ZH } from '../../embeddings/is-test-model.ts';

/** The replies' date range in 年月日, the form every source line and /doc card uses. */
function range(stats: StoreStats): string {
  // A bare year is a reply dated only by its 发文字号: 2024年.
  const day = (d: string | null) => (d && /^\d{4}$/.test(d) ? `${d}年` : chineseDate(d));
  const from = day(stats.dateRange.from);
  const to = day(stats.dateRange.to);
  if (!from && !to) return '日期未注明';
  return from === to ? `${from}` : `${from ?? '?'} 至 ${to ?? '?'}`;
}

/** An ISO timestamp as 2025年7月1日 09:30 in the server's time zone; anything else unchanged. */
export function chineseDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The /help text; example questions name a department the store actually has. */
export function helpHtml(stats: StoreStats, username: string): string {
  const dept = stats.departments[0];
  const departments = stats.departments.length
    ? stats.departments.slice(0, 12).join('、') + (stats.departments.length > 12 ? ` 等 ${stats.departments.length} 个` : '')
    : '（未注明）';
  const examples = [
    dept ? `${dept}下一步有什么打算？` : '下一步有哪些工作打算？',
    '关于人工智能科技创新，答复中提到了哪些支持措施？',
    '第0147号代表建议是哪份答复？',
  ];
  return [
    '<b>您好！我是「答复」助手。</b>',
    '我根据省级部门对人大代表建议、政协委员提案的正式答复回答问题，每条回答都注明出处（标题、发文字号、章节、日期）；资料中没有的内容，我会直说没有找到。',
    '',
    `<b>资料库</b>：共 ${stats.replies} 份答复（${escapeHtml(range(stats))}）`,
    `<b>涉及部门</b>：${escapeHtml(departments)}`,
    '',
    '<b>示例问题</b>',
    ...examples.map((q) => `• ${escapeHtml(q)}`),
    '',
    '<b>命令</b>',
    '/doc 发文字号或编号 — 查看某份答复的概要与章节',
    '/commitments [部门或关键词] — 下一步工作承诺',
    '/reset — 清除对话上下文（追问基于上下文）',
    '/about — 资料库信息',
    `群聊中：@${escapeHtml(username)} 提问、回复我的消息，或使用 /ask 问题。`,
    '回答下方的【1】【2】按钮可查看对应原文。',
  ].join('\n');
}

export function infoFeature(s: BotServices): Composer<Context> {
  const c = new Composer<Context>();
  c.command(['start', 'help'], (ctx) => sendHtml(ctx, helpHtml(s.engine.stats(), ctx.me.username)));
  c.command('about', async (ctx) => {
    const st = s.engine.stats();
    const lines = [
      '<b>资料库信息</b>',
      `答复：${st.replies} 份`,
      `段落：${st.chunks} 个`,
      `下一步工作承诺：${st.commitments} 条`,
      `日期范围：${escapeHtml(range(st))}`,
      `部门：${st.departments.length} 个`,
      `向量模型：${escapeHtml(st.model)}`,
      ...(isTestModel(s.config.EMBEDDING_MODEL) ? [`<b>${escapeHtml(TEST_MODEL_NOTICE_ZH)}</b>`] : []),
      `最近导入：${escapeHtml(chineseDateTime(st.lastIngest))}`,
    ];
    await sendHtml(ctx, lines.join('\n'));
  });
  return c;
}

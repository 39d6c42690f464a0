/**
 * Plain-text rendering shared by the terminal and the bot, so a source looks
 * the same everywhere.
 */
import type { Answer, Citation } from './types.ts';
import { isBodyName } from '../domain/bodies.ts';

/** ISO 2025-05-23 → 2025年5月23日 (the form the replies themselves use); other strings unchanged. */
export function chineseDate(iso: string | null): string | null {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** 「王小飞 0431-87077670」 → 「联系人：王小飞，联系电话：0431-87077670」, as the signature words it. */
export function contactText(contact: string): string {
  // A number alone (「联系电话:3221671」): no person is named.
  if (/^[\d\-－—()（）\s]{5,}$/u.test(contact.trim())) return `联系电话：${contact.trim()}`;
  const m = /^([^\s，,]+)[\s，,]+([\d\-－—()（）\s]{5,})$/u.exec(contact.trim());
  const who = m ? (m[1] as string) : contact;
  // 「联系单位及电话：交通运输部综合规划司，010-…」: a body, not a person.
  const label = isBodyName(who.replace(/[，,：:]+$/u, '')) ? '联系单位' : '联系人';
  return m ? `${label}：${who.replace(/[，,：:]+$/u, '')}，联系电话：${(m[2] as string).trim()}` : `${label}：${contact}`;
}

/**
 * One source line: 【n】 《proposal title》 (or the reply title, or the file)
 * · 发文字号 · section path · date. Missing parts are left out, never invented.
 */
export function formatSourceLine(c: Citation): string {
  const title = c.proposalTitle ? `《${c.proposalTitle}》` : c.title ?? c.file;
  const parts = [title, c.docNumber, c.section.length > 0 ? c.section.join(' › ') : null, chineseDate(c.date)].filter(
    (p): p is string => Boolean(p),
  );
  return `【${c.n}】${parts.join(' · ')}`;
}

/** The whole answer as terminal text: answer, then sources (or the possibly-related passages when abstaining). */
export function formatAnswer(a: Answer): string {
  const lines = [a.answer];
  if (a.citations.length > 0) {
    lines.push('', '来源：', ...a.citations.map(formatSourceLine));
  }
  if (!a.found && a.related.length > 0) {
    lines.push('', '可能相关（并非答案，仅供参考）：');
    for (const c of a.related) {
      const excerpt = c.text.length > 80 ? `${c.text.slice(0, 80)}…` : c.text;
      lines.push(`${formatSourceLine(c)}`, `    ${excerpt}`);
    }
  }
  return lines.join('\n');
}

/** A citation as `ask --json` and `eval --json` print it. */
export interface CitationJson {
  n: number;
  file: string;
  title: string | null;
  docNumber: string | null;
  issuer: string | null;
  date: string | null;
  section: string[];
  text: string;
}

export function citationJson(c: Citation): CitationJson {
  return { n: c.n, file: c.file, title: c.proposalTitle ?? c.title, docNumber: c.docNumber, issuer: c.issuer, date: c.date, section: c.section, text: c.text };
}

/** The `ask --json` object: `{question, found, answer, citations, timings}` plus `kind`, `resolvedQuestion` and `related`. */
export function answerJson(a: Answer): Record<string, unknown> {
  return {
    question: a.question,
    resolvedQuestion: a.resolvedQuestion,
    found: a.found,
    kind: a.kind,
    answer: a.answer,
    citations: a.citations.map(citationJson),
    related: a.related.map(citationJson),
    timings: Object.fromEntries(Object.entries(a.timings).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  };
}

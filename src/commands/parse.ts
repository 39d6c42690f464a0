/**
 * `npm run -s parse -- [--json] FILE|DIR...`: shows what dafu reads from
 * replies — fields, section tree, commitments — without touching the store.
 * A file that cannot be loaded or parsed is reported on stderr with its name
 * and the reason; the others are still printed.
 */
import { parseArgs } from 'node:util';
import { stat } from 'node:fs/promises';
import { loadFile, walkCorpus, resolveCorpusFile } from '../../ingest/load/index.ts';
import { parseReply } from '../../ingest/parse/index.ts';
import type { ParsedReply } from '../types.ts';
import type { Command } from './command.ts';

const usage = `Usage: npm run -s parse -- [--json] FILE|DIR...

Loads each reply (.txt .md .html .htm .docx .pdf; folders are walked
recursively), normalizes its text and prints what dafu reads from it: title,
发文字号, 索引号, issuer, dates, addressee, the proposal answered, the section
tree and the commitments (下一步 …) with the department that makes each.

Options:
  --json    one JSON object per file per line (JSON Lines) with exactly the fields
            file, title, docNumber, indexNumber, issuer, date, publishedDate,
            category, recipient, proposalTitle, session, proposalNumber,
            categoryNumber, kind, contact, result, coHandlers, signer, damaged,
            sections: [{path, heading, text}],
            commitments: [{actor, section, text}]
            (a field the document does not state is null)
  --help    this text

Errors (a file that cannot be read or parsed) go to stderr, naming the file and
the reason; the other files are still printed.

Exit status: 0 when at least one file was parsed; 1 when every file failed;
2 for a usage error.`;

/** One input resolved to a loadable path and the name to show for it. */
interface Target {
  path: string;
  name: string;
}

/** Expands folders into their supported files; unsupported files inside a folder are reported as skipped. */
async function targets(args: string[], report: (name: string, reason: string) => void): Promise<Target[]> {
  const out: Target[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (!info?.isDirectory()) {
      out.push({ path: arg, name: arg });
      continue;
    }
    try {
      const listing = await walkCorpus(arg);
      for (const s of listing.skipped) report(`${arg.replace(/\/+$/, '')}/${s.file}`, `${s.reason} (skipped)`);
      for (const f of listing.files) out.push({ path: resolveCorpusFile(arg, f), name: `${arg.replace(/\/+$/, '')}/${f}` });
    } catch (err) {
      report(arg, err instanceof Error ? err.message : String(err));
    }
  }
  return out;
}

const show = (v: string | null): string => v ?? '—';

/** The readable summary of one parsed reply. */
export function summary(r: ParsedReply): string {
  const lines = [
    r.file,
    `  title 标题:            ${show(r.title)}`,
    `  docNumber 发文字号:    ${show(r.docNumber)}`,
    `  indexNumber 索引号:    ${show(r.indexNumber)}`,
    `  issuer 发文机关:       ${show(r.issuer)}`,
    `  date 成文日期:         ${show(r.date)}    publishedDate 发布日期: ${show(r.publishedDate)}`,
    `  category 分类:         ${show(r.category)}`,
    `  recipient 答复对象:    ${show(r.recipient)}`,
    `  proposal 建议/提案:    ${r.proposalTitle ? `《${r.proposalTitle}》` : '—'}`,
    `    session ${show(r.session)} · number ${show(r.proposalNumber)}${r.categoryNumber ? ` (${r.categoryNumber})` : ''} · kind ${show(r.kind)}`,
    `  contact 联系人:        ${show(r.contact)}`,
    `  result 办理结果:       ${show(r.result)}    signer 签发人: ${show(r.signer)}`,
    `  coHandlers 会同/协办:  ${r.coHandlers ? r.coHandlers.join('、') : '—'}`,
    ...(r.damaged ? [`  damaged 残缺:          ${Object.entries(r.damaged).map(([k, v]) => `${k} 「${v}」`).join('; ')}`] : []),
    `  sections (${r.sections.length}):`,
  ];
  for (const s of r.sections) {
    lines.push(`    ${'  '.repeat(s.path.length - 1)}${s.heading}  (${[...s.text].length} chars)`);
  }
  lines.push(`  commitments (${r.commitments.length}):`);
  for (const c of r.commitments) {
    const text = [...c.text];
    lines.push(`    [${show(c.actor)}] ${c.section.join(' > ')}`);
    lines.push(`      ${text.slice(0, 70).join('')}${text.length > 70 ? '…' : ''}`);
  }
  return lines.join('\n');
}

export const command: Command = {
  summary: 'show the fields, sections and commitments dafu reads from reply files',
  usage,
  async run(argv) {
    let values: { json?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true }));
    } catch (err) {
      console.error(`dafu parse: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
      return 2;
    }
    if (positionals.length === 0) {
      console.error(`dafu parse: give at least one file or folder.\n\n${usage}`);
      return 2;
    }
    // `parse --json corpus | head` closes the pipe early; that is not an error.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
    let failed = 0;
    const report = (name: string, reason: string) => {
      console.error(`dafu parse: ${name}: ${reason}`);
    };
    const files = await targets(positionals, (n, r) => {
      failed++;
      report(n, r);
    });
    if (files.length === 0 && failed === 0) {
      console.error('dafu parse: no supported files found (.txt .md .html .htm .docx .pdf)');
      return 1;
    }
    let parsed = 0;
    for (const t of files) {
      try {
        const loaded = await loadFile(t.path, { name: t.name });
        const reply = parseReply(loaded.text, t.name);
        parsed++;
        if (values.json) process.stdout.write(`${JSON.stringify(reply)}\n`);
        else console.log(`${parsed > 1 ? '\n' : ''}${summary(reply)}`);
      } catch (err) {
        failed++;
        // LoadError messages already name the file; anything else gets the name added.
        const message = err instanceof Error ? err.message : String(err);
        console.error(message.includes(t.name) ? `dafu parse: ${message}` : `dafu parse: ${t.name}: ${message}`);
      }
    }
    return parsed > 0 || failed === 0 ? 0 : 1;
  },
};

/** The eval report as a side-by-side text table (ours vs the naive baseline), overall and per kind. */
import type { Figures } from './metrics.ts';
import type { EvalReport } from './run.ts';

const ROWS: Array<[keyof Figures, string]> = [
  ['questions', 'questions'],
  ['quoteHitAt1', 'quote-hit@1'],
  ['quoteHitAtK', 'quote-hit@k'],
  ['docHitAtK', 'doc-hit@k'],
  ['mrr', 'MRR'],
  ['answerQuoteHit', 'answer quote-hit (cited)'],
  ['abstainAccuracy', 'abstain accuracy (unanswerable)'],
  ['falseAbstainRate', 'false abstain rate (answerable)'],
  ['citationValidity', 'citation validity'],
];

const cell = (v: number | null): string => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(3));

/** Renders `report` for a terminal. */
export function formatReport(report: EvalReport): string {
  const lines: string[] = [];
  const w = 34;
  lines.push(`${'metric'.padEnd(w)}${'dafu'.padStart(10)}${'baseline'.padStart(10)}`);
  lines.push('-'.repeat(w + 20));
  for (const [key, label] of ROWS) {
    lines.push(`${label.replace('@k', `@${report.k}`).padEnd(w)}${cell(report.summary[key]).padStart(10)}${cell(report.baseline.questions ? report.baseline[key] : null).padStart(10)}`);
  }
  lines.push('', `By kind (dafu / baseline): quote-hit@1, quote-hit@${report.k}, MRR, abstain acc., false abstain, citation validity`);
  for (const [kind, f] of Object.entries(report.summary.byKind)) {
    const b = report.baseline.byKind[kind];
    const pair = (key: keyof Figures) => `${cell(f[key])}/${cell(b ? b[key] : null)}`;
    lines.push(
      `  ${kind.padEnd(14)} n=${String(f.questions).padEnd(3)} ${pair('quoteHitAt1').padEnd(12)} ${pair('quoteHitAtK').padEnd(12)} ${pair('mrr').padEnd(12)} ${pair('abstainAccuracy').padEnd(8)} ${pair('falseAbstainRate').padEnd(10)} ${pair('citationValidity')}`,
    );
  }
  lines.push('', `By answer route (dafu): n, quote-hit@${report.k} (retrieval), answer quote-hit (cited), abstain acc., false abstain`);
  for (const [route, f] of Object.entries(report.summary.byRoute)) {
    lines.push(`  ${route.padEnd(14)} n=${String(f.questions).padEnd(4)} ${cell(f.quoteHitAtK).padEnd(8)} ${cell(f.answerQuoteHit).padEnd(8)} ${cell(f.abstainAccuracy).padEnd(8)} ${cell(f.falseAbstainRate)}`);
  }
  lines.push('', `By what the question asks (dafu): n, quote-hit@${report.k} (retrieval), answer quote-hit (cited), abstain acc., false abstain`);
  for (const [ask, f] of Object.entries(report.summary.byAsk)) {
    lines.push(`  ${ask.padEnd(14)} n=${String(f.questions).padEnd(4)} ${cell(f.quoteHitAtK).padEnd(8)} ${cell(f.answerQuoteHit).padEnd(8)} ${cell(f.abstainAccuracy).padEnd(8)} ${cell(f.falseAbstainRate)}`);
  }
  if (report.calibration) {
    const c = report.calibration;
    lines.push(
      '',
      `Abstain threshold calibration (${c.samples} items decided by the threshold): best balanced accuracy ${c.balancedAccuracy.toFixed(3)} for thresholds in (${c.range[0].toFixed(3)}, ${c.range[1].toFixed(3)}]; suggested ABSTAIN_THRESHOLD=${c.threshold} (balanced accuracy weighs both errors alike; the default is set lower, to keep false abstention under 10 %: see the README)`,
    );
  }
  return lines.join('\n');
}

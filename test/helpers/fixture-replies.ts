/**
 * The fixture corpus of real replies (test/fixtures/replies): loading its
 * manifest and scoring the parser against it field by field. Used by the
 * fixture test and runnable on its own to print per-field accuracy:
 *
 *   npx tsx test/helpers/fixture-replies.ts [--misses] [--dir DIR]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseReply, WHOLE_SECTION, FRONT_SECTION, CLOSING_SECTION } from '../../ingest/parse/index.ts';
import type { ParsedReply } from '../../src/types.ts';

export const REPLIES_DIR = join(import.meta.dirname, '..', 'fixtures', 'replies');

/** The fields every manifest entry states, in the order the parser prints them. */
export const FIELDS = [
  'title', 'docNumber', 'indexNumber', 'issuer', 'date', 'publishedDate', 'category', 'recipient', 'proposalTitle', 'session',
  'proposalNumber', 'categoryNumber', 'kind', 'contact', 'result', 'coHandlers', 'signer', 'damaged',
] as const;
/** Structure checks: the number of top-level numbered headings, and one promise quoted from the text. */
export const STRUCTURE = ['topHeadings', 'nextStepsQuote'] as const;

export type Expected = Record<(typeof FIELDS)[number], unknown> & { topHeadings: number; nextStepsQuote: string | null };

export interface FixtureEntry {
  file: string;
  source: string;
  province: string;
  level: string;
  tags: string[];
  truncated: boolean;
  expected: Expected;
  notes?: string;
}

/** Every entry of the manifest (manifest.json). */
export function fixtureEntries(dir = REPLIES_DIR): FixtureEntry[] {
  return readdirSync(dir)
    .filter((f) => /^manifest\.json$/.test(f))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as FixtureEntry[]);
}

/** What the parser gives for the structure checks. */
function structureOf(r: ParsedReply, quote: string | null): { topHeadings: number; nextStepsQuote: string | null } {
  const tops = new Set(r.sections.map((s) => s.path[0]!).filter((h) => h !== FRONT_SECTION && h !== CLOSING_SECTION && h !== WHOLE_SECTION));
  const found = quote !== null && r.commitments.some((c) => c.text.includes(quote));
  return { topHeadings: tops.size, nextStepsQuote: found ? quote : r.commitments.length > 0 && quote === null ? '(some)' : null };
}

export interface Check {
  file: string;
  field: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}

/** An object's keys sorted (the fields named in `damaged` have no order); arrays keep theirs (co-handlers are listed as written). */
function canonical(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
}

/** Parses each fixture and compares every field with the manifest. */
export function checkFixtures(entries = fixtureEntries(), parse: (text: string, file: string) => ParsedReply = parseReply, dir = REPLIES_DIR): Check[] {
  const checks: Check[] = [];
  for (const e of entries) {
    const text = readFileSync(join(dir, e.file), 'utf8');
    const r = parse(text, e.file) as unknown as Record<string, unknown> & ParsedReply;
    for (const field of FIELDS) {
      const expected = e.expected[field] ?? null;
      const actual = r[field] ?? null;
      checks.push({ file: e.file, field, expected, actual, ok: JSON.stringify(canonical(expected)) === JSON.stringify(canonical(actual)) });
    }
    const s = structureOf(r, e.expected.nextStepsQuote ?? null);
    checks.push({ file: e.file, field: 'topHeadings', expected: e.expected.topHeadings, actual: s.topHeadings, ok: s.topHeadings === e.expected.topHeadings });
    // A quote of a promise must be inside one of the parsed commitments; with none given, nothing is required.
    const want = e.expected.nextStepsQuote ?? null;
    checks.push({ file: e.file, field: 'nextStepsQuote', expected: want, actual: s.nextStepsQuote, ok: want === null || s.nextStepsQuote === want });
  }
  return checks;
}

/** Share of checks that pass, per field and overall. */
export function accuracy(checks: Check[]): { overall: number; byField: Record<string, { ok: number; n: number }> } {
  const byField: Record<string, { ok: number; n: number }> = {};
  for (const c of checks) {
    const f = (byField[c.field] ??= { ok: 0, n: 0 });
    f.n++;
    if (c.ok) f.ok++;
  }
  return { overall: checks.filter((c) => c.ok).length / Math.max(1, checks.length), byField };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // --dir DIR: another folder of captures with its own manifest.json (a blind set's).
  const at = process.argv.indexOf('--dir');
  const dir = at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : REPLIES_DIR;
  const checks = checkFixtures(fixtureEntries(dir), parseReply, dir);
  const { overall, byField } = accuracy(checks);
  console.log(`${fixtureEntries(dir).length} replies, ${checks.length} checks, ${(overall * 100).toFixed(1)}% exact`);
  for (const [f, { ok, n }] of Object.entries(byField)) console.log(`  ${f.padEnd(16)} ${ok}/${n}  ${((ok / n) * 100).toFixed(0)}%`);
  if (process.argv.includes('--misses')) {
    for (const c of checks.filter((x) => !x.ok)) console.log(`${c.file}\t${c.field}\n    want ${JSON.stringify(c.expected)}\n    got  ${JSON.stringify(c.actual)}`);
  }
}

/**
 * Evaluation questions: JSON Lines in the format of the shared dev set
 * (`id, question, doc, quote, answer, kind`, optional `docs` for cross-document
 * items; `unanswerable` items have an empty `doc` and `quote`).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DafuInputError } from '../errors.ts';

const schema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  doc: z.string(),
  quote: z.string(),
  answer: z.string().default(''),
  kind: z.string().min(1),
  docs: z.array(z.string()).optional(),
});

export type EvalQuestion = z.infer<typeof schema>;

/** An item the replies do not answer (the expected behaviour is to abstain). */
export function isUnanswerable(q: EvalQuestion): boolean {
  return q.kind === 'unanswerable' || q.doc === '';
}

/** Parses JSON Lines text; errors name the file, the line and what is wrong. Blank lines are skipped. */
export function parseQuestions(text: string, file: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new DafuInputError(`${file}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const what = parsed.error.issues.map((x) => `${x.path.join('.') || '(line)'}: ${x.message}`).join('; ');
      throw new DafuInputError(`${file}:${i + 1}: not an evaluation question (${what})`);
    }
    if (seen.has(parsed.data.id)) throw new DafuInputError(`${file}:${i + 1}: duplicate id "${parsed.data.id}"`);
    seen.add(parsed.data.id);
    out.push(parsed.data);
  });
  if (out.length === 0) throw new DafuInputError(`${file}: no questions found`);
  return out;
}

/** Reads and parses a questions file. */
export async function loadQuestions(file: string): Promise<EvalQuestion[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DafuInputError(`Cannot read questions file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseQuestions(text, file);
}

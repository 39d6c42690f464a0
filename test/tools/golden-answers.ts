/**
 * Golden answers: every development question through the engine on the
 * development store (the five samples plus the fixture replies), written to
 * test/fixtures/golden-answers.json, or compared with it (--diff) so every
 * change to an answer is one somebody meant.
 *
 *   EMBEDDING_MODEL=<tiny model dir> EMBEDDING_OFFLINE=1 \
 *     npx tsx test/tools/golden-answers.ts --store DIR [--diff]
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.ts';
import { openEngine } from '../../src/answer/open.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SETS = [
  'test/fixtures/questions.jsonl',
  'test/fixtures/questions-offtopic.jsonl',
  'test/fixtures/replies/questions.jsonl',
  '../shared/eval-dev/questions.jsonl',
  '../shared/eval/questions.jsonl',
];
const OUT = join(ROOT, 'test', 'fixtures', 'golden-answers.json');

interface Golden {
  question: string;
  found: boolean;
  answer: string;
  citations: string[];
}

const { values } = parseArgs({ options: { store: { type: 'string' }, diff: { type: 'boolean' } } });
const config = loadConfig(process.env);
const { engine } = await openEngine(config, values.store ?? config.STORE_DIR);
const golden: Record<string, Golden> = {};
for (const set of SETS) {
  const path = join(ROOT, set);
  if (!existsSync(path)) continue;
  for (const line of readFileSync(path, 'utf8').split('\n').filter((l) => l.trim())) {
    const q = JSON.parse(line) as { id: string; question: string };
    const a = await engine.ask(q.question);
    golden[`${set.replace(/^.*?([\w-]+)\/questions/, '$1/questions')}#${q.id}`] = {
      question: q.question,
      found: a.found,
      answer: a.answer,
      citations: a.citations.map((c) => `${c.file} ${c.section.join(' > ')}`),
    };
  }
}
if (values.diff) {
  const before = JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, Golden>;
  let changed = 0;
  for (const [k, g] of Object.entries(golden)) {
    const b = before[k];
    if (b && b.answer === g.answer && b.found === g.found) continue;
    changed++;
    console.log(`## ${k} ${g.question}\n- before (${b?.found ? 'found' : 'not found'}): ${b?.answer.replace(/\n/g, ' ⏎ ').slice(0, 300)}\n+ after  (${g.found ? 'found' : 'not found'}): ${g.answer.replace(/\n/g, ' ⏎ ').slice(0, 300)}\n`);
  }
  console.log(`${changed} of ${Object.keys(golden).length} answers changed`);
} else {
  writeFileSync(OUT, JSON.stringify(golden, null, 1) + '\n');
  console.log(`${Object.keys(golden).length} golden answers written to ${OUT}`);
}

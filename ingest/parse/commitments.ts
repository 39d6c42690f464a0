/**
 * Finds the forward-looking promises in a reply and who makes them.
 *
 * A commitment is either the body of a section whose heading announces next
 * steps (下步打算 / 下步工作 / 下步工作安排 / 下一步…, and every subsection
 * under it), or, elsewhere, a paragraph's text from its 下一步/下步 trigger to
 * the end of that paragraph. Its text is a verbatim substring of the section
 * text, so it can be quoted.
 *
 * The actor is the department that makes the promise. Multi-department
 * replies name one per paragraph (「省商务厅积极推动…下一步，将…」), so we
 * take, in order: a department named right after the trigger (「下一步，省发改委将…」),
 * the department the paragraph opens with, any department the paragraph
 * names, the nearest earlier paragraph of the same top-level section that
 * names one (its narrative subject), and only then the issuer.
 */
import type { Commitment, Section } from '../../src/types.ts';
import { CLOSING_SECTION, FRONT_SECTION, WHOLE_SECTION } from './sections.ts';
import { headingMarker } from './headings.ts';
import { departmentsIn } from '../../src/domain/bodies.ts';

/** Words that open a promise inside a paragraph. */
const TRIGGER = /下一步|下步|下一阶段|下阶段|今后|接下来|将继续|将进一步/;
/** Headings that announce next steps: their whole body is a commitment. */
const NEXT_STEPS_HEADING = /下一?步|下一?阶段|今后|接下来|工作打算|工作计划|工作安排|努力方向/;

/** Departments named in `text` (the shared grammar of src/domain/bodies.ts). */
export const departments = departmentsIn;

/** Where a commitment starts: at its trigger, or at the start of a short lead-in such as 「在下步工作中」. */
function commitmentStart(paragraph: string, trigger: number): number {
  const sentenceStart = Math.max(...['。', '！', '？', '；', '，'].map((p) => paragraph.lastIndexOf(p, trigger - 1))) + 1;
  return trigger - sentenceStart <= 3 ? sentenceStart : trigger;
}

/** True for a section announcing next steps, or one nested under such a section. */
function isNextStepsSection(section: Section): boolean {
  return section.path.some((h) => {
    const marker = headingMarker(h, true);
    return NEXT_STEPS_HEADING.test(marker ? h.slice(marker.length) : h);
  });
}

/** Finds every commitment in `sections`; `issuer` is the last-resort actor. */
export function findCommitments(sections: Section[], issuer: string | null): Commitment[] {
  const commitments: Commitment[] = [];
  // Paragraphs seen so far per top-level section, for the "narrative subject" fallback.
  const seen = new Map<string, string[]>();
  const earlierActor = (top: string): string | null => {
    const paragraphs = seen.get(top) ?? [];
    for (let i = paragraphs.length - 1; i >= 0; i--) {
      const d = departments(paragraphs[i]!)[0];
      if (d) return d.name;
    }
    return null;
  };

  for (const section of sections) {
    const top = section.path[0]!;
    if (top === FRONT_SECTION || top === CLOSING_SECTION || section.text === '') continue;
    const paragraphs = section.text.split('\n');
    const history = seen.get(top) ?? [];
    seen.set(top, history);
    if (isNextStepsSection(section) && top !== WHOLE_SECTION) {
      // The subject is named in the first sentence (「省教育厅将会同…」); a department
      // named further on usually owns only one enumerated item (「…三是省财政厅将…」).
      const firstSentence = /^[^。！？；]*[。！？；]?/.exec(section.text)![0];
      const actor = departments(firstSentence)[0]?.name ?? earlierActor(top) ?? issuer;
      commitments.push({ actor, section: section.path, text: section.text });
      history.push(...paragraphs);
    } else {
      for (const paragraph of paragraphs) {
        const trigger = TRIGGER.exec(paragraph);
        if (!trigger) {
          history.push(paragraph);
          continue;
        }
        const start = commitmentStart(paragraph, trigger.index);
        const text = paragraph.slice(start);
        const named = departments(paragraph);
        const afterTrigger = named.find((d) => d.index >= trigger.index && d.index - trigger.index <= 6);
        const opening = named.find((d) => d.index < start);
        const actor = afterTrigger?.name ?? opening?.name ?? named[0]?.name ?? earlierActor(top) ?? issuer;
        commitments.push({ actor, section: section.path, text });
        history.push(paragraph);
      }
    }
  }
  return commitments;
}

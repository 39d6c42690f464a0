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
import { CLOSING_SECTION, FRONT_SECTION, NEXT_STEPS_HEADING, WHOLE_SECTION } from '../../src/domain/roles.ts';
import { headingMarker } from './headings.ts';
import { departmentsIn, SELF_REFERENCE } from '../../src/domain/bodies.ts';
import { actorDepartments } from '../../src/domain/departments.ts';
import { foldVariants } from '../../src/domain/fold.ts';

/** A promise opening on the replying body as its subject (「下一步，我局将…」「今后我们将…」), before any other body. */
const OWN_SUBJECT = new RegExp(`^(?:(?:下一?步|下步|今后|接下来|下阶段)[^，,。；]{0,4}[，,。：:]?\\s*)?[^，,。；]{0,6}?(?:${SELF_REFERENCE.source}|我们)`, 'u');

/** Words that open a promise inside a paragraph. */
const TRIGGER = /下一步|下步|下一阶段|下阶段|今后|接下来|将继续|将进一步/;
/**
 * Promises made without announcing next steps: 「我厅将督促…」, 「省农业厅将积极支持…」,
 * 「力争2021年完成…」, 「适时启动…」. Read only in a reply that has no explicit
 * next steps, where they are its promises; elsewhere they would split one.
 * 「将」 counts as a promise only before a verb of doing (已将…纳入 is past).
 */
const WEAK_VERB = /(?<!已|已经|均|都|并|分别|逐步)将(?:继续|进一步|加快|积极|全力|加强|督促|综合|组织|结合|适时|尽快|认真|持续|重点|研究|推动|协调|配合|指导|争取|按照|根据|依据|会同|不断|着力|努力|抓紧|主动|大力|统筹|及时|密切|做好|在|于|对|把|尽力|启动|开展|实施|安排|优先|考虑|加大|协助|予以|向上)|力争|积极争取|预计|适时启动|一定会|后续[,，]?/;
/**
 * The replying body itself as the subject of 将 (「我局将从以下三个方面…」, 「我部将切实…」, 「近期我市文物管理部门将与…」,
 * 「我们将…」): a promise whatever verb follows — unless 将 is 把, taking an object (「我局将该建议转交…」, 将此/将有关…,
 * 「我部一直将黑土区作为…」), or the sentence says it is done or habitual (已将, 均将, 一直将, 持续将).
 */
const SELF_WILL = new RegExp(
  `(?:${SELF_REFERENCE.source}|我们)[^，。；！？,;]{0,10}?(?<!已|已经|均|都|并|分别|逐步|一直|持续|始终|长期|历来|一贯|每年)将` +
    `(?![该此这其您你贵]|上述|以上|有关|相关|建议|提案|意见|问题|[^，。；！？,;]{0,16}?(?:作为|视为|列为|当作|当成))`,
);
const WEAK_TRIGGER = new RegExp(`${SELF_WILL.source}|${WEAK_VERB.source}`);
/** Headings that announce next steps: their whole body is a commitment. */

/** Departments named in `text` (the shared grammar of src/domain/bodies.ts). */
export const departments = departmentsIn;

/**
 * Where a commitment starts: at its trigger, or at the start of a short
 * lead-in such as 「在下步工作中」 (up to `leadIn` characters; a promise by
 * 「我厅将…」 or 「省农业厅将…」 starts with its subject).
 */
function commitmentStart(paragraph: string, trigger: number, leadIn = 3): number {
  const sentenceStart = Math.max(...['。', '！', '？', '；', '，', ',', ';', '!', '?'].map((p) => paragraph.lastIndexOf(p, trigger - 1))) + 1;
  return trigger - sentenceStart <= leadIn ? sentenceStart : trigger;
}

/** True for a section announcing next steps, or one nested under such a section. */
function isNextStepsSection(section: Section): boolean {
  return section.path.some((h) => {
    const marker = headingMarker(h, true);
    return NEXT_STEPS_HEADING.test(marker ? h.slice(marker.length) : h);
  });
}

/**
 * Finds every commitment in `sections`; `issuer` is the last-resort actor.
 * Explicit next steps (下一步 …) when the reply has any, else its 「…将…」 promises.
 */
export function findCommitments(sections: Section[], issuer: string | null): Commitment[] {
  const explicit = commitmentsBy(sections, issuer, TRIGGER, 3);
  // A top-level part with no explicit next steps may still promise something (「我州将全力配合…」).
  const covered = new Set(explicit.map((c) => c.section[0]));
  const rest = sections.filter((s) => !covered.has(s.path[0]!));
  const implicit = commitmentsBy(rest, issuer, WEAK_TRIGGER, 12, false);
  const order = new Map(sections.map((s, i) => [s.path.join('\u0000'), i]));
  const all = implicit.length === 0 ? explicit : [...explicit, ...implicit].sort((a, b) => order.get(a.section.join('\u0000'))! - order.get(b.section.join('\u0000'))!);
  // Who promised, in the canonical names questions use (省科技厅 for 吉林省科学技术厅), worked out once here
  // and stored, so answering never re-derives them per question.
  return all.map((c) => ({ ...c, departments: actorDepartments(c.actor ?? issuer) }));
}

function commitmentsBy(sections: Section[], issuer: string | null, trigger: RegExp, leadIn: number, headings = true): Array<Omit<Commitment, 'departments'>> {
  const commitments: Array<Omit<Commitment, 'departments'>> = [];
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
    if (top === CLOSING_SECTION || section.text === '') continue;
    let paragraphs = section.text.split('\n');
    if (top === FRONT_SECTION) {
      // The front matter holds promises only after the opening (「…收悉，现答复如下：」): a reply's
      // narrative before its first numbered part. Title, number and salutation are never promises.
      const opening = paragraphs.findIndex((p) => /收悉|现答复如下|答复如下/.test(p));
      paragraphs = opening >= 0 ? paragraphs.slice(opening + 1) : [];
      if (paragraphs.length === 0) continue;
    }
    const history = seen.get(top) ?? [];
    seen.set(top, history);
    if (headings && isNextStepsSection(section) && top !== WHOLE_SECTION) {
      // The subject is named in the first sentence (「省教育厅将会同…」); a department
      // named further on usually owns only one enumerated item (「…三是省财政厅将…」).
      const firstSentence = /^[^。！？；]*[。！？；]?/.exec(section.text)![0];
      const actor = departments(firstSentence)[0]?.name ?? earlierActor(top) ?? issuer;
      commitments.push({ actor, section: section.path, text: section.text });
      history.push(...paragraphs);
    } else {
      for (const paragraph of paragraphs) {
        const found = trigger.exec(paragraph);
        if (!found) {
          history.push(paragraph);
          continue;
        }
        const start = commitmentStart(paragraph, found.index, leadIn);
        const text = paragraph.slice(start);
        const named = departments(paragraph);
        const afterTrigger = named.find((d) => d.index >= found.index && d.index - found.index <= 6);
        const opening = named.find((d) => d.index < start);
        // 「…按照省水利廳要求…。下一步,我局將與縣財政局溝通」: a promise whose own subject is the replying body (我局, 我們)
        // is the issuer's, whatever body the narrative before it named.
        const own = OWN_SUBJECT.test(foldVariants(text.slice(0, 24))) ? issuer : null;
        const actor = afterTrigger?.name ?? own ?? opening?.name ?? named[0]?.name ?? earlierActor(top) ?? issuer;
        commitments.push({ actor, section: section.path, text });
        history.push(paragraph);
      }
    }
  }
  return commitments;
}

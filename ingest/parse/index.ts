/**
 * Parses one reply (答复) into its fields, section tree and commitments:
 * exactly the JSON `npm run parse -- --json` prints. A sequence of stages:
 *
 *   normalize → drop furniture → fold variants → read metadata → layout → fields, sections, commitments → restore verbatim
 *
 * Matching runs on a folded copy (traditional characters read as
 * simplified, same length), and every string taken from the text is cut back
 * out of the unfolded text at the same place, so a traditional-character
 * reply keeps its own characters. Section and commitment texts are verbatim
 * substrings of the reply's text after furniture removal.
 */
import type { Commitment, ParsedReply, Section } from '../../src/types.ts';
import { normalize } from '../normalize.ts';
import { foldVariants } from '../../src/domain/fold.ts';
import { dropFurniture } from './furniture.ts';
import { readMetadata } from './metadata.ts';
import { extractFields } from './fields.ts';
import { layout } from './layout.ts';
import { parseSections } from './sections.ts';
import { findCommitments } from './commitments.ts';

export { FRONT_SECTION, CLOSING_SECTION, WHOLE_SECTION } from './sections.ts';

/** The reply's own text: normalized, furniture removed, one paragraph per line. */
export function replyText(text: string): string {
  return dropFurniture(normalize(text).split('\n')).lines.join('\n');
}

/** Maps strings found in the folded text back to the original characters at the same place. */
function restorer(folded: string, original: string): (s: string) => string {
  if (folded === original) return (s) => s;
  // A value joined from two lines (a title printed over two) is found with the line breaks left out;
  // both texts have their breaks at the same places, so the positions still agree.
  const foldedFlat = folded.replace(/\n/g, '');
  const originalFlat = original.replace(/\n/g, '');
  return (s) => {
    const at = folded.indexOf(s);
    if (at >= 0) return original.slice(at, at + s.length);
    const flat = foldedFlat.indexOf(s);
    return flat >= 0 ? originalFlat.slice(flat, flat + s.length) : s;
  };
}

/**
 * Parses `text` (raw or normalized) of the reply stored at `file`. Never
 * throws on odd input: a text with no recognizable structure gives null
 * fields, one section 正文 holding the text (none if the text is empty) and
 * no commitments.
 */
export function parseReply(text: string, file: string): ParsedReply {
  const original = replyText(text);
  const folded = foldVariants(original);
  const { meta, rest } = readMetadata(folded === '' ? [] : folded.split('\n'));
  const parts = layout(rest);
  const fields = extractFields(parts, meta);
  const sections = parseSections(parts);
  const commitments = findCommitments(sections, fields.issuer);
  if (folded === original) return { file, ...fields, sections, commitments };

  const v = restorer(folded, original);
  const str = (s: string | null): string | null => (s === null ? null : v(s));
  const restored = Object.fromEntries(
    Object.entries(fields).map(([k, value]) => [k, k === 'kind' || k === 'date' || k === 'publishedDate' ? value : typeof value === 'string' ? v(value) : Array.isArray(value) ? value.map(v) : value]),
  ) as typeof fields;
  if (fields.contact) restored.contact = fields.contact.split(' ').map(v).join(' ');
  // A damaged value is reported as printed: cut from the original too (「宗培竊span…」 stays 竊).
  if (fields.damaged) restored.damaged = Object.fromEntries(Object.entries(fields.damaged).map(([k, value]) => [k, v(value)]));
  const section = (s: Section): Section => ({ path: s.path.map(v), heading: v(s.heading), text: v(s.text) });
  const commitment = (c: Commitment): Commitment => ({ actor: str(c.actor), section: c.section.map(v), text: v(c.text), departments: c.departments });
  return { file, ...restored, sections: sections.map(section), commitments: commitments.map(commitment) };
}

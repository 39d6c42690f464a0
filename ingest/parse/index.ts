/**
 * Parses one reply (答复) into its fields, section tree and commitments:
 * exactly the JSON `npm run parse -- --json` prints. The text is normalized
 * first (normalizing is idempotent, so already-normalized text is fine), and
 * every section text and commitment text is a verbatim substring of
 * `normalize(text)`.
 */
import type { ParsedReply } from '../../src/types.ts';
import { normalize } from '../normalize.ts';
import { extractFields } from './fields.ts';
import { layout } from './layout.ts';
import { parseSections } from './sections.ts';
import { findCommitments } from './commitments.ts';

export { FRONT_SECTION, CLOSING_SECTION, WHOLE_SECTION } from './sections.ts';

/**
 * Parses `text` (raw or normalized) of the reply stored at `file`. Never
 * throws on odd input: a text with no recognizable structure gives null
 * fields, one section 正文 holding the text (none if the text is empty) and
 * no commitments.
 */
export function parseReply(text: string, file: string): ParsedReply {
  const parts = layout(normalize(text));
  const fields = extractFields(parts);
  const sections = parseSections(parts);
  return { file, ...fields, sections, commitments: findCommitments(sections, fields.issuer) };
}

/**
 * The text a passage is scored on, and the header every chunk of a reply
 * shares. Its own module because both the CorpusIndex (which computes it once
 * per chunk when a store opens) and retrieval (which falls back to it) need
 * it, and retrieval needs the CorpusIndex.
 */
import type { StoredChunk, StoredReply } from '../store/types.ts';
import { type DepartmentMention, findDepartments } from '../domain/departments.ts';
import { foldVariants } from '../domain/fold.ts';
import { shortBodyNames } from '../domain/abbreviations.ts';

/** Header text that belongs to every chunk of a reply: who, what, which number. */
export function replyContext(reply: StoredReply): string {
  return [reply.title, reply.proposalTitle, reply.recipient, reply.issuer, reply.docNumber, reply.proposalNumber, reply.session, reply.kind]
    .filter(Boolean)
    .join(' ');
}

/**
 * {@link replyContext} with the short names of the bodies it names (石林彝族自治县卫生健康局 → 卫健局), for telling
 * whether a question describes this reply (「石林卫健局水塘铺村卫生室那件的联系人」). Not for scoring passages: a body's
 * name is shared by all its replies, and matching it there would lift every one of them over the relevance bar.
 */
export function recordContext(reply: StoredReply): string {
  const header = replyContext(reply);
  const short = shortBodyNames(foldVariants(header));
  // 「东(溪)龙(王)公路」 spells out 东溪 and 龙王 in brackets: read them whole too.
  const unbracketed = header.replace(/[(（]([\u4e00-\u9fff]{1,2})[)）]/gu, '$1');
  return [header, unbracketed === header ? '' : unbracketed, ...short].filter(Boolean).join(' ');
}

/**
 * The text a passage is scored on: its body, section path, reply header and
 * canonical department names. Finding department names is the costly part
 * (every alias searched), so the engine's {@link CorpusIndex} computes it
 * once per chunk when the store is opened.
 */
export function scoringText(chunk: StoredChunk, reply: StoredReply): string {
  return scoringTextAndMentions(chunk, reply).text;
}

/** {@link scoringText} with the department mentions found in it (the chunk's own text comes first in it). */
export function scoringTextAndMentions(chunk: StoredChunk, reply: StoredReply): { text: string; base: string; mentions: DepartmentMention[] } {
  // Folded, so a simplified question's terms are found in a traditional-character reply.
  const base = foldVariants(`${chunk.metadata.text} ${chunk.metadata.section.join(' ')} ${replyContext(reply)}`);
  const mentions = findDepartments(base);
  return { text: `${base} ${mentions.map((d) => d.department).join(' ')}`, base, mentions };
}

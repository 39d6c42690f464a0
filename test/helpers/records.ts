/**
 * Builders for store records in tests, so each test states only the fields
 * it is about and a new field of the contract is added in one place.
 */
import type { StoredReply } from '../../src/store/types.ts';

/**
 * A StoredReply with every field null or empty except those in `over`.
 * `id` defaults to `over.file` (else 'x'), `hash` to 'h', `file` to 'x.txt'.
 */
export function storedReply(over: Partial<StoredReply> = {}): StoredReply {
  return {
    id: over.file ?? 'x',
    hash: 'h',
    chunkIds: [],
    file: 'x.txt',
    title: null,
    docNumber: null,
    indexNumber: null,
    issuer: null,
    date: null,
    publishedDate: null,
    category: null,
    recipient: null,
    proposalTitle: null,
    session: null,
    proposalNumber: null,
    kind: null,
    contact: null,
    categoryNumber: null,
    result: null,
    coHandlers: null,
    signer: null,
    damaged: null,
    sections: [],
    commitments: [],
    ...over,
  };
}

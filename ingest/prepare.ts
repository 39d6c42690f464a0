/**
 * The parts of an ingest that do not depend on where the store lives: a
 * file's hash, its chunks, and what BM25 indexes for a chunk. Shared by the
 * file writer (`run.ts`) and the Postgres writer (`store/postgres.ts`).
 */
import { createHash } from 'node:crypto';
import type { Document } from '@langchain/core/documents';
import type { StoredChunk, StoredReply } from '../src/store/types.ts';
import type { ChunkMetadata } from '../src/types.ts';
import { normalize } from './normalize.ts';
import { parseReply } from './parse/index.ts';
import { chunkReply } from './chunk.ts';
import { DafuInputError } from '../src/errors.ts';
import { LoadError, walkCorpus } from './load/index.ts';

export interface Prepared {
  reply: StoredReply;
  chunks: StoredChunk[];
  reuse: boolean;
}

/** Identity of a chunk's text, for reusing its vector when the file around it changed. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Normalizes, parses and chunks a file's text. */
export function freshChunks(text: string, file: string, hash: string, chunking: { chunkSize: number; chunkOverlap: number }): Prepared {
  const parsed = parseReply(normalize(text), file);
  const docs: Document<ChunkMetadata>[] = chunkReply(parsed, { fileHash: hash, chunkSize: chunking.chunkSize, overlap: chunking.chunkOverlap });
  const replyId = hash.slice(0, 16);
  const chunks: StoredChunk[] = docs.map((d) => ({ id: d.metadata.id, replyId, pageContent: d.pageContent, metadata: d.metadata }));
  return { reply: { ...parsed, id: replyId, hash, chunkIds: chunks.map((c) => c.id) }, chunks, reuse: false };
}

/**
 * What BM25 indexes for a chunk: the embedded text (context header + body)
 * plus the reply's identifiers, so a document number, proposal number,
 * addressee or issuer finds the chunks of that reply even when the chunk body
 * never repeats it.
 */
export function lexicalText(chunk: StoredChunk): string {
  const m = chunk.metadata;
  const ids = [m.docNumber, m.proposalNumber, m.recipient, m.issuer, m.session, m.title, m.proposalTitle].filter((x): x is string => !!x);
  return `${ids.join('\n')}\n${chunk.pageContent}`;
}


/** The corpus folder's listing, or a DafuInputError saying how to point ingest at one (both stores' ingests start here). */
export async function listCorpus(corpusDir: string): Promise<Awaited<ReturnType<typeof walkCorpus>>> {
  return walkCorpus(corpusDir).catch((err: unknown) => {
    if (err instanceof LoadError) throw new DafuInputError(`dafu ingest: ${err.reason}: ${corpusDir} (pass --corpus DIR or set CORPUS_DIR); the store was not changed.`);
    throw err;
  });
}

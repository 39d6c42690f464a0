/**
 * The naive LangChain baseline the eval compares against: the raw files
 * split by RecursiveCharacterTextSplitter, embedded with the same model into
 * HNSWLib.fromDocuments, searched dense-only. No normalization, no sections,
 * no BM25, no lookup, no abstention — what a first LangChain tutorial builds.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { RetrievedItem } from './metrics.ts';

export interface Baseline {
  /** Number of chunks the splitter produced. */
  chunks: number;
  search(question: string, k: number): Promise<RetrievedItem[]>;
}

/**
 * Builds the baseline over `files` (paths relative to `corpusDir`, read as
 * UTF-8 text the naive way) with the same chunk size and overlap as ours.
 */
export async function buildBaseline(corpusDir: string, files: readonly string[], embeddings: EmbeddingsInterface, opts: { chunkSize: number; chunkOverlap: number }): Promise<Baseline> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: opts.chunkSize, chunkOverlap: opts.chunkOverlap });
  const texts = await Promise.all(files.map((f) => readFile(path.join(corpusDir, f), 'utf8')));
  const docs = await splitter.createDocuments(texts, files.map((f) => ({ source: f })));
  const store = await HNSWLib.fromDocuments(docs, embeddings);
  return {
    chunks: docs.length,
    async search(question, k) {
      const hits = await store.similaritySearchWithScore(question, Math.min(k, docs.length));
      return hits.map(([doc, distance]) => ({ file: String(doc.metadata['source']), section: [], text: doc.pageContent, score: 1 - distance }));
    },
  };
}

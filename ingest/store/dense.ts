/**
 * Builds the dense index (LangChain HNSWLib, cosine space) batch by batch, so
 * vectors never pile up in memory: each batch is added and dropped.
 */
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { StoredChunk } from '../../src/store/types.ts';

/** Metadata kept in HNSWLib's own docstore: just enough to find the chunk in the records. */
export interface DenseDocMetadata {
  id: string;
  replyId: string;
  file: string;
}

export class DenseBuilder {
  readonly vectorStore: HNSWLib;
  #count = 0;

  /** `capacity`: the number of vectors that will be added, so the index is sized once instead of grown per batch. */
  constructor(
    embeddings: EmbeddingsInterface,
    private readonly capacity: number,
  ) {
    this.vectorStore = new HNSWLib(embeddings, { space: 'cosine' });
  }

  get count(): number {
    return this.#count;
  }

  /** Adds vectors with their chunks (same order). */
  async add(vectors: number[][], chunks: StoredChunk[]): Promise<void> {
    if (vectors.length !== chunks.length) throw new Error(`dense: ${vectors.length} vectors for ${chunks.length} chunks`);
    if (vectors.length === 0) return;
    const docs = chunks.map(
      (c) => new Document<DenseDocMetadata>({ pageContent: c.pageContent, metadata: { id: c.id, replyId: c.replyId, file: c.metadata.file } }),
    );
    await this.vectorStore.addVectors(vectors, docs);
    // LangChain sizes the index to its first batch and then resizes (copies)
    // it on every later batch; size it once for everything that will come.
    const index = this.vectorStore.index;
    if (index.getMaxElements() < this.capacity) index.resizeIndex(this.capacity);
    this.#count += vectors.length;
  }
}

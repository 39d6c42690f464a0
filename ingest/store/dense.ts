/**
 * Builds the dense index (LangChain HNSWLib, cosine space) batch by batch, so
 * vectors never pile up in memory: each batch is added and dropped.
 */
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { StoredChunk } from '../../src/store/types.ts';

/**
 * Metadata kept in HNSWLib's own docstore on disk: the chunk id, nothing
 * else. The text and the rest live in records.json (storing them here too
 * made docstore.json a second copy of the corpus); `openStore` puts the
 * text back into these Documents after loading.
 */
export interface DenseDocMetadata {
  id: string;
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
    if (this.#count === 0) {
      // First batch through LangChain, which creates the index with its own settings (space, dimensions).
      const docs = chunks.map((c) => new Document<DenseDocMetadata>({ pageContent: '', metadata: { id: c.id } }));
      await this.vectorStore.addVectors(vectors, docs);
      // LangChain sizes the index to its first batch and then resizes (copies)
      // it on every later batch; size it once for everything that will come.
      const index = this.vectorStore.index;
      if (index.getMaxElements() < this.capacity) index.resizeIndex(this.capacity);
      this.#count = vectors.length;
      return;
    }
    // Later batches: the same as LangChain's addVectors (label = running count,
    // docstore key = String(label)) without its docstore.add, which checks
    // every new key against a fresh array of all existing keys: quadratic,
    // ~2 s at 25,000 chunks.
    const index = this.vectorStore.index;
    if (index.getCurrentCount() + vectors.length > index.getMaxElements()) index.resizeIndex(index.getCurrentCount() + vectors.length);
    const docs = this.vectorStore.docstore._docs;
    for (let i = 0; i < vectors.length; i++) {
      const label = index.getCurrentCount();
      if (docs.has(String(label))) throw new Error(`dense: label ${label} is already taken`);
      index.addPoint(vectors[i] as number[], label);
      docs.set(String(label), new Document<DenseDocMetadata>({ pageContent: '', metadata: { id: (chunks[i] as StoredChunk).id } }));
    }
    this.#count += vectors.length;
  }
}

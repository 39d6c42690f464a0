/**
 * Builds the dense index (LangChain HNSWLib, cosine space) batch by batch, so
 * vectors never pile up in memory: each batch is added and dropped.
 */
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';

/**
 * Metadata kept in HNSWLib's own docstore on disk: the chunk id, nothing
 * else. The text and the rest live in records.json (storing them here too
 * made docstore.json a second copy of the corpus); `openStore` puts the
 * text back into these Documents after loading.
 */
export interface DenseDocMetadata {
  id: string;
}

/** Room made when the index is full: half again what it holds (glibc grows big blocks with mremap, without copying). */
const GROWTH = 1.5;

export class DenseBuilder {
  readonly vectorStore: HNSWLib;
  #count = 0;

  constructor(embeddings: EmbeddingsInterface) {
    this.vectorStore = new HNSWLib(embeddings, { space: 'cosine' });
  }

  get count(): number {
    return this.#count;
  }

  /** Adds vectors for the chunks `ids` (same order); resolves to the label of the first (labels are consecutive). */
  async add(vectors: readonly number[][], ids: readonly string[]): Promise<number> {
    if (vectors.length !== ids.length) throw new Error(`dense: ${vectors.length} vectors for ${ids.length} chunks`);
    const first = this.#count;
    if (vectors.length === 0) return first;
    if (this.#count === 0) {
      // First batch through LangChain, which creates the index with its own settings (space, dimensions).
      const docs = ids.map((id) => new Document<DenseDocMetadata>({ pageContent: '', metadata: { id } }));
      await this.vectorStore.addVectors([...vectors], docs);
      this.#count = vectors.length;
      return first;
    }
    // Later batches: the same as LangChain's addVectors (label = running count,
    // docstore key = String(label)) without its docstore.add, which checks
    // every new key against a fresh array of all existing keys: quadratic,
    // ~2 s at 25,000 chunks; and the index grows by half instead of to the
    // exact size on every batch.
    const index = this.vectorStore.index;
    const needed = index.getCurrentCount() + vectors.length;
    if (needed > index.getMaxElements()) index.resizeIndex(Math.max(needed, Math.ceil(index.getMaxElements() * GROWTH)));
    const docs = this.vectorStore.docstore._docs;
    for (let i = 0; i < vectors.length; i++) {
      const label = index.getCurrentCount();
      if (docs.has(String(label))) throw new Error(`dense: label ${label} is already taken`);
      index.addPoint(vectors[i] as number[], label);
      docs.set(String(label), new Document<DenseDocMetadata>({ pageContent: '', metadata: { id: ids[i] as string } }));
    }
    this.#count += vectors.length;
    return first;
  }

  /** The vector stored under `label` (for a chunk whose text was already embedded). */
  vector(label: number): number[] {
    return this.vectorStore.index.getPoint(label);
  }

  /** Shrinks the index to what it holds, so the file (whose header sizes the reader's index) has no slack. */
  trim(): void {
    if (this.#count === 0) return;
    const index = this.vectorStore.index;
    if (index.getMaxElements() > this.#count) index.resizeIndex(this.#count);
  }
}

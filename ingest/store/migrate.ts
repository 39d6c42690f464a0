/**
 * Moves a file store (STORE_DIR) into a Postgres store without re-embedding:
 * every chunk keeps the vector read back from the HNSW index. The target gets
 * a new generation (a new epoch, like a model change) that replaces whatever
 * it held, switched in one transaction; readers of the target see the old
 * content until then.
 */
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { DafuStoreError } from '../../src/errors.ts';
import { readPrevious, readPreviousManifest } from './previous.ts';
import { PgWriter } from './postgres.ts';

export interface MigrateSummary {
  documents: number;
  chunks: number;
  model: string;
  dimensions: number;
  generation: number;
  seconds: number;
}

/** HNSWLib.load wants embeddings; migrating must never compute one, so this one refuses. */
const noEmbedding: EmbeddingsInterface = {
  embedQuery: () => Promise.reject(new Error('migrate does not embed')),
  embedDocuments: () => Promise.reject(new Error('migrate does not embed')),
};

export async function migrateToPostgres(storeDir: string, url: string, onProgress?: (done: number, total: number) => void): Promise<MigrateSummary> {
  const started = performance.now();
  const live = await readPreviousManifest(storeDir).catch((err: unknown) => {
    throw new DafuStoreError(`The store in ${storeDir} cannot be read (${(err as Error).message}); nothing was migrated.`);
  });
  if (!live) throw new DafuStoreError(`No store in ${storeDir} to migrate: run \`npm run ingest\` first, or pass --from DIR.`);
  const previous = await readPrevious(storeDir, live.version, live.manifest, noEmbedding).catch((err: unknown) => {
    throw new DafuStoreError(`The store in ${storeDir} is damaged (${(err as Error).message}); nothing was migrated.`);
  });
  const { manifest } = live;
  const chunking = manifest.chunking ?? { chunkSize: 500, chunkOverlap: 80 };
  const writer = await PgWriter.open(url, { modelId: manifest.model, chunking, rebuild: true });
  try {
    const files = Object.keys(manifest.files).sort();
    let chunkCount = 0;
    for (const [i, file] of files.entries()) {
      const reply = previous.replies.get(file);
      if (!reply) throw new DafuStoreError(`The store in ${storeDir} lists ${file} but has no record of it; nothing was migrated.`);
      const chunks = reply.chunkIds.map((id) => previous.chunks.get(id));
      const vectors = reply.chunkIds.map((id) => previous.vectorOf(id));
      if (chunks.some((c) => !c) || vectors.some((v) => !v)) throw new DafuStoreError(`The store in ${storeDir} lacks a chunk or vector of ${file}; nothing was migrated (re-run ingest first).`);
      await writer.writeReply(reply, chunks as NonNullable<(typeof chunks)[number]>[], vectors as number[][]);
      chunkCount += chunks.length;
      onProgress?.(i + 1, files.length);
    }
    await writer.publish({ model: manifest.model, chunking, corpusDir: manifest.corpusDir ?? null });
    return {
      documents: files.length,
      chunks: chunkCount,
      model: manifest.model,
      dimensions: manifest.dimensions,
      generation: writer.pending,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } catch (err) {
    await writer.abandon();
    throw err;
  } finally {
    await writer.close();
  }
}

/**
 * `npm run ingest` into the Postgres store (STORE_URL): the same load, parse,
 * chunk and embed stages as the file ingest (`run.ts`), written reply by
 * reply through {@link PgWriter} instead of as a whole new version folder.
 *
 * Replies are prepared a batch at a time (a few hundred chunks), embedded
 * longest first across the batch (as the file ingest does, so the model pads
 * little), then each reply is written in its own transaction. Nothing is
 * visible to readers until the generation is published at the end; any
 * error before that undoes the pending generation and leaves the published
 * store exactly as it was.
 */
import { resolve } from 'node:path';
import { createEmbeddings } from '../src/embeddings/index.ts';
import type { StoredChunk, StoredReply } from '../src/store/types.ts';
import { loadFile, resolveCorpusFile, LoadError } from './load/index.ts';
import { envFault } from './faults.ts';
import { freshChunks, listCorpus, sha256, textHash } from './prepare.ts';
import { PgWriter } from './store/postgres.ts';
import type { IngestEmbeddings, IngestOptions, IngestProgress, IngestSummary } from './types.ts';

/** Chunks prepared before a round of embedding and writing. */
const BATCH_CHUNKS = 192;
/** Texts per embedDocuments call (as in run.ts). */
const EMBED_SLICE = 48;

interface Pending {
  reply: StoredReply;
  chunks: StoredChunk[];
  vectors: (number[] | undefined)[];
  isNew: boolean;
}

export interface PgIngestOptions extends Omit<IngestOptions, 'storeDir'> {
  storeUrl: string;
}

export async function runPgIngest(opts: PgIngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { config } = opts;
  let ownEmbeddings: ReturnType<typeof createEmbeddings> | undefined;
  const embeddings: IngestEmbeddings = opts.embeddings ?? (ownEmbeddings = createEmbeddings(config));
  const chunking = { chunkSize: config.CHUNK_SIZE, chunkOverlap: config.CHUNK_OVERLAP };
  let writer: PgWriter;
  try {
    writer = await PgWriter.open(opts.storeUrl, { modelId: embeddings.modelId, chunking, ...(opts.rebuild ? { rebuild: true } : {}), ...(opts.onNotice ? { onNotice: opts.onNotice } : {}) });
  } catch (err) {
    await ownEmbeddings?.dispose();
    throw err;
  }
  const stopGuard = guardSignals(writer);
  try {
    const listing = await listCorpus(opts.corpusDir);
    const skipped = [...listing.skipped];
    const progress: IngestProgress = { phase: 'read', filesDone: 0, filesTotal: listing.files.length, chunksEmbedded: 0, chunksToEmbed: 0 };
    const report = () => opts.onProgress?.({ ...progress });
    report();
    const envReplyFault = envFault('reply');
    const fault = opts.faultDuringReply ?? (async (_file: string) => envReplyFault?.());
    const kept = new Set<string>();
    const written = new Set<string>();
    const byHash = new Map<string, string>();
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    let chunkCount = 0;
    let commitments = 0;
    let batch: Pending[] = [];
    let batchChunks = 0;
    let embedded = 0;

    const flush = async () => {
      if (batch.length === 0) return;
      const todo = batch.flatMap((p) => p.chunks.map((c, i) => ({ p, i, c }))).filter(({ p, i }) => p.vectors[i] === undefined);
      todo.sort((a, b) => b.c.pageContent.length - a.c.pageContent.length);
      progress.phase = 'embed';
      progress.chunksToEmbed += todo.length;
      embedded += todo.length;
      report();
      for (let i = 0; i < todo.length; i += EMBED_SLICE) {
        const slice = todo.slice(i, i + EMBED_SLICE);
        const vectors = await embeddings.embedDocuments(slice.map(({ c }) => c.pageContent));
        slice.forEach(({ p, i: at }, k) => {
          p.vectors[at] = vectors[k];
        });
        progress.chunksEmbedded += slice.length;
        report();
      }
      progress.phase = 'write';
      report();
      for (const p of batch) {
        await writer.writeReply(p.reply, p.chunks, p.vectors as number[][], () => fault(p.reply.file));
        written.add(p.reply.file);
        if (p.isNew) added++;
        else changed++;
      }
      batch = [];
      batchChunks = 0;
    };

    for (const file of listing.files) {
      // Reading and parsing a file can fail for that file alone (skipped, as in the file ingest);
      // a database error fails the run (and is undone).
      let prepared: ReturnType<typeof freshChunks> | null = null;
      const live = writer.live.get(file);
      try {
        const loaded = await loadFile(resolveCorpusFile(opts.corpusDir, file), { name: file });
        const hash = sha256(loaded.bytes);
        const twin = byHash.get(hash);
        if (twin !== undefined) throw new LoadError(file, `same content as ${twin}, which is already ingested`);
        if (!(live && live.hash === hash && writer.sameChunking)) {
          prepared = freshChunks(loaded.text, file, hash, chunking);
          if (prepared.chunks.length === 0) throw new LoadError(file, 'no text to index after parsing');
          if (new Set(prepared.chunks.map((c) => c.id)).size !== prepared.chunks.length) throw new LoadError(file, 'duplicate chunk id (within the file)');
        }
        byHash.set(hash, file);
      } catch (err) {
        skipped.push({ file, reason: err instanceof LoadError ? err.reason : err instanceof Error ? err.message : String(err) });
        progress.filesDone++;
        report();
        continue;
      }
      if (!prepared && live) {
        kept.add(file);
        unchanged++;
        chunkCount += live.chunks;
        commitments += live.commitments;
      } else if (prepared) {
        // Chunks whose text did not change keep their vectors (same model only).
        const old = live ? await writer.reusableVectors(file) : new Map<string, number[]>();
        batch.push({ reply: prepared.reply, chunks: prepared.chunks, vectors: prepared.chunks.map((c) => old.get(textHash(c.pageContent))), isNew: !live });
        batchChunks += prepared.chunks.length;
        chunkCount += prepared.chunks.length;
        commitments += prepared.reply.commitments.length;
      }
      progress.filesDone++;
      report();
      if (batchChunks >= BATCH_CHUNKS) await flush();
    }
    await flush();
    // Every reply is written to the pending generation, nothing is published: where a kill must change nothing readers see.
    await envFault('write')?.();
    skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const removedFiles = [...writer.live.keys()].filter((f) => !kept.has(f) && !written.has(f));
    const documents = kept.size + written.size;
    const summary = (over: Partial<IngestSummary> = {}): IngestSummary => ({
      documents,
      chunks: chunkCount,
      commitments,
      added,
      changed,
      removed: removedFiles.length,
      unchanged,
      embedded,
      skipped,
      model: embeddings.modelId,
      dimensions: writer.dimensions ?? 0,
      seconds: Math.round((performance.now() - started) / 10) / 100,
      ...over,
    });
    if (documents === 0) {
      // Nothing usable: keep whatever store there is rather than replacing it with an empty one.
      await writer.abandon();
      return summary({ documents: 0, chunks: 0, commitments: 0, added: 0, changed: 0, removed: 0, unchanged: 0, embedded: 0 });
    }
    const changes = written.size > 0 || removedFiles.length > 0 || !writer.reusable;
    if (changes) {
      await writer.retire(removedFiles);
      await writer.publish({ model: embeddings.modelId, chunking, corpusDir: resolve(opts.corpusDir) });
    }
    progress.phase = 'done';
    report();
    return summary();
  } catch (err) {
    await writer.abandon();
    throw err;
  } finally {
    stopGuard();
    await writer.close();
    await ownEmbeddings?.dispose();
  }
}

/**
 * Ctrl-C or SIGTERM during a Postgres ingest: undo the pending generation,
 * release the lock, say that the published store is intact, exit 130/143.
 * (A kill -9 leaves the pending rows; the next ingest removes them, and the
 * lease expires after 30 s or at once when the killed pid is gone.)
 */
function guardSignals(writer: PgWriter): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      void (async () => {
        await writer.abandon();
        await writer.close();
        if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\x1b[?7h');
        process.stderr.write(`\ndafu ingest: interrupted (${signal}); the published store at ${writer.where} is intact. Run ingest again to finish.\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      })();
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}

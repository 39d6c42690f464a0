/**
 * `npm run ingest`: corpus folder → store, incrementally and crash-safely.
 *
 *  1. take the store's lock (a second ingest refuses), remove leftovers of crashed runs;
 *  2. load, hash, normalize, parse and chunk each file; a file whose content
 *     hash (and the chunking settings) match the live store keeps its chunks
 *     and its stored vectors, everything else is embedded (see embed-queue.ts);
 *     each reply goes at once into the records (streamed into a new version
 *     folder), the BM25 postings and the HNSW index, so nothing holds every
 *     reply (they are rebuilt from scratch in the new folder, so removed or
 *     changed files cannot leave stale entries behind);
 *  3. write the indexes and the manifest, then swap CURRENT to it atomically.
 * Any error or kill before the swap leaves the previous store as it was.
 *
 * With STORE_URL (or `storeUrl`) the same stages write the Postgres store
 * instead, reply by reply: see `run-postgres.ts`.
 */
import { DafuStoreError } from '../src/errors.ts';
import { createEmbeddings } from '../src/embeddings/index.ts';
import { Bm25Index } from '../src/search/bm25.ts';
import { incompatibility } from '../src/store/compat.ts';
import { STORE_FORMAT_VERSION, type Manifest, type ManifestFile, type StoredChunk } from '../src/store/types.ts';
import { tokenize } from '../src/search/tokenize.ts';
import { loadFile, resolveCorpusFile, LoadError } from './load/index.ts';
import { resolve } from 'node:path';
import { envFault } from './faults.ts';
import { freshChunks, lexicalText, listCorpus, sha256, type Prepared } from './prepare.ts';
import { acquireLock } from './store/lock.ts';
import { DenseBuilder } from './store/dense.ts';
import { readPrevious, readPreviousManifest, type PreviousStore } from './store/previous.ts';
import { abandonUnpublished, completeVersion, publishVersion, removeOtherVersions, startVersion } from './store/writer.ts';
import { RecordsWriter } from './store/records-stream.ts';
import { EmbedQueue } from './embed-queue.ts';

// The run's contract (options, progress, summary), shared with the Postgres writer and the embedding queue.
export type { IngestEmbeddings, IngestOptions, IngestProgress, IngestSummary } from './types.ts';
import type { IngestEmbeddings, IngestOptions, IngestProgress, IngestSummary } from './types.ts';

export { lexicalText } from './prepare.ts';

/** Ingests `corpusDir` into `storeDir`. Throws DafuStoreError when the store is locked or cannot be written. */
export async function runIngest(opts: IngestOptions): Promise<IngestSummary> {
  const storeUrl = opts.storeUrl ?? opts.config.STORE_URL;
  if (storeUrl) {
    const { runPgIngest } = await import('./run-postgres.ts');
    return runPgIngest({ ...opts, storeUrl });
  }
  const started = performance.now();
  const { config, storeDir } = opts;
  const lock = await acquireLock(storeDir);
  const stopGuard = guardSignals(storeDir, () => lock.releaseSync());
  let ownEmbeddings: ReturnType<typeof createEmbeddings> | undefined;
  try {
    const embeddings: IngestEmbeddings = opts.embeddings ?? (ownEmbeddings = createEmbeddings(config));
    const live = await readPreviousManifest(storeDir).catch((err: unknown) => {
      opts.onNotice?.(`the current store could not be read (${(err as Error).message}); building a new one from scratch`);
      return null;
    });
    await removeOtherVersions(storeDir, live?.version ?? null);

    // Old vectors are reused only when they are comparable with the new ones.
    let previous: PreviousStore | null = null;
    if (live && !opts.rebuild) {
      const problem = incompatibility(live.manifest, storeDir, embeddings.modelId, undefined);
      if (problem) {
        opts.onNotice?.(`the store was built with model "${live.manifest.model}" (format ${live.manifest.formatVersion}); rebuilding with "${embeddings.modelId}"`);
      } else {
        previous = await readPrevious(storeDir, live.version, live.manifest, embeddings).catch((err: unknown) => {
          opts.onNotice?.(`the current store could not be read (${(err as Error).message}); embedding everything again`);
          return null;
        });
      }
    }
    const chunking = { chunkSize: config.CHUNK_SIZE, chunkOverlap: config.CHUNK_OVERLAP };
    const sameChunking = previous?.manifest.chunking?.chunkSize === chunking.chunkSize && previous?.manifest.chunking?.chunkOverlap === chunking.chunkOverlap;
    if (previous && !sameChunking) opts.onNotice?.('chunking settings changed: every file is chunked and embedded again');

    const listing = await listCorpus(opts.corpusDir);
    const skipped = [...listing.skipped];
    const progress: IngestProgress = { phase: 'read', filesDone: 0, filesTotal: listing.files.length, chunksEmbedded: 0, chunksToEmbed: 0 };
    const report = () => opts.onProgress?.({ ...progress });
    report();

    // Each reply goes, as soon as it is parsed, into the records (streamed into the new version
    // folder), the BM25 postings and the embedding queue, and is then dropped: what the run holds
    // grows with the indexes, not with the replies' texts (issue 11).
    const version = await startVersion(storeDir);
    let records: RecordsWriter | undefined;
    try {
      records = await RecordsWriter.open(version.paths.records);
      const lexical = Bm25Index.builder();
      const dense = new DenseBuilder(embeddings);
      const queue = new EmbedQueue(embeddings, dense, {
        ...(previous ? { dimensions: previous.manifest.dimensions } : {}),
        onStart: () => {
          progress.phase = 'embed';
          report();
        },
        onVectors: (n) => {
          progress.chunksEmbedded += n;
          if (progress.phase === 'embed') report();
        },
      });
      const files: Record<string, ManifestFile> = {};
      const byHash = new Map<string, string>();
      const chunkIds = new Set<string>();
      let documents = 0;
      let chunkCount = 0;
      let commitments = 0;
      let added = 0;
      let changed = 0;
      let unchanged = 0;
      let reusedCount = 0;

      for (const file of listing.files) {
        let prepared: Prepared;
        let hash: string;
        try {
          const loaded = await loadFile(resolveCorpusFile(opts.corpusDir, file), { name: file });
          hash = sha256(loaded.bytes);
          const twin = byHash.get(hash);
          if (twin !== undefined) throw new LoadError(file, `same content as ${twin}, which is already ingested`);
          prepared = keptFromPrevious(previous, sameChunking, file, hash) ?? freshChunks(loaded.text, file, hash, chunking);
          const clash = prepared.chunks.find((c) => chunkIds.has(c.id));
          if (clash || new Set(prepared.chunks.map((c) => c.id)).size !== prepared.chunks.length) {
            throw new LoadError(file, `duplicate chunk id ${clash?.id ?? '(within the file)'}`);
          }
          if (prepared.chunks.length === 0) throw new LoadError(file, 'no text to index after parsing');
        } catch (err) {
          skipped.push({ file, reason: err instanceof LoadError ? err.reason : err instanceof Error ? err.message : String(err) });
          progress.filesDone++;
          report();
          continue;
        }
        const { reply, chunks, reuse } = prepared;
        for (const c of chunks) chunkIds.add(c.id);
        byHash.set(hash, file);
        // Past this point a failure is the run's (the disk, the model), not this file's.
        await records.add(reply, chunks);
        for (const c of chunks) lexical.add(c.id, tokenize(lexicalText(c)));
        if (reuse) {
          for (const c of chunks) queue.addStored(c.id, c.pageContent, storedVector(previous, c.id));
          reusedCount += chunks.length;
        } else {
          progress.chunksToEmbed += chunks.length;
          for (const c of chunks) await queue.add(c.id, c.pageContent);
        }
        files[file] = { hash, replyId: reply.id, chunkIds: reply.chunkIds };
        documents++;
        chunkCount += chunks.length;
        commitments += reply.commitments.length;
        const old = live?.manifest.files[file];
        if (!old) added++;
        else if (old.hash !== hash) changed++;
        else unchanged++;
        progress.filesDone++;
        report();
      }
      skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

      if (documents === 0) {
        // Nothing usable: keep whatever store there is rather than replacing it with an empty one.
        await records.close();
        abandonUnpublished(storeDir);
        return {
          documents: 0, chunks: 0, commitments: 0, added: 0, changed: 0, removed: 0, unchanged: 0, embedded: 0, skipped,
          model: embeddings.modelId, dimensions: live?.manifest.dimensions ?? 0, seconds: Math.round((performance.now() - started) / 10) / 100,
        };
      }
      await queue.finish();
      await (opts.faultAfterEmbed ?? envFault('embed'))?.();

      progress.phase = 'write';
      report();
      await records.finish();
      dense.trim();
      const dimensions = queue.dimensions || (reusedCount > 0 ? (previous?.manifest.dimensions ?? 0) : 0);
      const removed = Object.keys(live?.manifest.files ?? {}).filter((f) => !(f in files)).length;
      const now = new Date().toISOString();
      const manifest: Manifest = {
        formatVersion: STORE_FORMAT_VERSION,
        model: embeddings.modelId,
        dimensions,
        createdAt: previous?.manifest.createdAt ?? now,
        updatedAt: now,
        files,
        counts: { documents, chunks: chunkCount, commitments },
        chunking,
        corpusDir: resolve(opts.corpusDir),
      };
      await completeVersion(version, { manifest, bm25: lexical.finish(), vectorStore: dense.vectorStore }, opts.faultDuringWrite ?? envFault('write'));
      await publishVersion(storeDir, version.name);
      await removeOtherVersions(storeDir, version.name);
      progress.phase = 'done';
      report();
      return {
        documents,
        chunks: chunkCount,
        commitments,
        added,
        changed,
        removed,
        unchanged,
        embedded: queue.embedded,
        skipped,
        model: embeddings.modelId,
        dimensions,
        seconds: Math.round((performance.now() - started) / 10) / 100,
      };
    } catch (err) {
      await records?.close().catch(() => undefined);
      // Remove the unfinished version now (on a full disk it is what keeps the disk full); CURRENT is
      // read afresh, so a version published just before the failure is kept.
      const kept = abandonUnpublished(storeDir);
      throw writeFailure(err, storeDir, kept);
    }
  } finally {
    stopGuard();
    await lock.release();
    await ownEmbeddings?.dispose();
  }
}

/**
 * While an ingest holds the lock, Ctrl-C (SIGINT) or SIGTERM must not leave
 * the lock file and a half-written version folder behind: the handler removes
 * the unpublished version, releases the lock, says what state the store is
 * in, and exits with the conventional 128 + signal number. Returns the
 * function that removes the handlers.
 */
function guardSignals(storeDir: string, releaseLock: () => void): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      const live = abandonUnpublished(storeDir);
      releaseLock();
      // A progress bar hides the cursor and disables line wrap; give both back before exiting.
      if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\x1b[?7h');
      process.stderr.write(
        `\ndafu ingest: interrupted (${signal}); ${live ? `the store in ${storeDir} is intact (version ${live})` : `no store was written in ${storeDir}`}. Run ingest again to finish.\n`,
      );
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}

/** File-system failures a user can act on, by errno code. */
const WRITE_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'an input/output error (a failing disk?)',
};

/**
 * The error for a failed write of the new version: one line saying what
 * happened, that the partial version is gone and the previous store is
 * intact, and what to do, for the failures a user can act on (full disk,
 * quota, read-only, permissions); anything else is rethrown as it is.
 */
function writeFailure(err: unknown, storeDir: string, live: string | null): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  // hnswlib's native writer reports a full disk in its message only.
  const reason = (code && WRITE_REASONS[code]) ?? (err instanceof Error && /no space left|ENOSPC/i.test(err.message) ? WRITE_REASONS['ENOSPC'] : undefined);
  if (!reason) return err;
  const kept = live ? `the previous store (version ${live}) is unchanged and still answers` : 'there was no previous store';
  const todo = code === 'ENOSPC' || code === 'EDQUOT' || reason === WRITE_REASONS['ENOSPC'] ? 'Free some space' : 'Fix the store folder';
  return new DafuStoreError(`dafu ingest: ${reason} while writing the store in ${storeDir}; the partial new version was removed and ${kept}. ${todo} and run ingest again.`, { cause: err });
}


/** The live store's reply and chunks for `file` when its content is unchanged and every vector is there; else null. */
function keptFromPrevious(previous: PreviousStore | null, sameChunking: boolean, file: string, hash: string): Prepared | null {
  const old = previous?.manifest.files[file];
  const reply = previous?.replies.get(file);
  if (!previous || !sameChunking || !old || !reply || old.hash !== hash) return null;
  const chunks = old.chunkIds.map((id) => previous.chunks.get(id)).filter((c): c is StoredChunk => c !== undefined);
  if (chunks.length !== old.chunkIds.length || !chunks.every((c) => previous.vectorOf(c.id) !== undefined)) return null;
  return { reply, chunks, reuse: true };
}


function storedVector(previous: PreviousStore | null, id: string): number[] {
  const v = previous?.vectorOf(id);
  // Checked when the chunk was chosen for reuse; missing now would be a bug.
  if (!v) throw new Error(`stored vector of chunk ${id} vanished`);
  return v;
}


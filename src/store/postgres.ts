/**
 * Reads the store from PostgreSQL (STORE_URL), behind the same {@link Store}
 * interface as the file store, so the answer engine works unchanged on both.
 *
 * At open, one read-only snapshot loads the published generation's replies
 * and chunks into memory and builds dafu's own BM25 from the stored tokens
 * (the same tokens for every instance, so every instance ranks alike; no
 * Chinese tokenizer in Postgres to rely on). Dense search runs in SQL on the
 * HNSW index (`ORDER BY embedding <=> $1 LIMIT k`), restricted to the rows
 * of that generation, so a reader keeps answering from a whole generation
 * while an ingest writes the next one. {@link watchPgGeneration} polls for a
 * newly published generation: polling rather than LISTEN/NOTIFY because
 * devdb (PGlite) is one session shared by all connections, where a
 * notification has no listener of its own, and one small query every few
 * seconds costs nothing on a real server either.
 */
import type pg from 'pg';
import { Bm25Index } from '../search/bm25.ts';
import { DafuStoreError } from '../errors.ts';
import { STORE_FORMAT_VERSION, type DenseHit, type LexicalHit, type Manifest, type StoredChunk, type StoredReply } from './types.ts';
import { incompatibility, type OpenStoreOptions, type OpenedStore, DEFAULT_EF } from './compat.ts';
import { PG_STORE_FORMAT, TOKEN_SEPARATOR, chunksTable, createPool, pgFailure, readState, redactUrl, vectorLiteral, visibleAt, type PgState } from './pg-schema.ts';

/** pgvector's largest hnsw.ef_search. */
const MAX_PG_EF = 1000;

function noStore(url: string): DafuStoreError {
  return new DafuStoreError(`No store at ${redactUrl(url)} yet: run \`npm run ingest\` first (with the same STORE_URL).`);
}

/** The manifest a Postgres store shows for its published generation (the file store's shape, so callers need not know the backend). */
function manifestFrom(state: PgState, files: Manifest['files'], counts: Manifest['counts']): Manifest {
  return {
    formatVersion: state.format === PG_STORE_FORMAT ? STORE_FORMAT_VERSION : -state.format,
    model: state.model,
    dimensions: state.dimensions,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    files,
    counts,
    chunking: { chunkSize: state.chunkSize, chunkOverlap: state.chunkOverlap },
    ...(state.corpusDir ? { corpusDir: state.corpusDir } : {}),
  };
}

function manifestOf(state: PgState, replies: readonly StoredReply[], chunkCount: number): Manifest {
  const files: Manifest['files'] = {};
  for (const r of replies) files[r.file] = { hash: r.hash, replyId: r.id, chunkIds: r.chunkIds };
  return manifestFrom(state, files, { documents: replies.length, chunks: chunkCount, commitments: replies.reduce((n, r) => n + r.commitments.length, 0) });
}

interface ChunkRow {
  id: string;
  reply_id: string;
  page_content: string;
  metadata: string;
  tokens: string;
}

/**
 * Opens the published generation of the store at `url`. Throws
 * {@link DafuStoreError} when there is none yet, when it was built with
 * another model, or when the database cannot be reached (the URL's password
 * is never shown).
 */
export async function openPgStore(url: string, opts: OpenStoreOptions): Promise<OpenedStore> {
  const pool = createPool(url);
  const ef = Math.min(MAX_PG_EF, opts.ef ?? DEFAULT_EF);
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw pgFailure(url, err, 'open');
  }
  let state: PgState | null;
  let replies: StoredReply[];
  let chunkRows: ChunkRow[];
  let iterative = false;
  try {
    // One snapshot: the state and the rows of its generation, even if an ingest publishes meanwhile.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    state = await readState(client);
    if (!state) {
      await client.query('COMMIT');
      throw noStore(url);
    }
    const g = state.generation;
    const r = await client.query<{ record: string }>(`SELECT record FROM dafu_replies WHERE ${visibleAt('$1')}`, [g]);
    replies = r.rows.map((row) => JSON.parse(row.record) as StoredReply);
    const c = await client.query<ChunkRow>(`SELECT id, reply_id, page_content, metadata, tokens FROM ${chunksTable(state.epoch)} WHERE ${visibleAt('$1')} ORDER BY file, ord`, [g]);
    chunkRows = c.rows;
    const v = await client.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'");
    iterative = atLeast(v.rows[0]?.v ?? '0', [0, 8]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end().catch(() => undefined);
    if (err instanceof DafuStoreError) throw err;
    throw pgFailure(url, err, 'read');
  }
  client.release();
  // The file store lists replies in corpus order (sorted paths); so does this one.
  replies.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const manifest = manifestOf(state, replies, chunkRows.length);
  const shown = redactUrl(url);
  const problem = incompatibility(manifest, shown, opts.embeddings.modelId, knownDimensions(opts.embeddings));
  if (problem) {
    await pool.end().catch(() => undefined);
    throw new DafuStoreError(problem);
  }

  const chunks = new Map<string, StoredChunk>();
  const replyById = new Map(replies.map((r) => [r.id, r as unknown as Record<string, unknown>]));
  for (const row of chunkRows) chunks.set(row.id, shared({ id: row.id, replyId: row.reply_id, pageContent: row.page_content, metadata: JSON.parse(row.metadata) as StoredChunk['metadata'] }, replyById.get(row.reply_id)));
  const lexical = Bm25Index.fromTokens(chunkRows.map((row) => ({ id: row.id, tokens: row.tokens ? row.tokens.split(TOKEN_SEPARATOR) : [] })));
  const replyOfDoc = lexical.documentIds().map((id) => chunks.get(id)?.replyId ?? '');
  chunkRows = [];
  const byReply = new Map<string, StoredChunk[]>();
  for (const r of replies) byReply.set(r.id, r.chunkIds.flatMap((id) => chunks.get(id) ?? []));
  const generation = state.generation;
  const table = chunksTable(state.epoch);
  const embeddings = opts.embeddings;
  let closed = false;

  return {
    dir: shown,
    manifest,
    replies,
    embeddings,
    generation: String(generation),
    chunk: (id) => chunks.get(id),
    chunksOf: (replyId) => [...(byReply.get(replyId) ?? [])],
    async denseSearch(query: string, k: number): Promise<DenseHit[]> {
      const n = Math.min(k, chunks.size);
      if (n <= 0) return [];
      const vector = await embeddings.embedQuery(query);
      if (vector.length !== manifest.dimensions) {
        throw new DafuStoreError(incompatibility(manifest, shown, undefined, vector.length) ?? `query vector has ${vector.length} dimensions, the store ${manifest.dimensions}`);
      }
      try {
        // HNSW_EF per query, and as hnswlib does, at least k: pgvector returns at most ef_search rows
        // (LangChain's PGVectorStore never sets it). SET LOCAL lasts for this message's implicit
        // transaction only; one message with the values inlined (numbers we made), so devdb serves
        // it whole. pgvector ≥ 0.8 keeps scanning when the generation filter drops rows (pending
        // rows of an ingest), so k hits still come back.
        const lit = vectorLiteral(vector);
        const results = (await pool.query(
          `SET LOCAL hnsw.ef_search = ${Math.min(MAX_PG_EF, Math.max(ef, n))}; ` +
            (iterative ? 'SET LOCAL hnsw.iterative_scan = relaxed_order; ' : '') +
            // ORDER BY the alias: the same expression, so the HNSW index serves it, and the vector is parsed once (≈ 35 % faster at 512-d on devdb).
            `SELECT id, embedding <=> '${lit}'::vector AS distance FROM ${table} WHERE ${visibleAt(String(generation))} ORDER BY distance LIMIT ${n}`,
        )) as unknown as pg.QueryResult<{ id: string; distance: number }>[];
        const rows = results[results.length - 1]?.rows ?? [];
        // With pgvector ≥ 0.8's relaxed iterative scan the order can be slightly off: sort by distance here.
        return rows.map((row) => ({ id: row.id, distance: Math.max(0, Number(row.distance)) })).sort((a, b) => a.distance - b.distance);
      } catch (err) {
        throw pgFailure(url, err, 'search');
      }
    },
    warm: (pause: () => Promise<void>) => lexical.warm(pause),
    lexicalSearch(query: string, k: number, inReplies?: ReadonlySet<string>): LexicalHit[] {
      if (!inReplies) return lexical.search(query, k);
      return lexical.search(query, k, (_id, doc) => inReplies.has(replyOfDoc[doc] as string));
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
    },
  };
}

/**
 * Lets a chunk share memory with what the reader already holds, as the file
 * store's records do: each metadata field that repeats its reply's value
 * points at the reply's string, and the body is a slice of pageContent (which
 * ends with it) instead of a second copy (measured: 8 % less heap at 24,800 chunks).
 */
function shared(chunk: StoredChunk, reply: Record<string, unknown> | undefined): StoredChunk {
  const m = chunk.metadata as unknown as Record<string, unknown>;
  if (reply) {
    for (const key of Object.keys(m)) {
      const mine = m[key];
      const theirs = reply[key];
      if (typeof mine === 'string' && mine === theirs) m[key] = theirs;
    }
  }
  const text = chunk.metadata.text;
  if (chunk.pageContent.endsWith(text)) chunk.metadata.text = chunk.pageContent.slice(chunk.pageContent.length - text.length);
  return chunk;
}

/** Whether a version string like "0.8.7" is at least `min`. */
function atLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

function knownDimensions(embeddings: OpenStoreOptions['embeddings']): number | undefined {
  try {
    return embeddings.dimensions;
  } catch {
    return undefined;
  }
}

/**
 * The published manifest without loading chunks (files with their hashes;
 * chunk id lists left empty), or null when nothing is published: what the
 * bot's start-up compares with the corpus.
 */
export async function readPgManifest(url: string): Promise<{ version: string; manifest: Manifest } | null> {
  const pool = createPool(url, 1);
  try {
    const client = await pool.connect().catch((err: unknown) => {
      throw pgFailure(url, err, 'open');
    });
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const state = await readState(client);
      if (!state) {
        await client.query('COMMIT');
        return null;
      }
      const r = await client.query<{ file: string; hash: string; reply_id: string; chunk_count: number; commitment_count: number }>(
        `SELECT file, hash, reply_id, chunk_count, commitment_count FROM dafu_replies WHERE ${visibleAt('$1')}`,
        [state.generation],
      );
      await client.query('COMMIT');
      const files: Manifest['files'] = {};
      let chunks = 0;
      let commitments = 0;
      for (const row of r.rows) {
        files[row.file] = { hash: row.hash, replyId: row.reply_id, chunkIds: [] };
        chunks += row.chunk_count;
        commitments += row.commitment_count;
      }
      const manifest = manifestFrom(state, files, { documents: r.rows.length, chunks, commitments });
      return { version: String(state.generation), manifest };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (err instanceof DafuStoreError) throw err;
      throw pgFailure(url, err, 'read');
    } finally {
      client.release();
    }
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** The published generation (null: none yet), with one small query. */
export async function readPgGeneration(db: pg.Pool): Promise<string | null> {
  const t = await db.query<{ t: string | null }>("SELECT to_regclass('dafu_state')::text AS t");
  if (t.rows[0]?.t == null) return null;
  const r = await db.query<{ generation: string }>('SELECT generation FROM dafu_state WHERE id = 1');
  return r.rows[0] ? String(r.rows[0].generation) : null;
}

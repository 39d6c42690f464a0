/**
 * Writes the store into PostgreSQL (STORE_URL): the write side of an ingest,
 * beside `writer.ts` for the file store. Rows are versioned by generation
 * (see `src/store/pg-schema.ts`):
 *
 *  - the writer takes the ingest lock (advisory lock + lease row), undoes
 *    what a crashed ingest left unpublished, and works on generation G+1;
 *  - a changed or new reply is written in one transaction: its old rows
 *    retired (gen_to = G+1), the new ones inserted (gen_from = G+1), the
 *    vectors of chunks whose text did not change reused; a failure rolls the
 *    reply back, and since nothing is published, readers never see it;
 *  - removed files are retired after the complete walk;
 *  - publishing is one UPDATE of `dafu_state` (generation, and with a model
 *    change the new epoch's chunks table); rows retired before the previous
 *    generation are deleted afterwards, so a reader one generation behind
 *    still finds all of its rows.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DafuStoreBusyError, DafuStoreError } from '../../src/errors.ts';
import {
  PG_STORE_FORMAT,
  TOKEN_SEPARATOR,
  chunksTable,
  ensureChunksTable,
  ensureSchema,
  parseVector,
  pgFailure,
  readState,
  redactUrl,
  vectorLiteral,
  visibleAt,
  type PgState,
} from '../../src/store/pg-schema.ts';
import { tokenize } from '../../src/search/tokenize.ts';
import type { StoredChunk, StoredReply } from '../../src/store/types.ts';
import { lexicalText, textHash } from '../prepare.ts';
import { alive } from './lock.ts';

/** Advisory lock key: "dafu" in ASCII. */
const LOCK_KEY = 0x64616675;
/** A lease not renewed for this long belongs to a dead ingest. */
const LEASE_SECONDS = 30;
const HEARTBEAT_MS = 5_000;
/** Rows per INSERT statement. */
const INSERT_ROWS = 50;

/** What the writer knows of a reply that is live in the published generation. */
export interface LiveReply {
  hash: string;
  replyId: string;
  chunks: number;
  commitments: number;
}


interface LeaseRow {
  owner: string;
  backend: number;
  pid: number;
  host: string;
  started_at: Date;
  stale: boolean;
}

export interface PgWriterOptions {
  /** Build a new epoch (new chunks table) even when the model is the same (`--rebuild`, migrate). */
  rebuild?: boolean;
  modelId: string;
  chunking: { chunkSize: number; chunkOverlap: number };
  onNotice?: (message: string) => void;
}

export class PgWriter {
  /** The published state when the writer started (null: empty database). */
  readonly state: PgState | null;
  /** Replies live in the published generation, by file. */
  readonly live: Map<string, LiveReply>;
  /** The generation being written. */
  readonly pending: number;
  /** Epoch of the chunks table being written (a new one when the model changes). */
  readonly epoch: number;
  /** Whether the published chunks (and their vectors) can be kept: same format, model and epoch. */
  readonly reusable: boolean;
  /** Whether unchanged files can be skipped: reusable and chunked with the same settings. */
  readonly sameChunking: boolean;
  #dimensions: number | null;
  #tableReady = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(
    private readonly client: pg.Client,
    private readonly url: string,
    private readonly owner: string,
    state: PgState | null,
    live: Map<string, LiveReply>,
    opts: PgWriterOptions,
  ) {
    this.state = state;
    this.live = live;
    this.pending = (state?.generation ?? 0) + 1;
    this.reusable = !!state && !opts.rebuild && state.format === PG_STORE_FORMAT && state.model === opts.modelId;
    this.epoch = state ? (this.reusable ? state.epoch : state.epoch + 1) : 0;
    this.sameChunking = this.reusable && state?.chunkSize === opts.chunking.chunkSize && state?.chunkOverlap === opts.chunking.chunkOverlap;
    this.#dimensions = this.reusable ? (state?.dimensions ?? null) : null;
    this.#tableReady = this.reusable;
  }

  get dimensions(): number | null {
    return this.#dimensions;
  }

  /**
   * Connects, takes the ingest lock and undoes an unpublished generation left by a crash.
   * Throws {@link DafuStoreBusyError} when another ingest is writing, {@link DafuStoreError} when the database cannot be used.
   */
  static async open(url: string, opts: PgWriterOptions): Promise<PgWriter> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      throw pgFailure(url, err, 'open');
    }
    const owner = randomUUID();
    let locked = false;
    try {
      const lock = await client.query<{ ok: boolean; backend: number }>('SELECT pg_try_advisory_lock($1) AS ok, pg_backend_pid() AS backend', [LOCK_KEY]);
      const backend = lock.rows[0]?.backend ?? 0;
      if (!lock.rows[0]?.ok) throw await busy(client, url);
      locked = true;
      await ensureSchema(client);
      await takeLease(client, url, owner, backend);
      const writer = await PgWriter.#start(client, url, owner, opts);
      writer.#heartbeat = setInterval(() => {
        client.query('UPDATE dafu_ingest_lock SET heartbeat = now() WHERE owner = $1', [owner]).catch(() => undefined);
      }, HEARTBEAT_MS);
      writer.#heartbeat.unref();
      return writer;
    } catch (err) {
      if (locked) await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
      await client.end().catch(() => undefined);
      if (err instanceof DafuStoreError) throw err;
      throw pgFailure(url, err, 'write');
    }
  }

  static async #start(client: pg.Client, url: string, owner: string, opts: PgWriterOptions): Promise<PgWriter> {
    const state = await readState(client);
    await recover(client, state);
    const live = new Map<string, LiveReply>();
    if (state) {
      const r = await client.query<{ file: string; hash: string; reply_id: string; chunk_count: number; commitment_count: number }>(
        `SELECT file, hash, reply_id, chunk_count, commitment_count FROM dafu_replies WHERE ${visibleAt('$1')}`,
        [state.generation],
      );
      for (const row of r.rows) live.set(row.file, { hash: row.hash, replyId: row.reply_id, chunks: row.chunk_count, commitments: row.commitment_count });
    }
    const writer = new PgWriter(client, url, owner, state, live, opts);
    if (state && !writer.reusable) {
      opts.onNotice?.(
        opts.rebuild
          ? 'rebuilding every vector (--rebuild); readers keep the published store until the new one is complete'
          : `the store was built with model "${state.model}" (format ${state.format}); rebuilding with "${opts.modelId}" as a new generation`,
      );
    } else if (state && !writer.sameChunking) {
      opts.onNotice?.('chunking settings changed: every file is chunked again (vectors of unchanged texts are kept)');
    }
    return writer;
  }

  /** Stored vectors of `file`'s published chunks, by the hash of their text (empty when vectors cannot be reused). */
  async reusableVectors(file: string): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    if (!this.reusable || !this.state) return out;
    const r = await this.client.query<{ text_hash: string; embedding: string }>(
      `SELECT text_hash, embedding::text AS embedding FROM ${chunksTable(this.epoch)} WHERE file = $1 AND ${visibleAt('$2')}`,
      [file, this.state.generation],
    );
    for (const row of r.rows) out.set(row.text_hash, parseVector(row.embedding));
    return out;
  }

  /**
   * Replaces `reply` (by file) in the pending generation, in one transaction.
   * `beforeCommit` is a test hook run inside the transaction once the rows are written.
   */
  async writeReply(reply: StoredReply, chunks: readonly StoredChunk[], vectors: readonly (readonly number[])[], beforeCommit?: () => Promise<void> | void): Promise<void> {
    if (vectors.length !== chunks.length) throw new Error(`pg writer: ${chunks.length} chunks but ${vectors.length} vectors`);
    const width = vectors[0]?.length ?? 0;
    if (this.#dimensions !== null && width !== this.#dimensions) throw new Error(`the model returned ${width}-dimensional vectors, the store holds ${this.#dimensions}`);
    if (!this.#tableReady) {
      await ensureChunksTable(this.client, this.epoch, width);
      this.#tableReady = true;
    }
    this.#dimensions = width;
    const table = chunksTable(this.epoch);
    const c = this.client;
    await c.query('BEGIN');
    try {
      await c.query('UPDATE dafu_replies SET gen_to = $1 WHERE file = $2 AND gen_to IS NULL', [this.pending, reply.file]);
      if (this.reusable) await c.query(`UPDATE ${table} SET gen_to = $1 WHERE file = $2 AND gen_to IS NULL`, [this.pending, reply.file]);
      await c.query(
        'INSERT INTO dafu_replies (file, gen_from, reply_id, hash, doc_number, proposal_number, recipient, chunk_count, commitment_count, record) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [reply.file, this.pending, reply.id, reply.hash, reply.docNumber ?? null, reply.proposalNumber ?? null, reply.recipient ?? null, chunks.length, reply.commitments.length, JSON.stringify(reply)],
      );
      for (let i = 0; i < chunks.length; i += INSERT_ROWS) {
        const rows: string[] = [];
        const values: unknown[] = [];
        chunks.slice(i, i + INSERT_ROWS).forEach((chunk, j) => {
          const n = values.length;
          rows.push(`(${Array.from({ length: 11 }, (_, k) => `$${n + k + 1}`).join(', ')}::vector)`);
          values.push(
            chunk.id,
            this.pending,
            chunk.replyId,
            chunk.metadata.file,
            chunk.metadata.order,
            textHash(chunk.pageContent),
            chunk.pageContent,
            JSON.stringify(chunk.metadata),
            chunk.metadata.section.join(' > '),
            tokenize(lexicalText(chunk)).join(TOKEN_SEPARATOR),
            vectorLiteral(vectors[i + j] as readonly number[]),
          );
        });
        await c.query(`INSERT INTO ${table} (id, gen_from, reply_id, file, ord, text_hash, page_content, metadata, section_path, tokens, embedding) VALUES ${rows.join(', ')}`, values);
      }
      await beforeCommit?.();
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Retires `files` (removed from the corpus) in the pending generation. */
  async retire(files: readonly string[]): Promise<void> {
    if (files.length === 0) return;
    await this.client.query('BEGIN');
    try {
      await this.client.query('UPDATE dafu_replies SET gen_to = $1 WHERE file = ANY($2) AND gen_to IS NULL', [this.pending, files]);
      if (this.reusable) await this.client.query(`UPDATE ${chunksTable(this.epoch)} SET gen_to = $1 WHERE file = ANY($2) AND gen_to IS NULL`, [this.pending, files]);
      await this.client.query('COMMIT');
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Makes the pending generation the published one, in one statement, then
   * deletes rows no reader at the previous or the new generation can see.
   * With a new epoch, every live reply must have been rewritten first.
   */
  async publish(meta: { model: string; chunking: { chunkSize: number; chunkOverlap: number }; corpusDir: string | null }): Promise<void> {
    const dims = this.#dimensions;
    if (dims === null) throw new Error('pg writer: nothing was written, nothing to publish');
    const c = this.client;
    const previous = this.state?.generation ?? 0;
    await c.query('BEGIN');
    try {
      if (!this.reusable) {
        // Replies the new epoch did not rewrite are gone from it: retire them in the same switch.
        await c.query('UPDATE dafu_replies SET gen_to = $1 WHERE gen_to IS NULL AND gen_from < $1', [this.pending]);
      }
      const params = [PG_STORE_FORMAT, meta.model, dims, this.epoch, this.pending, meta.chunking.chunkSize, meta.chunking.chunkOverlap, meta.corpusDir];
      if (this.state) {
        await c.query(
          'UPDATE dafu_state SET format = $1, model = $2, dimensions = $3, epoch = $4, generation = $5, chunk_size = $6, chunk_overlap = $7, corpus_dir = $8, updated_at = now() WHERE id = 1',
          params,
        );
      } else {
        await c.query(
          'INSERT INTO dafu_state (id, format, model, dimensions, epoch, generation, chunk_size, chunk_overlap, corpus_dir, created_at, updated_at) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, now(), now())',
          params,
        );
      }
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    // Garbage: rows retired at or before the previous generation (readers at it no longer see them).
    await c.query('DELETE FROM dafu_replies WHERE gen_to IS NOT NULL AND gen_to <= $1', [previous]);
    await c.query(`DELETE FROM ${chunksTable(this.epoch)} WHERE gen_to IS NOT NULL AND gen_to <= $1`, [previous]);
  }

  /** Undoes the unpublished generation (after a failure); the published one is untouched. */
  async abandon(): Promise<void> {
    await recover(this.client, this.state).catch(() => undefined);
  }

  /** Releases the lock and the connection (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    await this.client.query('DELETE FROM dafu_ingest_lock WHERE owner = $1', [this.owner]).catch(() => undefined);
    await this.client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  /** For messages. */
  get where(): string {
    return redactUrl(this.url);
  }
}

/** Undoes everything newer than the published generation and drops other epochs' chunks tables. */
async function recover(client: pg.Client, state: PgState | null): Promise<void> {
  const g = state?.generation ?? 0;
  await client.query('DELETE FROM dafu_replies WHERE gen_from > $1', [g]);
  await client.query('UPDATE dafu_replies SET gen_to = NULL WHERE gen_to > $1', [g]);
  const tables = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE tablename LIKE 'dafu\\_chunks\\_%'");
  for (const { tablename } of tables.rows) {
    const epoch = Number(tablename.slice('dafu_chunks_'.length));
    if (!Number.isInteger(epoch)) continue;
    if (state && epoch === state.epoch) {
      await client.query(`DELETE FROM ${chunksTable(epoch)} WHERE gen_from > $1`, [g]);
      await client.query(`UPDATE ${chunksTable(epoch)} SET gen_to = NULL WHERE gen_to > $1`, [g]);
    } else {
      // An unpublished epoch (a model change that failed) or one superseded by the last switch.
      await client.query(`DROP TABLE IF EXISTS ${chunksTable(epoch)}`);
    }
  }
}

/** Takes the lease row, or throws naming the ingest that holds it. */
async function takeLease(client: pg.Client, url: string, owner: string, backend: number): Promise<void> {
  await client.query('BEGIN');
  try {
    const r = await client.query<LeaseRow>(
      `SELECT owner, backend, pid, host, started_at, (now() - heartbeat) > interval '${LEASE_SECONDS} seconds' AS stale FROM dafu_ingest_lock WHERE id = 1 FOR UPDATE`,
    );
    const held = r.rows[0];
    // We hold the advisory lock, so a lease of another backend is a dead session's (a real server releases
    // advisory locks with the session). On devdb every connection is one backend: there the lease decides.
    const dead = !held || held.stale || held.backend !== backend || (held.host === hostname() && !alive(held.pid));
    if (held && !dead) throw busyError(url, held);
    await client.query(
      `INSERT INTO dafu_ingest_lock (id, owner, backend, pid, host, started_at, heartbeat) VALUES (1, $1, $2, $3, $4, now(), now())
       ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, backend = EXCLUDED.backend, pid = EXCLUDED.pid, host = EXCLUDED.host, started_at = EXCLUDED.started_at, heartbeat = EXCLUDED.heartbeat`,
      [owner, backend, process.pid, hostname()],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

function busyError(url: string, held: Pick<LeaseRow, 'pid' | 'host' | 'started_at'> | undefined): DafuStoreBusyError {
  const who = held ? `pid ${held.pid}${held.host !== hostname() ? ` on ${held.host}` : ''}, started ${held.started_at.toISOString()}` : 'another session';
  return new DafuStoreBusyError(`Another ingest (${who}) is writing the store at ${redactUrl(url)}; wait for it to finish (readers keep answering from the published store meanwhile).`);
}

async function busy(client: pg.Client, url: string): Promise<DafuStoreBusyError> {
  const r = await client.query<LeaseRow>('SELECT owner, backend, pid, host, started_at, false AS stale FROM dafu_ingest_lock WHERE id = 1').catch(() => null);
  return busyError(url, r?.rows[0]);
}

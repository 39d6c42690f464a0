/**
 * The Postgres store's tables, shared by the reader (`postgres.ts`) and the
 * writer (`ingest/store/postgres.ts`), and the connection helpers both use.
 *
 *   dafu_state          one row: format, model, dimensions, the published generation,
 *                       and the epoch naming the chunks table that generation reads
 *   dafu_replies        one row per reply version: record JSON, source hash, file path,
 *                       indexed 发文字号 / proposal number / recipient
 *   dafu_chunks_<epoch> one row per chunk version: text, metadata JSON, section path,
 *                       BM25 tokens, vector(N) with an HNSW cosine index
 *
 * Visibility: every row carries `gen_from` (the generation that added it)
 * and `gen_to` (the one that retired it, NULL while current). A reader at
 * generation G sees `gen_from <= G AND (gen_to IS NULL OR gen_to > G)`. An
 * ingest writes its rows as generation G+1, invisible until it publishes by
 * updating `dafu_state.generation` in one statement, so readers see whole
 * generations only. A model change (other dimensions) writes a new chunks
 * table (new epoch) and switches to it in the same statement.
 *
 * The SQL is plain PostgreSQL (no jsonb operators, no PL/pgSQL) so that the
 * domestic Postgres-compatible databases run it; pgvector is the one
 * extension.
 */
import pg from 'pg';
import { DafuStoreError } from '../errors.ts';

/** Bump when the tables' meaning changes; an older store then asks for `ingest --rebuild`. */
export const PG_STORE_FORMAT = 1;

/** The visibility predicate at generation `$n` (see the module comment). */
export function visibleAt(param: string): string {
  return `gen_from <= ${param} AND (gen_to IS NULL OR gen_to > ${param})`;
}

export function chunksTable(epoch: number): string {
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`bad store epoch ${epoch}`);
  return `dafu_chunks_${epoch}`;
}

/** Separator of the stored BM25 tokens (never inside a token: the tokenizer drops control characters). */
export const TOKEN_SEPARATOR = '\u001f';

export interface PgState {
  format: number;
  model: string;
  dimensions: number;
  epoch: number;
  generation: number;
  chunkSize: number;
  chunkOverlap: number;
  corpusDir: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** A user-facing error for a failure to reach or use the database, never echoing the password. */
export function pgFailure(url: string, err: unknown, doing: string): DafuStoreError {
  const e = err as { code?: string; message?: string };
  let reason = e.message ?? String(err);
  const u = (() => {
    try {
      return new URL(url);
    } catch {
      return null;
    }
  })();
  if (u?.password) reason = reason.split(u.password).join('***');
  const hint =
    e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND'
      ? ' Is the database running? (For a local one, start `npm run -s devdb` and use the URL it prints.)'
      : e.code === '28P01' || e.code === '28000'
        ? ' Check the user and password in STORE_URL.'
        : e.code === '3D000'
          ? ' Create the database first (createdb).'
          : '';
  return new DafuStoreError(`dafu: cannot ${doing} the store at ${redactUrl(url)}: ${reason}.${hint}`, { cause: err });
}

/** A pool for a reader; small, because searches are short and devdb serves one query at a time anyway. */
export function createPool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 15_000 });
  // An idle client's connection dropping (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

export type Queryable = Pick<pg.ClientBase, 'query'>;

/** Whether the store's tables exist (a reader must not create them). */
export async function hasStore(db: Queryable): Promise<boolean> {
  const r = await db.query<{ t: string | null }>("SELECT to_regclass('dafu_state')::text AS t");
  return r.rows[0]?.t != null;
}

interface StateRow {
  format: number;
  model: string;
  dimensions: number;
  epoch: number;
  generation: string;
  chunk_size: number;
  chunk_overlap: number;
  corpus_dir: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The published state, or null when nothing was ever published. */
export async function readState(db: Queryable): Promise<PgState | null> {
  if (!(await hasStore(db))) return null;
  const r = await db.query<StateRow>('SELECT format, model, dimensions, epoch, generation, chunk_size, chunk_overlap, corpus_dir, created_at, updated_at FROM dafu_state WHERE id = 1');
  const s = r.rows[0];
  if (!s) return null;
  return {
    format: s.format,
    model: s.model,
    dimensions: s.dimensions,
    epoch: s.epoch,
    generation: Number(s.generation),
    chunkSize: s.chunk_size,
    chunkOverlap: s.chunk_overlap,
    corpusDir: s.corpus_dir,
    createdAt: s.created_at.toISOString(),
    updatedAt: s.updated_at.toISOString(),
  };
}

/** Creates the tables that do not depend on the model (idempotent). The writer calls it, under its lock. */
export async function ensureSchema(db: Queryable): Promise<void> {
  await db.query('CREATE EXTENSION IF NOT EXISTS vector');
  await db.query(`CREATE TABLE IF NOT EXISTS dafu_state (
    id integer PRIMARY KEY CHECK (id = 1),
    format integer NOT NULL,
    model text NOT NULL,
    dimensions integer NOT NULL,
    epoch integer NOT NULL,
    generation bigint NOT NULL,
    chunk_size integer NOT NULL,
    chunk_overlap integer NOT NULL,
    corpus_dir text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`);
  await db.query(`CREATE TABLE IF NOT EXISTS dafu_replies (
    file text NOT NULL,
    gen_from bigint NOT NULL,
    gen_to bigint,
    reply_id text NOT NULL,
    hash text NOT NULL,
    doc_number text,
    proposal_number text,
    recipient text,
    chunk_count integer NOT NULL,
    commitment_count integer NOT NULL,
    record text NOT NULL,
    PRIMARY KEY (file, gen_from)
  )`);
  await db.query('CREATE INDEX IF NOT EXISTS dafu_replies_doc_number ON dafu_replies (doc_number)');
  await db.query('CREATE INDEX IF NOT EXISTS dafu_replies_proposal_number ON dafu_replies (proposal_number)');
  await db.query('CREATE INDEX IF NOT EXISTS dafu_replies_recipient ON dafu_replies (recipient)');
  await db.query('CREATE INDEX IF NOT EXISTS dafu_replies_hash ON dafu_replies (hash)');
  // A lease for the ingest lock where advisory locks cannot tell sessions apart (devdb: one session for all).
  await db.query(`CREATE TABLE IF NOT EXISTS dafu_ingest_lock (
    id integer PRIMARY KEY CHECK (id = 1),
    owner text NOT NULL,
    backend integer NOT NULL,
    pid integer NOT NULL,
    host text NOT NULL,
    started_at timestamptz NOT NULL,
    heartbeat timestamptz NOT NULL
  )`);
}

/** Creates the chunks table of `epoch` for `dimensions`-wide vectors, with its HNSW cosine index (idempotent). */
export async function ensureChunksTable(db: Queryable, epoch: number, dimensions: number): Promise<void> {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16000) throw new Error(`bad vector width ${dimensions}`);
  const t = chunksTable(epoch);
  await db.query(`CREATE TABLE IF NOT EXISTS ${t} (
    id text NOT NULL,
    gen_from bigint NOT NULL,
    gen_to bigint,
    reply_id text NOT NULL,
    file text NOT NULL,
    ord integer NOT NULL,
    text_hash text NOT NULL,
    page_content text NOT NULL,
    metadata text NOT NULL,
    section_path text NOT NULL,
    tokens text NOT NULL,
    embedding vector(${dimensions}) NOT NULL,
    PRIMARY KEY (id, gen_from)
  )`);
  await db.query(`CREATE INDEX IF NOT EXISTS ${t}_file ON ${t} (file)`);
  await db.query(`CREATE INDEX IF NOT EXISTS ${t}_embedding ON ${t} USING hnsw (embedding vector_cosine_ops)`);
}

/** pgvector's text form of a vector. */
export function vectorLiteral(v: ArrayLike<number>): string {
  return `[${Array.from(v).join(',')}]`;
}

export function parseVector(text: string): number[] {
  return JSON.parse(text) as number[];
}

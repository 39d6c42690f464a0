/**
 * Writes `records.json` reply by reply as an ingest goes, so no reply's
 * sections, text or chunks stay in memory once written. The bytes are those
 * of `JSON.stringify(encodeRecords(records))` (see src/store/records.ts).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { encodeReplyRecord, RECORDS_JSON_HEAD, RECORDS_JSON_TAIL } from '../../src/store/records.ts';
import type { StoredChunk, StoredReply } from '../../src/store/types.ts';

/** Bytes gathered before a write: few system calls, little held. */
const FLUSH_BYTES = 1 << 20;

export class RecordsWriter {
  #parts: string[] = [RECORDS_JSON_HEAD];
  #pending = RECORDS_JSON_HEAD.length;
  #first = true;
  #closed = false;

  private constructor(private readonly fh: FileHandle) {}

  /** Creates (or truncates) `path`. */
  static async open(path: string): Promise<RecordsWriter> {
    return new RecordsWriter(await open(path, 'w'));
  }

  /** Appends one reply with its chunks (in the reply's chunkIds order). */
  async add(reply: StoredReply, chunks: readonly StoredChunk[]): Promise<void> {
    const json = JSON.stringify(encodeReplyRecord(reply, chunks));
    this.#parts.push(this.#first ? json : `,${json}`);
    this.#first = false;
    this.#pending += json.length + 1;
    if (this.#pending >= FLUSH_BYTES) await this.#flush();
  }

  /** Ends the file, flushes it to disk and closes it. */
  async finish(): Promise<void> {
    this.#parts.push(RECORDS_JSON_TAIL);
    await this.#flush();
    await this.fh.sync();
    await this.close();
  }

  /** Closes the file without ending it (after a failure; the unfinished version is removed). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.fh.close();
  }

  async #flush(): Promise<void> {
    const data = this.#parts.join('');
    this.#parts = [];
    this.#pending = 0;
    await this.fh.writeFile(data);
  }
}

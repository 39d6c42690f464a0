/**
 * The embedding stage of the file ingest: chunk texts go in as replies are
 * parsed, vectors come out into the dense index, while the next replies are
 * parsed. Three things each measured to matter (see README, ingest figures):
 *
 * - a text already embedded in this run (the same header and body in
 *   another reply, or a chunk kept from the live store) is not embedded
 *   again: its chunk gets a copy of the first vector, which is what the
 *   model would have returned for the same input;
 * - texts are embedded in windows of a few thousand, longest first within
 *   the window, so batches hold texts of nearly one length and the model
 *   pads little (sorting the whole run saved 24 % of model time over corpus
 *   order; a window of 4,096 keeps nearly all of that without holding the
 *   run's texts), and only one window waits while another is embedded, so
 *   memory does not grow with the corpus;
 * - the model (onnxruntime, asynchronous) runs on one slice while the JS
 *   thread adds the previous slice's vectors to the index and parses the
 *   next replies.
 */
import { textHash } from './prepare.ts';
import type { DenseBuilder } from './store/dense.ts';
import type { IngestEmbeddings } from './types.ts';

/** Texts per embedDocuments call: small enough for smooth progress, big enough for the model's own batching. */
export const EMBED_SLICE = 48;
/** Texts gathered and sorted by length before embedding (the first window is smaller, so the model starts early). */
const WINDOW = 4096;
const FIRST_WINDOW = 512;

interface Pending {
  text: string;
  key: string;
  /** Chunks that get this text's vector (more than one when replies share a chunk text). */
  ids: string[];
  seq: number;
}

export interface EmbedQueueOptions {
  /** Vectors the store already holds (dimension checked against the model's). */
  dimensions?: number;
  /** New chunks given a vector (embedded, or copied from an identical text), for progress. */
  onVectors?: (chunks: number) => void;
  /** The first window is handed to the model. */
  onStart?: () => void;
  /** Texts per window (default 4,096; the first 512): tests use a few to cross windows. */
  window?: number;
  firstWindow?: number;
}

export class EmbedQueue {
  /** textHash(text) → label of its vector in the index, or the pending entry waiting for it. */
  #known = new Map<string, number | Pending>();
  #window: Pending[] = [];
  #windows = 0;
  #seq = 0;
  #running: Promise<void> = Promise.resolve();
  #failure: unknown;
  #embedded = 0;
  #dimensions: number;
  /** Labels handed out so far (see #put). */
  #labels = 0;
  #tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly embeddings: IngestEmbeddings,
    private readonly dense: DenseBuilder,
    private readonly opts: EmbedQueueOptions = {},
  ) {
    this.#dimensions = opts.dimensions ?? 0;
  }

  /** Texts that went through the model. */
  get embedded(): number {
    return this.#embedded;
  }

  /** Width of the vectors (0 until the first is known). */
  get dimensions(): number {
    return this.#dimensions;
  }

  /** A chunk whose vector the live store already holds. */
  addStored(id: string, text: string, vector: number[]): void {
    this.#check();
    const label = this.#put([vector], [id], false);
    const key = textHash(text);
    if (!this.#known.has(key)) this.#known.set(key, label);
  }

  /** A chunk that needs a vector for `text`; waits while a full window is still being embedded. */
  async add(id: string, text: string): Promise<void> {
    this.#check();
    const key = textHash(text);
    const known = this.#known.get(key);
    if (typeof known === 'number') {
      // Read when its turn comes: the vector under that label may still be on its way into the index.
      this.#put(known, [id]);
      return;
    }
    if (known) {
      known.ids.push(id);
      return;
    }
    const entry: Pending = { text, key, ids: [id], seq: this.#seq++ };
    this.#known.set(key, entry);
    this.#window.push(entry);
    if (this.#window.length >= (this.#windows === 0 ? (this.opts.firstWindow ?? FIRST_WINDOW) : (this.opts.window ?? WINDOW))) await this.#startWindow();
  }

  /**
   * Queues vectors (or a copy of the one under a label) for the index and
   * returns the label of the first, reserved now: every addition goes through
   * one chain, so labels are handed out in the order of the calls, and a
   * text's label is known (for later duplicates) before its vector is added.
   */
  #put(vectors: number[][] | number, ids: string[], fresh = true): number {
    const first = this.#labels;
    this.#labels += ids.length;
    this.#tail = this.#tail.then(async () => {
      const label = await this.dense.add(typeof vectors === 'number' ? ids.map(() => this.dense.vector(vectors)) : vectors, ids);
      if (label !== first) throw new Error(`dense: vectors landed at label ${label}, expected ${first}`);
      if (fresh) this.opts.onVectors?.(ids.length);
    });
    this.#tail.catch((err: unknown) => {
      this.#failure ??= err;
    });
    return first;
  }

  /** Embeds what is left and waits for every vector to be in the index. */
  async finish(): Promise<void> {
    await this.#startWindow();
    await this.#running;
    await this.#tail;
    this.#check();
  }

  #check(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #startWindow(): Promise<void> {
    // One window embedded at a time: the next waits here, and with it the parsing of more replies.
    await this.#running;
    this.#check();
    const window = this.#window;
    this.#window = [];
    if (window.length === 0) return;
    if (this.#windows++ === 0) this.opts.onStart?.();
    this.#running = this.#embedWindow(window);
    // Seen by the next add() or finish(); without this it would be an unhandled rejection meanwhile.
    this.#running.catch((err: unknown) => {
      this.#failure ??= err;
    });
  }

  async #embedWindow(window: Pending[]): Promise<void> {
    window.sort((a, b) => b.text.length - a.text.length || a.seq - b.seq);
    const slices: Pending[][] = [];
    for (let i = 0; i < window.length; i += EMBED_SLICE) slices.push(window.slice(i, i + EMBED_SLICE));
    const embed = (slice: Pending[]) => {
      const p = this.embeddings.embedDocuments(slice.map((e) => e.text));
      p.catch(() => undefined);
      return p;
    };
    let next = embed(slices[0] as Pending[]);
    for (let k = 0; k < slices.length; k++) {
      const slice = slices[k] as Pending[];
      const vectors = await next;
      // The model starts on the next slice before this one's vectors go into the index.
      if (k + 1 < slices.length) next = embed(slices[k + 1] as Pending[]);
      await this.#store(slice, vectors);
    }
  }

  async #store(slice: Pending[], vectors: number[][]): Promise<void> {
    const width = vectors[0]?.length ?? 0;
    if (vectors.length !== slice.length) throw new Error(`the model returned ${vectors.length} vectors for ${slice.length} texts`);
    if (this.#dimensions && width !== this.#dimensions) throw new Error(`the model returned ${width}-dimensional vectors, the store holds ${this.#dimensions}`);
    this.#dimensions = width;
    // Synchronous up to #put: a duplicate arriving meanwhile either joins an entry's ids before
    // they are read here or finds the label set here, never neither.
    const all: number[][] = [];
    const ids: string[] = [];
    const firsts: number[] = [];
    slice.forEach((e, k) => {
      firsts.push(ids.length);
      for (const id of e.ids) {
        all.push(vectors[k] as number[]);
        ids.push(id);
      }
    });
    const label = this.#put(all, ids);
    slice.forEach((e, k) => this.#known.set(e.key, label + (firsts[k] as number)));
    this.#embedded += slice.length;
    await this.#tail;
  }
}

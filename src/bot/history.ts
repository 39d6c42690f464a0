/**
 * Per-chat conversation memory for follow-up questions. A chat's history
 * expires after `ttlMs` of silence, so an old topic does not silently steer
 * a new question hours later.
 *
 * Two implementations: in memory (one instance) and in Redis (several
 * instances answering one chat). Turns are only ever appended, never
 * written back whole: two answers of one chat finishing at once on two
 * instances both keep their turn.
 */
import { MAX_TURNS, type Conversation, type ConversationTurn } from '../answer/index.ts';
import type { Redis } from './redis.ts';

export interface ChatHistory {
  /** The chat's recent turns (none when there were none or they expired); marks the chat as used. The result is the caller's copy. */
  load(chatId: number | string): Promise<Conversation>;
  /** Appends one turn, keeping the last {@link MAX_TURNS}, and restarts the expiry. */
  append(chatId: number | string, turn: ConversationTurn): Promise<void>;
  reset(chatId: number | string): Promise<void>;
}

/**
 * Runs `ask` with the chat's history and stores the turns it added. The
 * engine appends to the conversation it is given; what is new is what was
 * not there before (by identity), so nothing else is written back.
 */
export async function withHistory<T>(history: ChatHistory, chatId: number | string, ask: (conversation: Conversation) => Promise<T>): Promise<T> {
  const conversation = await history.load(chatId);
  const before = new Set(conversation.turns);
  const result = await ask(conversation);
  for (const turn of conversation.turns) if (!before.has(turn)) await history.append(chatId, turn);
  return result;
}

export class MemoryChatHistory implements ChatHistory {
  private readonly chats = new Map<string, { turns: ConversationTurn[]; lastUsed: number }>();

  /** @param ttlMs silence after which a chat's history is dropped (config HISTORY_TTL_MINUTES). */
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private entry(chatId: number | string) {
    const key = String(chatId);
    const t = this.now();
    let entry = this.chats.get(key);
    if (!entry || t - entry.lastUsed > this.ttlMs) {
      entry = { turns: [], lastUsed: t };
      this.chats.set(key, entry);
      if (this.chats.size % 256 === 0) this.sweep(t);
    }
    entry.lastUsed = t;
    return entry;
  }

  async load(chatId: number | string): Promise<Conversation> {
    return { turns: [...this.entry(chatId).turns] };
  }

  async append(chatId: number | string, turn: ConversationTurn): Promise<void> {
    const turns = this.entry(chatId).turns;
    turns.push(turn);
    if (turns.length > MAX_TURNS) turns.splice(0, turns.length - MAX_TURNS);
  }

  async reset(chatId: number | string): Promise<void> {
    this.chats.delete(String(chatId));
  }

  /** Drops every expired chat; called now and then so memory stays bounded by active chats. */
  private sweep(t: number): void {
    for (const [key, entry] of this.chats) if (t - entry.lastUsed > this.ttlMs) this.chats.delete(key);
  }
}

/**
 * A list of JSON turns per chat, `<prefix>h:<chatId>`, with a PEXPIRE of the
 * TTL. An append is RPUSH + LTRIM + PEXPIRE in one MULTI: atomic on the
 * server, so concurrent appends from several instances interleave but are
 * never lost (a session read-modify-write would lose one).
 */
export class RedisChatHistory implements ChatHistory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(chatId: number | string): string {
    return `${this.prefix}h:${chatId}`;
  }

  async load(chatId: number | string): Promise<Conversation> {
    const key = this.key(chatId);
    const results = await this.redis.multi().lrange(key, 0, -1).pexpire(key, this.ttlMs).exec();
    const [err, items] = results?.[0] ?? [new Error('MULTI was discarded'), null];
    if (err) throw err;
    const turns: ConversationTurn[] = [];
    for (const item of (items as string[] | null) ?? []) {
      try {
        turns.push(JSON.parse(item) as ConversationTurn);
      } catch {
        // A turn that cannot be read (written by another version) is skipped, not fatal: it is only context.
      }
    }
    return { turns };
  }

  async append(chatId: number | string, turn: ConversationTurn): Promise<void> {
    const key = this.key(chatId);
    const results = await this.redis.multi().rpush(key, JSON.stringify(turn)).ltrim(key, -MAX_TURNS, -1).pexpire(key, this.ttlMs).exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('MULTI was discarded');
  }

  async reset(chatId: number | string): Promise<void> {
    await this.redis.del(this.key(chatId));
  }
}

/**
 * Per-chat conversation memory for follow-up questions. A chat's history
 * expires after `ttlMs` of silence, so an old topic does not silently steer
 * a new question hours later.
 */
import type { Conversation } from '../answer/types.ts';

export class ChatHistory {
  private readonly chats = new Map<string, { conversation: Conversation; lastUsed: number }>();

  /** @param ttlMs silence after which a chat's history is dropped (config HISTORY_TTL_MINUTES). */
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The chat's conversation (a fresh one when there was none or it expired); marks it as used. */
  get(chatId: number | string): Conversation {
    const key = String(chatId);
    const t = this.now();
    let entry = this.chats.get(key);
    if (!entry || t - entry.lastUsed > this.ttlMs) {
      entry = { conversation: { turns: [] }, lastUsed: t };
      this.chats.set(key, entry);
      if (this.chats.size % 256 === 0) this.sweep(t);
    }
    entry.lastUsed = t;
    return entry.conversation;
  }

  reset(chatId: number | string): void {
    this.chats.delete(String(chatId));
  }

  /** Drops every expired chat; called now and then so memory stays bounded by active chats. */
  private sweep(t: number): void {
    for (const [key, entry] of this.chats) if (t - entry.lastUsed > this.ttlMs) this.chats.delete(key);
  }
}

/** Which messages are meant for the bot: everything in a private chat; in groups only mentions and replies to it. */
import type { Context } from 'grammy';

export function isGroupChat(ctx: Context): boolean {
  return ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The question in a text message, or null when the message is not addressed
 * to the bot (group chatter, commands). In groups a message counts when it
 * mentions @bot (the mention is removed from the question) or replies to one
 * of the bot's messages.
 */
export function addressedQuestion(ctx: Context): string | null {
  const msg = ctx.message;
  const text = msg?.text;
  if (!msg || text === undefined || text.startsWith('/')) return null;
  if (ctx.chat?.type === 'private') return text.trim();
  if (!isGroupChat(ctx)) return null;
  const username = ctx.me.username;
  const mention = new RegExp(`@${escapeRegExp(username)}\\b`, 'gi');
  if (mention.test(text)) return text.replace(mention, ' ').replace(/\s+/g, ' ').trim();
  if (msg.reply_to_message?.from?.id === ctx.me.id) return text.trim();
  return null;
}

/** True when a command or text is aimed at this bot (used to decide whether to answer a stranger at all). */
export function isAddressed(ctx: Context): boolean {
  if (ctx.chat?.type === 'private') return true;
  const text = ctx.message?.text ?? '';
  if (text.startsWith('/')) {
    const target = /^\/[A-Za-z0-9_]+@([A-Za-z0-9_]+)/.exec(text)?.[1];
    return target === undefined || target.toLowerCase() === ctx.me.username.toLowerCase();
  }
  return addressedQuestion(ctx) !== null;
}

/** Sending HTML answers: split below the limit, reply-to in groups, buttons on the last part, typing indicator. */
import type { Context, InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { isGroupChat } from './addressing.ts';
import { splitHtml } from './split.ts';

export interface SendOptions {
  /** Message to reply to (the first part quotes it). */
  replyTo?: number;
  /** Inline keyboard, attached to the last part so it sits under the whole answer. */
  keyboard?: InlineKeyboard;
}

/** Sends `html` to the update's chat as one or more messages; resolves to the messages sent. */
export async function sendHtml(ctx: Context, html: string, options: SendOptions = {}): Promise<Message.TextMessage[]> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) throw new Error('sendHtml: the update has no chat');
  const parts = splitHtml(html);
  const sent: Message.TextMessage[] = [];
  for (let i = 0; i < parts.length; i++) {
    sent.push(
      await ctx.api.sendMessage(chatId, parts[i]!, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(i === 0 && options.replyTo !== undefined
          ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }
          : {}),
        ...(i === parts.length - 1 && options.keyboard ? { reply_markup: options.keyboard } : {}),
      }),
    );
  }
  return sent;
}

/** In groups, the message to reply to (so the answer is visibly tied to its question); none in private chats. */
export function groupReplyTarget(ctx: Context): number | undefined {
  return isGroupChat(ctx) ? ctx.message?.message_id : undefined;
}

/**
 * Runs `work` while showing "typing…" in the chat. Telegram clears the
 * indicator after about 5 seconds, so it is renewed every 4. A failed chat
 * action is ignored: it is cosmetic and must not cost the answer.
 */
export async function withTyping<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return work();
  const ping = () => ctx.api.sendChatAction(chatId, 'typing').catch(() => undefined);
  void ping();
  const timer = setInterval(() => void ping(), 4000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

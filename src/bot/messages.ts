/** Longest piece of a user's own text the bot repeats back (a /doc number, a /commitments filter). */
export const ECHO_CHARS = 30;

/**
 * At most ECHO_CHARS characters of `text`, with 「…」 when cut: what the bot
 * says back is a reminder of what was asked, never the whole argument (a
 * 4,000-character one would push the reply past Telegram's 4096 limit).
 */
export function excerpt(text: string, max = ECHO_CHARS): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/** Every user-facing string of the bot, in Chinese, in one place so wording stays consistent. */
export const MSG = {
  /** With the ids the admin needs (ALLOWED_USER_IDS, or ALLOWED_CHAT_IDS for a group), so the stranger can send them on. */
  refused: (userId?: number, chatId?: number, group = false) =>
    '抱歉，您没有使用本机器人的权限。如需开通，请把下面的编号发给管理员。' +
    (userId !== undefined ? `\n您的 Telegram 用户编号：${userId}` : '') +
    (group && chatId !== undefined ? `\n本群编号：${chatId}` : ''),
  apology: '抱歉，处理您的消息时出错了，请稍后再试。',
  tooLong: (len: number, max: number) => `问题太长了（${len} 字），请控制在 ${max} 字以内。`,
  argTooLong: (command: string, len: number, max: number) => `/${command} 后面的内容太长了（${len} 字），请控制在 ${max} 字以内。`,
  rateLimited: (seconds: number) => `您的提问有点频繁，请 ${seconds} 秒后再试，谢谢理解。`,
  emptyAsk: '请在 /ask 后面写上您的问题，例如：/ask 省科技厅下一步有什么打算？',
  reset: '已清除本对话的上下文，可以开始新的问题了。',
  docUsage: '用法：/doc 发文字号、建议/提案编号或答复对象，例如：/doc 〔2025〕6号、/doc 第0147号代表建议、/doc 张立华',
  docNotFound: (q: string) => `没有找到发文字号或建议/提案编号为「${excerpt(q)}」的答复。`,
  docCandidates: (q: string, n: number, shown: number) =>
    `「${excerpt(q)}」对应 ${n} 份答复，请选择：` + (n > shown ? `（只列出前 ${shown} 份；输入更完整的发文字号、编号或姓名可缩小范围）` : ''),
  docButtonsHint: '点击下方按钮查看各部分全文及出处；「下一步工作」列出本答复的承诺。',
  docCommitments: (n: number) => `下一步工作（${n} 条）`,
  docGone: '这份答复已不在当前资料库中或已更新（可能已重新导入），请重新发送 /doc。',
  docNoCommitments: '这份答复没有提取到下一步工作承诺。',
  commitmentsNone: (f?: string) => (f ? `没有找到与「${excerpt(f)}」相关的下一步工作承诺。` : '资料库中还没有提取到下一步工作承诺。'),
  listExpired: '这个列表已过期，请重新发送 /commitments。',
  sourceGone: '这段原文已不在当前资料库中（可能已重新导入），请重新提问。',
  reloadNotAdmin: '只有管理员可以使用 /reload。',
  reloadUnsupported: '当前运行方式不支持重新加载资料库。',
  reloadBusy: '资料库正在重新加载，请稍候。',
  reloadStart: '正在重新导入资料并加载，请稍候……',
  reloadDone: (replies: number, chunks: number, changes?: { added: number; changed: number; removed: number; skipped: number }) =>
    `重新加载完成：共 ${replies} 份答复，${chunks} 个段落。` +
    (changes
      ? changes.added + changes.changed + changes.removed === 0
        ? `资料没有变化${changes.skipped ? `；${changes.skipped} 个文件无法导入（详情见日志）` : ''}。`
        : `新增 ${changes.added} 份，更新 ${changes.changed} 份，删除 ${changes.removed} 份${changes.skipped ? `；${changes.skipped} 个文件无法导入（详情见日志）` : ''}。`
      : ''),
  reloadFailed: (why?: string) => `重新加载失败，仍在使用原有资料库。${why ? `原因：${why}` : '详情见日志。'}`,
  unknownCommand: '没有这个命令。发送 /help 查看用法；直接输入问题即可提问。',
  prevPage: '« 上一页',
  nextPage: '下一页 »',
} as const;

/** The command menu registered with setMyCommands (Telegram shows it next to the input box). */
export const COMMANDS = [
  { command: 'help', description: '使用说明与示例问题' },
  { command: 'ask', description: '提问（群聊中使用）' },
  { command: 'doc', description: '按发文字号或建议/提案编号查看答复' },
  { command: 'commitments', description: '下一步工作承诺（可按部门或关键词筛选）' },
  { command: 'reset', description: '清除对话上下文' },
  { command: 'about', description: '资料库信息' },
] as const;

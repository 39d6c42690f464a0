/**
 * A tiny structured logger: one JSON object per line on stderr, so logs are
 * greppable and machine-readable without a dependency. Secrets are redacted
 * from every string that passes through it (messages, fields, error messages
 * and stacks), because grammY's network errors embed the request URL, and
 * that URL contains the bot token.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ component: 'bot' }`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Lowest level written; default `info`. `silent` writes nothing. */
  level?: LogLevel;
  /** Strings that must never be written (the bot token, API keys). Empty strings are ignored. */
  secrets?: Array<string | undefined>;
  /** Where lines go; default `process.stderr`. Tests pass a collector. */
  write?: (line: string) => void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Anything shaped like a Telegram bot token (`123456:AA…`), even one we were
 * not told about (a token from another setting, one pasted into a question).
 */
const TOKEN_SHAPE = /\b\d{5,}:[A-Za-z0-9_-]{30,}\b/g;

/** Replaces every occurrence of each secret, and anything shaped like a bot token, with `[redacted]`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out.replace(TOKEN_SHAPE, '[redacted]');
}

/** Turns an Error (and its cause chain) into plain fields; other values pass through. */
function plain(value: unknown, depth = 0): unknown {
  if (depth > 4) return '[…]';
  if (value instanceof Error) {
    const out: LogFields = { name: value.name, message: value.message };
    if (value.stack) out.stack = value.stack;
    const extra = value as Error & { error?: unknown; error_code?: unknown; method?: unknown };
    if (extra.error_code !== undefined) out.code = extra.error_code;
    if (typeof extra.method === 'string') out.method = extra.method;
    // grammY's HttpError keeps the underlying fetch error (with the URL) in `.error`.
    if (extra.error !== undefined) out.error = plain(extra.error, depth + 1);
    if (value.cause !== undefined) out.cause = plain(value.cause, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: LogFields = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v, depth + 1);
    return out;
  }
  return value;
}

/**
 * Creates a logger. Defaults: level `info`, output to stderr (stdout stays
 * free for command output such as `--json`).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const write = options.write ?? ((line: string) => void process.stderr.write(line));

  function make(base: LogFields): Logger {
    const emit = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
      if (ORDER[level] < min) return;
      let line: string;
      try {
        line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...(plain(fields ?? {}) as LogFields) });
      } catch {
        line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, note: 'fields not serializable' });
      }
      // Redact the serialized line, so no field, however nested, can leak a secret.
      write(redact(line, secrets) + '\n');
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  }
  return make({});
}

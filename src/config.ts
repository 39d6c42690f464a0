/**
 * The one place settings are read. Every setting comes from the environment
 * (and `.env`, loaded by the CLI entry point, never on import) and is
 * validated here, so a bad value fails fast with the setting's name instead of
 * surfacing later as a confusing error. `.env.example` documents each one.
 */
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const idList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^-?\d+$/, 'must be numeric Telegram ids separated by commas')));
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const schema = z.object({
  CORPUS_DIR: z.string().default('corpus'),
  STORE_DIR: z.string().default('store'),
  /** postgres://… : the store lives in PostgreSQL (with pgvector), shared by several instances; unset: the files in STORE_DIR. */
  STORE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres://user:password@host:port/database URL')
      .optional(),
  ),
  /** How often a reader of a Postgres store checks for a newly published generation. */
  STORE_POLL_MS: intIn(100, 600000).default(2000),
  CHUNK_SIZE: intIn(100, 4000).default(500),
  CHUNK_OVERLAP: intIn(0, 1000).default(80),

  EMBEDDING_MODEL: z.string().default('Xenova/bge-small-zh-v1.5'),
  EMBEDDING_CACHE_DIR: z.string().default('.cache/models'),
  EMBEDDING_REMOTE_HOST: optionalString,
  EMBEDDING_OFFLINE: bool.default(false),
  EMBEDDING_DTYPE: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16']).default('q8'),
  EMBEDDING_POOLING: z.enum(['auto', 'cls', 'mean']).default('auto'),
  EMBEDDING_BATCH_SIZE: intIn(1, 64).default(12),
  EMBEDDING_THREADS: intIn(1, 64).default(2),

  HNSW_EF: intIn(10, 2000).default(64),
  RETRIEVAL_FUSION: z.enum(['rrf', 'weighted']).default('rrf'),
  RETRIEVAL_TOP_K: intIn(1, 50).default(6),
  RETRIEVAL_MAX_PER_REPLY: intIn(1, 20).default(2),
  ABSTAIN_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),

  LLM_BASE_URL: optionalString,
  LLM_MODEL: optionalString,
  LLM_API_KEY: optionalString,
  LLM_TIMEOUT_MS: intIn(1000, 600000).default(30000),

  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: optionalString,
  WEBHOOK_URL: optionalString,
  WEBHOOK_PORT: intIn(1, 65535).default(8080),
  WEBHOOK_SECRET: optionalString,
  ALLOWED_USER_IDS: idList.default([]),
  ALLOWED_CHAT_IDS: idList.default([]),
  ADMIN_USER_IDS: idList.default([]),
  BOT_OPEN_ACCESS: bool.default(false),
  RATE_LIMIT_PER_MINUTE: intIn(1, 1000).default(10),
  MAX_QUESTION_LENGTH: intIn(10, 4000).default(500),
  HISTORY_TTL_MINUTES: intIn(1, 10080).default(30),
  INGEST_MEMORY_MB: intIn(128, 65536).default(2048),
  /** Bot state (history, rate limits, buttons, seen updates, locks) in Redis, for several instances; unset: in memory. */
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0')
      .optional(),
  ),

  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LOG_QUESTIONS: bool.default(false),
});

export type Config = z.infer<typeof schema>;

/** Raised when a setting is missing or malformed; the message names the setting and what is wrong. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates settings from `env` (default `process.env`). Unknown variables
 * are ignored; empty strings count as unset so a blank line in `.env` means
 * "use the default".
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '?');
      // Never echo secrets back, even when they are malformed.
      // Database URLs carry passwords.
      const shown = /TOKEN|KEY|SECRET/.test(key) || /^(STORE|REDIS)_URL$/.test(key) ? '(hidden)' : JSON.stringify(cleaned[key]);
      return `${key}=${shown}: ${i.message}`;
    });
    throw new ConfigError(`dafu config: invalid setting${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}. See .env.example.`);
  }
  return parsed.data;
}

/** The password inside STORE_URL, if any: a secret to redact from logs like the bot token. */
export function storeUrlPassword(config: Pick<Config, 'STORE_URL'>): string | undefined {
  if (!config.STORE_URL) return undefined;
  try {
    const password = decodeURIComponent(new URL(config.STORE_URL).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}

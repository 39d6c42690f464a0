/**
 * The answer engine's public interface: what a front end (the bot, the
 * terminal, the benchmarks) may use. Everything else under `src/answer/` is
 * the engine's own business and may change shape between releases; a test
 * (`test/architecture.test.ts`) keeps `src/bot/` on this module.
 */
export { createEngine, type EngineDeps } from './engine.ts';
export { openEngine, type OpenedEngine } from './open.ts';
export { MAX_TURNS } from './conversation.ts';
// Rendering shared by every front end, so a source, a date or a contact reads the same everywhere.
export { answerJson, chineseDate, citationJson, contactText, formatAnswer, formatSourceLine, type CitationJson } from './format.ts';
export type {
  Answer,
  AnswerDiagnostics,
  AnswerKind,
  AskOptions,
  Citation,
  CommitmentEntry,
  Conversation,
  ConversationTurn,
  Draft,
  DraftLine,
  Engine,
  ListedEntry,
  RetrievedPassage,
  StoreStats,
} from './types.ts';

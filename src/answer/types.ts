/**
 * Contract of the answer engine, used by the terminal (`ask`, `chat`, `eval`)
 * and by the Telegram bot.
 */
import type { Commitment } from '../types.ts';
import type { StoredChunk, StoredReply } from '../store/types.ts';
import type { AbstainReasonKind } from './abstain.ts';

/** A numbered source of an answer; `text` is the full cited chunk text (normalized body). */
export interface Citation {
  n: number;
  chunkId: string;
  file: string;
  title: string | null;
  proposalTitle: string | null;
  docNumber: string | null;
  issuer: string | null;
  date: string | null;
  section: string[];
  text: string;
}

/** `chat`: a greeting, thanks, who-are-you or another language, answered with what dafu knows and how to ask. */
export type AnswerKind = 'lookup' | 'commitments' | 'extractive' | 'llm' | 'abstain' | 'chat';

export interface Answer {
  question: string;
  /** The question after follow-up resolution (equals `question` when it stood alone). */
  resolvedQuestion: string;
  found: boolean;
  kind: AnswerKind;
  /**
   * Plain text (no markup) with citation markers [n]; every [n] refers to an
   * entry of `citations`. When `found` is false this says the replies do not cover it.
   */
  answer: string;
  /**
   * The answer as data, when a composer built it: each line our own words
   * (a lead, a heading, a record value, a note) or a verbatim quote of one
   * source, with its sources as numbers. `answer` is its rendering; the
   * citation check reads the draft, never markers parsed back out of text.
   */
  draft?: Draft;
  citations: Citation[];
  /** When abstaining: the closest passages, shown as "possibly related", never as an answer. */
  related: Citation[];
  timings: Record<string, number>;
  /** How the answer was found (retrieved passages with per-retriever ranks, relevance, threshold); for eval and debugging. */
  diagnostics?: AnswerDiagnostics;
}

/**
 * One line of an answer: `lead` (our own words, e.g. a bullet or 「省科技厅：」),
 * then `text` — a verbatim substring of its one source when `quote`, else
 * our own words — then its source markers, then `tail` (our own words).
 */
export interface DraftLine {
  lead: string;
  text: string;
  quote: boolean;
  sources: number[];
  tail: string;
}

export interface Draft {
  lines: DraftLine[];
}

/** How a passage scored in retrieval: shared by the engine's passages and the diagnostics that show them. */
export interface PassageScores {
  /** Fused score, higher is better. */
  score: number;
  /** Per-retriever 1-based ranks and raw scores (dense: 1 − cosine distance; lexical: BM25; lookup: term coverage). */
  ranks: Record<string, number>;
  scores: Record<string, number>;
  /** Share (0..1) of the question's topic terms the passage covers. */
  relevance: number;
}

/** A retrieved passage as diagnostics show it. */
export interface RetrievedPassage extends PassageScores {
  chunkId: string;
  file: string;
  section: string[];
  text: string;
}

export interface AnswerDiagnostics {
  /**
   * What decided the answer: `record` (a reply's stored fields), `commitments`,
   * `threshold` (passages, kept or abstained by ABSTAIN_THRESHOLD), `no-match`
   * (a named number or explicit filter matched no reply), `followup` (an expanded source).
   */
  route: 'record' | 'commitments' | 'threshold' | 'no-match' | 'followup';
  /** Why dafu did not answer, when it did not (src/answer/abstain.ts). */
  abstain?: AbstainReasonKind;
  /** What the question asks for, as understood (understand.ts askOf): record, commitments, activities, comparison, value, open. */
  asks?: string;
  retrieved: RetrievedPassage[];
  /** Best passage relevance, compared with `threshold` to decide abstention. */
  relevance: number;
  threshold: number;
  /** Filters applied (explicit, plus those parsed from the question). */
  filters: NonNullable<AskOptions['filters']>;
  /** What exact lookup found in the question; `targets` are the files of the replies it names. */
  lookup: { docNumbers: string[]; proposalNumbers: string[]; names: string[]; departments: string[]; targets: string[] };
  /** Why LLM mode fell back to the extractive answer, when it did. */
  llmFallback?: string;
}

/** A commitment with where it comes from, for `/commitments` and commitment questions. */
export interface CommitmentEntry extends Commitment {
  reply: Pick<StoredReply, 'id' | 'file' | 'title' | 'proposalTitle' | 'docNumber' | 'issuer' | 'date'>;
  /** The chunk the commitment text is a verbatim substring of (for citing it). */
  chunkId: string | null;
}

/** A commitment as a listing shows it: under the department heading it belongs to. */
export interface ListedEntry extends CommitmentEntry {
  /**
   * Its heading: the canonical department the filter asked about, else its
   * single canonical department, else its actor as written (a joint actor
   * 省科技厅、省财政厅 listed for 省财政厅 goes under 省财政厅).
   */
  group: string;
}

export interface StoreStats {
  replies: number;
  chunks: number;
  commitments: number;
  /** ISO dates, or a bare 'YYYY' for a reply known only by its year. */
  dateRange: { from: string | null; to: string | null };
  departments: string[];
  model: string;
  lastIngest: string;
}

/** Per-conversation memory (a chat, a terminal session); the engine reads and updates it. */
export interface ConversationTurn {
  question: string;
  resolvedQuestion: string;
  /** The answer text, so 「第二条」 can mean the second item of a listed answer; optional for turns stored before it existed. */
  answer?: string;
  citations: Citation[];
  at: number;
}

export interface Conversation {
  turns: ConversationTurn[];
}

export interface AskOptions {
  conversation?: Conversation;
  /** Filters given explicitly (CLI options); filters stated in the question are parsed too. */
  filters?: { department?: string; year?: string; kind?: string; session?: string };
  k?: number;
}

export interface Engine {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** A reply by 发文字号 or proposal number (loose match: 〔2024〕74号, 0147, 2025W233). */
  findReply(number: string): StoredReply | null;
  /** Every reply a /doc query names (number, name, proposing body, fragment of a 发文字号); several when it is ambiguous. */
  findReplies(query: string): StoredReply[];
  /** The reply with this id, if it is in the store. */
  reply(id: string): StoredReply | undefined;
  /**
   * Commitments, optionally filtered: departments, four-digit years (the
   * reply's date, else its 发文字号's year) and keywords, each applied (all
   * must hold), e.g. 「省科技厅 人工智能」 or 「2024」. Listed by group: each
   * group's entries adjacent and, within a group, each reply's, in store order otherwise.
   * With `replyId`, only that reply's, grouped in the order the reply names its departments.
   */
  commitments(filter?: string, replyId?: string): ListedEntry[];
  chunk(id: string): StoredChunk | undefined;
  stats(): StoreStats;
  /**
   * Resolves when the work done in the background after the store opened
   * (the busiest departments' activity lines) is finished. Questions need not
   * wait for it; benchmarks do, to measure the steady state.
   */
  ready(): Promise<void>;
}

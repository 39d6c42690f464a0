/**
 * Contract of the answer engine, used by the terminal (`ask`, `chat`, `eval`)
 * and by the Telegram bot.
 */
import type { Commitment } from '../types.ts';
import type { StoredChunk, StoredReply } from '../store/types.ts';

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

export type AnswerKind = 'lookup' | 'commitments' | 'extractive' | 'llm' | 'abstain';

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
  citations: Citation[];
  /** When abstaining: the closest passages, shown as "possibly related", never as an answer. */
  related: Citation[];
  timings: Record<string, number>;
}

/** A commitment with where it comes from, for `/commitments` and commitment questions. */
export interface CommitmentEntry extends Commitment {
  reply: Pick<StoredReply, 'id' | 'file' | 'title' | 'proposalTitle' | 'docNumber' | 'issuer' | 'date'>;
  /** The chunk the commitment text is a verbatim substring of (for citing it). */
  chunkId: string | null;
}

export interface StoreStats {
  replies: number;
  chunks: number;
  commitments: number;
  dateRange: { from: string | null; to: string | null };
  departments: string[];
  model: string;
  lastIngest: string;
}

/** Per-conversation memory (a chat, a terminal session); the engine reads and updates it. */
export interface ConversationTurn {
  question: string;
  resolvedQuestion: string;
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
  /** Commitments, optionally filtered by department or keyword. */
  commitments(filter?: string): CommitmentEntry[];
  chunk(id: string): StoredChunk | undefined;
  stats(): StoreStats;
}

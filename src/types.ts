/**
 * The data contracts shared by `ingest/` (which produces them) and `src/`
 * (which answers from them). Field names are part of the public JSON output
 * of `npm run parse -- --json` and of the store, so renaming one is a
 * breaking change (bump the store format version).
 */

/** Metadata of one reply (答复). Every field is `null` when the document does not state it; nothing is invented. */
export interface ReplyFields {
  /** Document title (标题), e.g. 关于对省十四届人大四次会议第0147号代表建议的答复. */
  title: string | null;
  /** 发文字号, e.g. 吉工信议案〔2025〕6号. */
  docNumber: string | null;
  /** 索引号 from the government site's metadata table. */
  indexNumber: string | null;
  /** 发文机关, else the signing body at the end of the reply. */
  issuer: string | null;
  /** 成文日期, else the signature date; ISO YYYY-MM-DD. */
  date: string | null;
  /** 发布日期, ISO YYYY-MM-DD. */
  publishedDate: string | null;
  /** 分类 from the metadata table. */
  category: string | null;
  /** Addressee: 徐凤娟代表 / 孙昭艳委员 / 省工商联. */
  recipient: string | null;
  /** The 《…》 title of the suggestion or proposal being answered (without 《》). */
  proposalTitle: string | null;
  /** e.g. 省十四届人大四次会议, 省政协十三届三次会议. */
  session: string | null;
  /** e.g. 0147, 2024W298, 2025W233, 41, D27. */
  proposalNumber: string | null;
  /** 代表建议, 委员提案, 党派团体提案, … */
  kind: string | null;
  /** Contact name and phone if given, e.g. 王小飞 0431-87077670. */
  contact: string | null;
  /** A category number printed beside the proposal number: 第0867号(资源环境类086号) → 资源环境类086号. */
  categoryNumber: string | null;
  /** The handling result the reply states (办理结果 / 答复类别): the class code as printed (A, B, C, A1, 甲), else the phrase. */
  result: string | null;
  /** Bodies the reply names as handling the item with the replying body (经商 / 会同 / 协办 / 会办 / 会签), in the order written. */
  coHandlers: string[] | null;
  /** 签发人. */
  signer: string | null;
  /** Fields whose value is visibly damaged in the capture (left null), with the damaged text: {"docNumber": "舞水〔202258"}. */
  damaged: Record<string, string> | null;
}

/** One numbered section of a reply; `path` runs from the root heading to this one. */
export interface Section {
  path: string[];
  heading: string;
  text: string;
}

import type { PassageRole } from './domain/roles.ts';

/** A forward-looking promise (下一步 / 下步工作 / 下步打算 …) and the department that makes it. */
export interface Commitment {
  actor: string | null;
  /** Canonical departments of the actor (else of the issuer), as questions name them (src/domain/departments.ts). */
  departments: string[];
  section: string[];
  text: string;
}

/** A parsed reply: exactly the JSON that `npm run parse -- --json` prints per file. */
export interface ParsedReply extends ReplyFields {
  /** Path of the source file relative to the corpus root (or as given on the command line). */
  file: string;
  sections: Section[];
  commitments: Commitment[];
}

/**
 * Metadata of one chunk (a LangChain `Document`). `pageContent` of the
 * Document is the text that gets embedded (context header + body); `text`
 * here is the body only, which is what users see and what quotes must be
 * verbatim substrings of.
 */
export interface ChunkMetadata extends ReplyFields {
  /** Stable id: the same file content always yields the same ids. */
  id: string;
  file: string;
  /** Section path of the lowest-level section this chunk comes from. */
  section: string[];
  /** Position of the chunk within its reply, from 0. */
  order: number;
  /** When a long section is split: this part's index (from 0) and the number of parts. */
  part: number;
  parts: number;
  /** The normalized section body (or part of it) shown to users. */
  text: string;
  /** Its part of the reply: opening, body, next steps or closing (src/domain/roles.ts). */
  role: PassageRole;
}

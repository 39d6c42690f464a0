/**
 * A synthetic corpus for the ingest benchmark: N replies derived from the
 * sample replies, each with its own numbers, dates, 发文字号, proposal
 * numbers, addressee and departments, so that files hash differently (the
 * ingest skips identical files) and their chunks are not copies of one
 * another (identical chunks would flatter the BM25 index and the HNSW graph).
 * Deterministic: the same templates, count and seed give the same files.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { mulberry32 } from '../util/prng.ts';

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段'];
const GIVEN = [...'伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红春建文辉力永宁国庆晓海波志鹏飞云凤立俊昭奇嘉欣宇'];

/**
 * Department names as replies write them. Each file maps the ones it mentions
 * to others from this list (one-to-one within the file), longest names first
 * so 工业和信息化厅 is replaced whole rather than as 信息化厅.
 */
const DEPARTMENTS = [
  '工业和信息化厅', '科学技术厅', '人力资源和社会保障厅', '住房和城乡建设厅', '农业农村厅', '交通运输厅', '生态环境厅', '自然资源厅',
  '文化和旅游厅', '市场监督管理厅', '退役军人事务厅', '应急管理厅', '商务厅', '教育厅', '财政厅', '民政厅', '水利厅', '司法厅',
  '审计厅', '科技厅', '工信厅', '人社厅', '发改委', '国资委', '政数局', '卫健委', '统计局', '医保局',
];

/** A template: one sample reply, with the addressee's name found in it (null for organisations such as 省工商联). */
export interface Template {
  file: string;
  text: string;
  name: string | null;
}

/** Reads the `.txt` files of `dir` (the sample corpus) as templates. */
export async function loadTemplates(dir: string): Promise<Template[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort();
  if (files.length === 0) throw new Error(`no .txt sample replies in ${dir} to build a synthetic corpus from`);
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(dir, file), 'utf8');
      // The addressee line: 徐凤娟代表： / 尊敬的孙昭艳委员：
      const m = /([\u4e00-\u9fa5]{2,3})(?:代表|委员)\s*[：:]/u.exec(text);
      return { file, text, name: m?.[1] ?? null };
    }),
  );
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pad2 = (n: number) => String(n).padStart(2, '0');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One variant of `template`, fully determined by `seed`: dates stay valid
 * dates, years stay plausible years, every other digit run gets new digits
 * of the same length (a leading 0 kept, as in phone numbers), the addressee
 * gets a new name everywhere it appears, and departments are swapped.
 */
export function varyReply(template: Template, seed: number): string {
  const rand = mulberry32(seed);
  let text = template.text;

  if (template.name) {
    const name = pick(rand, SURNAMES) + pick(rand, GIVEN) + (rand() < 0.7 ? pick(rand, GIVEN) : '');
    text = text.split(template.name).join(name);
  }

  const present = DEPARTMENTS.filter((d) => text.includes(d));
  if (present.length > 0) {
    const pool = [...DEPARTMENTS];
    const mapping = new Map<string, string>();
    for (const d of present) {
      const target = pool.splice(Math.floor(rand() * pool.length), 1)[0]!;
      mapping.set(d, target);
    }
    const re = new RegExp(present.map(escapeRegExp).join('|'), 'gu');
    text = text.replace(re, (d) => mapping.get(d) ?? d);
  }

  // One pass, so a replaced number is never replaced again; the same original
  // always gets the same replacement within a file, so the 发文字号 and the
  // proposal number in the header table still match those in the body.
  const seen = new Map<string, string>();
  // Dates keep their spacing (「2025 年 5月 23 日」 occurs) and stay valid.
  const date = /(\d{4})(\s*)年(\s*)(\d{1,2})(\s*)月(\s*)(\d{1,2})(\s*)日/u.source;
  text = text.replace(new RegExp(`${date}|〔(\\d{4})〕|\\d+`, 'gu'), (whole: string, ...g: Array<string | undefined>) => {
    const known = seen.get(whole);
    if (known !== undefined) return known;
    const [, s1, s2, month, s3, s4, day, s5, bracketYear] = g;
    let out: string;
    if (month !== undefined && day !== undefined) {
      const m = int(rand, 1, 12);
      const d = int(rand, 1, 28);
      out = `${int(rand, 2016, 2025)}${s1}年${s2}${month.length === 2 ? pad2(m) : m}${s3}月${s4}${day.length === 2 ? pad2(d) : d}${s5}日`;
    } else if (bracketYear !== undefined) {
      out = `〔${int(rand, 2016, 2025)}〕`;
    } else if (/^(19|20)\d\d$/.test(whole)) {
      out = String(int(rand, 2010, 2025));
    } else {
      out = '';
      for (let i = 0; i < whole.length; i++) {
        const keepZero = i === 0 && whole[0] === '0';
        out += keepZero ? '0' : String(i === 0 && whole.length > 1 ? int(rand, 1, 9) : int(rand, 0, 9));
      }
    }
    seen.set(whole, out);
    return out;
  });
  return text;
}

export interface SyntheticCorpus {
  dir: string;
  files: number;
  bytes: number;
}

/**
 * Writes `count` synthetic replies into `dir` (created if needed), cycling
 * through the templates in `sampleDir`; file `i` uses seed `seed + i`.
 * Default seed 1, so runs are comparable.
 */
export async function writeSyntheticCorpus(sampleDir: string, dir: string, count: number, seed = 1): Promise<SyntheticCorpus> {
  const templates = await loadTemplates(sampleDir);
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  const width = String(Math.max(count - 1, 0)).length;
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length]!;
    const text = varyReply(template, seed + i);
    const name = `syn_${String(i).padStart(width, '0')}_${template.file}`;
    await writeFile(join(dir, name), text);
    bytes += Buffer.byteLength(text);
  }
  return { dir, files: count, bytes };
}

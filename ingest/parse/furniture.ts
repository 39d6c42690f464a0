/**
 * Page furniture: the parts of a saved or pasted government web page that are
 * not the reply — breadcrumbs, accessibility and language switches, font-size
 * controls, print/close/share bars and QR codes, hit counters, log-in links,
 * 上一篇/下一篇 links (whose titles and numbers belong to other replies) and
 * site footers. The HTML loader drops the containers it recognizes; this
 * stage works on text lines, so it covers .txt captures and whatever a page's
 * markup let through.
 *
 * Only short lines are tested as a whole (furniture is short; a paragraph of
 * a reply is not), and a furniture phrase glued in front of real text
 * (「用微信扫描二维码分享至好友和朋友圈×尊敬袁大金代表」) is cut off, keeping the text.
 */

import { holdsMetadataValue } from './metadata.ts';

/** Longest line (in characters) that is tested as a furniture line. */
const MAX_FURNITURE_LINE = 90;

/** Words of menus and controls: a short line made only of these (and separators) is furniture. */
const MENU_WORDS = [
  '无障碍', '无障碍浏览', '关怀版', '长者模式', '适老化', '长辈版', '老年版', '简体', '繁体', '繁體', '简体中文', '繁体中文', '简', '繁',
  'English', 'EN', '登录', '注册', '个人中心', '退出', '首页', '网站首页', '返回首页', '返回顶部', '返回', '顶部', '打印', '打印本页',
  '打印此页', '关闭', '关闭窗口', '关闭本页', '收藏', '加入收藏', '分享', '分享到', '扫一扫', '二维码', '手机版', '移动版', '微信',
  '微博', '搜索', '高级搜索', '字号', '字体', '大', '中', '小', '默认', '超大', '放大', '缩小', '正常', '视力保护色', '纠错', '我要纠错',
  '简体版', '繁体版', '繁體版', '信息无障碍', '读屏', '语音', '阅读', '朗读', '网站地图', '联系我们', '政务微博', '政务微信', '智能问答', '下载', '附件下载', 'x', '×', '|', '丨',
];
const MENU_WORD_SET = new Set(MENU_WORDS.map((w) => w.toLowerCase()));
const SEPARATORS = /[\s|丨/\\·•:：【】\[\]()（）<>《》>»«→、，,。.!！]+/;

/** Lines that are furniture whatever else they hold (all tested on short lines only). */
const FURNITURE_LINE: RegExp[] = [
  // breadcrumbs
  /^(?:您|你)?(?:当前|现在|目前)?(?:的)?(?:所在|所处)?(?:的)?位置\s*[:：]/,
  /^当前所在\s*[:：]/,
  /首页\s*(?:>|＞|»|›|→|>>|\/)/,
  /^[>»›＞]+\s*[\u4e00-\u9fff]{0,6}$/,
  /(?:>>|»|›|＞)\s*[\u4e00-\u9fff]+\s*(?:>>|»|›|＞)/,
  /^[\u4e00-\u9fff（）()]{2,30}\s*>{1,2}\s*[\u4e00-\u9fff（）()]{2,30}(?:\s*>{1,2}\s*[\u4e00-\u9fff（）()]{2,30})*$/,
  // font size and display controls
  /^[【[]?\s*字\s*[号体]\s*[:：]/,
  /字\s*[号体]\s*[:：]?\s*[【[]?\s*大\s*[】\]]?\s*[【[]?\s*中\s*[】\]]?\s*[【[]?\s*小/,
  /^[【[]?\s*(?:大|中|小)\s*[】\]]?\s*[【[]?\s*(?:大|中|小)\s*[】\]]?\s*[【[]?\s*(?:大|中|小)\s*[】\]]?$/,
  // counters
  /^[【[]?\s*(?:阅读|浏览|访问|点击)(?:量|次数|数|人次)?\s*[:：]?\s*\d*\s*次?\s*[】\]]?(?:\s|$)/,
  /^(?:阅读量|浏览次数|浏览量|访问量|访问次数|点击量|点击数|点击率|阅读次数)\s*[:：]?\s*\d*/,
  /^浏览\s*[:：]\s*\d+\s*次/,
  // print / close / share bars
  /打印本页|关闭窗口|打印此页|关闭本页/,
  /^[【[]?\s*分享到/,
  /^[【[]?\s*(?:微信|手机)?扫一扫|二维码\s*[】\]]?$|用微信扫描|分享至好友|分享到朋友圈|在手机打开/,
  /^[【[]?\s*(?:打印|关闭|收藏|返回|分享|纠错)\s*[】\]]?$/,
  // previous / next links: their titles are other replies'
  /^[【[]?\s*(?:上一篇|下一篇|上一条|下一条|上一页|下一页|上篇|下篇)\s*[】\]]?\s*[:：]?/,
  // related lists
  /^(?:相关文章|相关阅读|相关链接|相关新闻|相关文件|相关信息|推荐阅读|热点推荐|猜你喜欢|更多)\s*[:：>]?$/,
  // site footers and banners
  /版权所有|ICP\s*备|ICP证|网站标识码|公网安备|公安备案|备案号|网站地图|技术支持\s*[:：]|Copyright|©/i,
  /^(?:主办单位|主办|承办|网站承办|运行维护|维护单位)\s*[:：].*(?:网|政府|信息中心|办公室|承办|维护|ICP)/i,
  /^(?:联系我们|网站声明|隐私声明|使用帮助|网站纠错|政府网站找错)/,
  /^欢迎(?:您|你)?(?:访问|来到|光临)/,
  // links and paths a capture kept as text (「3234综合信息/col/col1676887/index.html…」)
  /(?:\/[\w-]+){2,}|\.s?html?\b|https?:\/\//i,
  /网站支持IPv6|IPv6/i,
  /^在线(?:检阅|访谈|服务)/,
  /建议使用.*浏览器|分辨率/,
  // teasers of related articles: a short line cut off with an ellipsis
  /^[^。；]{4,60}(?:\.{3,}|…{1,2})$/,
  // disclosure notes a ministry prints under the title
  /^(?:同意|不予|依申请)?(?:对外)?公开$/,
];

/** A furniture phrase at the start of a line followed by real text: cut at the phrase's end (or a × / | after it). */
const FURNITURE_PREFIX = /^(?:[•·▪■◆●]\s*|用微信扫描二维码分享至好友和朋友圈|扫一扫在手机打开当前页|分享到[：:]?(?:微信|微博|QQ空间|朋友圈|\s)*|打印本页|关闭窗口)\s*[×x|丨]?\s*/;

/**
 * Furniture at the end of a line with real text before it: 「…的答复 浏览次数：12 字体：【大】」.
 * Cut off when what is left is long enough to be text.
 */
const FURNITURE_SUFFIX = /\s*(?:[【[]\s*)?(?:字\s*[号体]\s*[:：]|(?:阅读|浏览|访问|点击)(?:量|次数|数)?\s*[:：]\s*\d*\s*次?|打印本页|关闭窗口|分享到|【\s*打印\s*】|【\s*关闭\s*】).*$/;

/**
 * The borders of a table a capture kept as text: the cell separators (|) at a
 * line's ends, with the spaces between them (「||韩忠国等代表:」, 「…的答复| |||||」).
 * A row of empty cells is nothing but border. The cells inside a line stay as
 * they are: a metadata row (「索引号|…|发布机构|…」) is read cell by cell later.
 */
const TABLE_BORDER = /^[\s|｜]+|[\s|｜]+$/g;

/** `line` without the table border at its ends. */
export function withoutTableBorder(line: string): string {
  return line.includes('|') || line.includes('｜') ? line.replace(TABLE_BORDER, '') : line;
}

/** Whether `line` (a normalized line) is only menu words and separators. */
function isMenuLine(line: string): boolean {
  const words = line.split(SEPARATORS).filter((w) => w !== '');
  return words.length > 0 && words.every((w) => MENU_WORD_SET.has(w.toLowerCase()));
}

/** Whether a normalized line is page furniture. */
export function isFurnitureLine(line: string): boolean {
  const t = line.trim();
  if (t === '') return true;
  // Link paths a capture kept as text are furniture at any length when they are most of the line.
  if (/(?:\/[\w-]+){2,}/.test(t) && (t.match(/[\u4e00-\u9fff]/g)?.length ?? 0) < t.length * 0.5) return true;
  if (t.length > MAX_FURNITURE_LINE) return false;
  // A capture of a list keeps its item numbers (「1.当前位置:」, 「2.首页>…」).
  const u = t.replace(/^\d{1,2}\s*[.．、]\s*/, '');
  return isMenuLine(u) || FURNITURE_LINE.some((re) => re.test(u));
}

/** Result of the furniture stage. */
export interface Defurnished {
  /** The reply's own lines, in order; a line that had furniture glued in front keeps only its text. */
  lines: string[];
  /** The lines dropped as furniture (for diagnostics and tests). */
  dropped: string[];
}

/**
 * Drops furniture lines from normalized lines. A 上一篇/下一篇 label alone on
 * its line takes the next line (the other reply's title) with it.
 */
export function dropFurniture(lines: readonly string[]): Defurnished {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = withoutTableBorder(raw);
    if (line !== raw && line !== '') dropped.push(...[raw.slice(0, raw.indexOf(line)), raw.slice(raw.indexOf(line) + line.length)].filter((b) => b !== ''));
    const prefix = FURNITURE_PREFIX.exec(line);
    if (prefix && prefix[0].length < line.length && !isFurnitureLine(line.slice(prefix[0].length))) {
      dropped.push(prefix[0]);
      kept.push(line.slice(prefix[0].length));
      continue;
    }
    // A metadata line with the page's controls after it (「来源:… 发布时间:2025-11-14 字号:[大 中 小] 阅读次数:0」):
    // the controls go, the cells stay — when a cell holds something dafu reads (not only 责任编辑:…).
    if (isFurnitureLine(line)) {
      const controls = FURNITURE_SUFFIX.exec(line);
      if (controls && controls.index > 0 && holdsMetadataValue(line.slice(0, controls.index)) && !isFurnitureLine(line.slice(0, controls.index))) {
        dropped.push(controls[0]);
        kept.push(line.slice(0, controls.index));
        continue;
      }
    }
    if (!isFurnitureLine(line)) {
      const suffix = FURNITURE_SUFFIX.exec(line);
      if (suffix && suffix.index >= 6 && line.length <= 200 && !/[。；！？]/.test(line.slice(0, suffix.index))) {
        dropped.push(suffix[0]);
        kept.push(line.slice(0, suffix.index));
      } else kept.push(line);
      continue;
    }
    dropped.push(raw);
    if (/^[【[]?\s*(?:上一篇|下一篇|上一条|下一条|上篇|下篇)\s*[】\]]?\s*[:：]?$/.test(line.trim()) && i + 1 < lines.length) {
      dropped.push(lines[++i]!);
    }
  }
  return { lines: kept, dropped };
}

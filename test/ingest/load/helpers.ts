/**
 * Builders for real fixture files made inside the tests: a .docx (a minimal
 * Office Open XML ZIP) and PDFs with a Latin or a Chinese text layer. Made in
 * the tests so no binary fixture has to be committed or trusted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A fresh temp folder; remove it with the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dafu-load-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One ZIP entry as stored: its deflated bytes and the uncompressed size the directory declares (which may lie). */
export interface RawZipEntry {
  name: string;
  deflated: Buffer;
  declaredSize: number;
  crc?: number;
}

/** A ZIP archive (deflated entries) — just enough of the format for a .docx. */
export function zip(entries: Record<string, string>): Buffer {
  return zipRaw(
    Object.entries(entries).map(([name, content]) => {
      const raw = Buffer.from(content, 'utf8');
      return { name, deflated: deflateRawSync(raw), declaredSize: raw.length, crc: crc32(raw) };
    }),
  );
}

/** A ZIP archive of already deflated entries, with whatever sizes they declare. */
export function zipRaw(entries: RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, deflated: data, declaredSize, crc = 0 } of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declaredSize, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declaredSize, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const DOCX_PARTS = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
};
const DOCUMENT_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
const DOCUMENT_TAIL = '</w:body></w:document>';

/** A minimal .docx whose document body is `bodyXml` as given (for hostile structure). */
export function makeDocxFromBody(bodyXml: string): Buffer {
  return zip({ ...DOCX_PARTS, 'word/document.xml': `${DOCUMENT_HEAD}${bodyXml}${DOCUMENT_TAIL}` });
}

/** A minimal .docx whose body has one Word paragraph per string. */
export function makeDocx(paragraphs: string[]): Buffer {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(p)}</w:t></w:r></w:p>`).join('');
  return zip({ ...DOCX_PARTS, 'word/document.xml': `${DOCUMENT_HEAD}${body}${DOCUMENT_TAIL}` });
}

/**
 * A .docx ZIP bomb: a valid document.xml of `megabytes` MiB of repeated
 * paragraphs, made without ever holding it. One MiB of paragraphs is deflated
 * with a full flush, which ends the block byte-aligned and resets the
 * dictionary, so the same bytes can be repeated to inflate to N MiB. 500 MiB
 * fit in about 500 KB, like the bomb in issue 10. `declaredMegabytes` (default
 * the truth) is the size the ZIP directory claims.
 */
export function makeDocxBomb(megabytes: number, declaredMegabytes = megabytes): Buffer {
  const flush = { finishFlush: zlibConstants.Z_FULL_FLUSH, level: 9 };
  const head = deflateRawSync(Buffer.from(DOCUMENT_HEAD), flush);
  const para = Buffer.from('<w:p><w:r><w:t>答复答复答复答复</w:t></w:r></w:p>');
  const block = Buffer.alloc(1024 * 1024 - (1024 * 1024) % para.length);
  for (let i = 0; i < block.length; i += para.length) para.copy(block, i);
  const middle = deflateRawSync(block, flush);
  const tail = deflateRawSync(Buffer.from(DOCUMENT_TAIL));
  const deflated = Buffer.concat([head, ...Array.from({ length: megabytes }, () => middle), tail]);
  const size = (n: number) => Buffer.byteLength(DOCUMENT_HEAD) + n * block.length + Buffer.byteLength(DOCUMENT_TAIL);
  const parts = Object.entries(DOCX_PARTS).map(([name, content]) => {
    const raw = Buffer.from(content);
    return { name, deflated: deflateRawSync(raw), declaredSize: raw.length, crc: crc32(raw) };
  });
  return zipRaw([...parts, { name: 'word/document.xml', deflated, declaredSize: Math.min(0xfffffffe, size(declaredMegabytes)) }]);
}

/** A PDF with a Latin text layer drawn with a standard font, one line per string. */
export async function makeLatinPdf(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([400, 300]);
    lines.forEach((line, i) => page.drawText(line, { x: 30, y: 260 - i * 18, size: 12, font }));
  }
  return Buffer.from(await doc.save());
}

/** A PDF whose pages contain only a drawn rectangle: what a scan without OCR looks like to a text extractor. */
export async function makeImageOnlyPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([400, 300]).drawRectangle({ x: 20, y: 20, width: 200, height: 100 });
  return Buffer.from(await doc.save());
}

const hex4 = (c: string) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

/**
 * A PDF with a Chinese text layer and no embedded font program. pdf-lib's
 * standard fonts cannot encode CJK and no CJK font is installed here, so the
 * PDF is written by hand: a Type0 font with Identity-H encoding whose glyph ids
 * are the Unicode code points, and a ToUnicode CMap that maps them back — the
 * part a text extractor reads, as in real government PDFs.
 */
export function makeCjkPdf(pages: string[][]): Buffer {
  const chars = [...new Set(pages.flat().join(''))];
  const cmap = [
    '/CIDInit /ProcSet findresource begin', '12 dict begin', 'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def', '/CMapType 2 def',
    '1 begincodespacerange', '<0000> <FFFF>', 'endcodespacerange',
  ];
  for (let i = 0; i < chars.length; i += 100) {
    const part = chars.slice(i, i + 100);
    cmap.push(`${part.length} beginbfchar`, ...part.map((c) => `<${hex4(c)}> <${hex4(c)}>`), 'endbfchar');
  }
  cmap.push('endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end');
  const stream = (s: string) => `<< /Length ${Buffer.byteLength(s, 'latin1')} >>\nstream\n${s}\nendstream`;
  const objs: string[] = [];
  objs[3] = '<< /Type /Font /Subtype /Type0 /BaseFont /FakeSong /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>';
  objs[4] = '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FakeSong /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /DW 1000 >>';
  objs[5] = '<< /Type /FontDescriptor /FontName /FakeSong /Flags 4 /FontBBox [0 -140 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>';
  objs[6] = stream(cmap.join('\n'));
  const pageIds: number[] = [];
  let id = 7;
  for (const lines of pages) {
    const ops = ['BT', '/F1 12 Tf', '16 TL', '50 800 Td', ...lines.map((l) => `<${[...l].map(hex4).join('')}> Tj T*`), 'ET'];
    objs[id] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objs[id + 1] = stream(ops.join('\n'));
    pageIds.push(id);
    id += 2;
  }
  objs[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objs[2] = `<< /Type /Pages /Kids [${pageIds.map((p) => `${p} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let i = 1; i < objs.length; i++) {
    offsets[i] = Buffer.byteLength(out, 'latin1');
    out += `${i} 0 obj\n${objs[i]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length}\n0000000000 65535 f \n`;
  out += offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objs.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A reply snippet with the fields the parser reads; used across the format tests. */
export const REPLY_SNIPPET = [
  '关于对省十四届人大四次会议第0147号代表建议的答复',
  '吉工信议案〔2025〕6号',
  '徐凤娟代表：',
  '您提出的《关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议》收悉，现答复如下：',
  '一、优化产业布局与技术创新。省商务厅积极推动企业开拓海外市场。',
  '（一）下一步，将发挥商务部门境外渠道优势。',
  '吉林省工业和信息化厅',
  '2025年5月27日',
];

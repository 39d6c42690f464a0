/**
 * Checks a .docx's ZIP archive before mammoth extracts it. mammoth (through
 * JSZip) inflates whatever the archive holds, so a 510 KB file whose
 * document.xml inflates to 500 MB exhausts the heap (and takes the bot down
 * with it on /reload). Here the central directory is read first: the entry
 * count, every entry's declared size and compression ratio, and the total
 * are checked against caps, and then every compressed entry is actually
 * inflated with zlib's `maxOutputLength` set to its declared size, so an
 * archive that lies about its sizes is caught too, with at most the cap in
 * memory at a time. Only an archive that passes reaches mammoth, which then
 * can produce no more than the caps allow.
 */
import { inflateRawSync } from 'node:zlib';

/** Limits on what a .docx may expand to; the defaults fit any real reply with room to spare. */
export interface ZipLimits {
  /** Largest uncompressed size of one entry (a reply's document.xml is a few MB at most). */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Largest compression ratio of an entry bigger than `ratioFloorBytes` (real XML stays far below 100; a bomb is near 1000). */
  maxRatio: number;
  /** Entries below this size are not held to `maxRatio` (small XML parts compress well and cost nothing). */
  ratioFloorBytes: number;
  /** Most entries an archive may list. */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  maxEntries: 5000,
};

/** Why an archive was refused; the message is the reason shown to the user. */
export class ZipRefused extends Error {}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const ZIP64_EOCD_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

function mb(n: number): string {
  if (n < 1024) return `${n} bytes`;
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

/** Offset of the end-of-central-directory record (it sits in the last 64 KB + 22 bytes). */
function findEocd(buf: Buffer): number {
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  }
  throw new ZipRefused('not a valid .docx (no ZIP central directory; the file is truncated or corrupt)');
}

/** Reads the central directory (ZIP64 included: some writers emit it even for small files). */
function readEntries(buf: Buffer, limits: ZipLimits): Entry[] {
  const eocd = findEocd(buf);
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === MAX16 || cdOffset === MAX32) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== ZIP64_EOCD_LOCATOR_SIG) throw new ZipRefused('not a valid .docx (damaged ZIP64 directory)');
    const z64 = Number(buf.readBigUInt64LE(loc + 8));
    if (z64 + 56 > buf.length || buf.readUInt32LE(z64) !== ZIP64_EOCD_SIG) throw new ZipRefused('not a valid .docx (damaged ZIP64 directory)');
    count = Number(buf.readBigUInt64LE(z64 + 32));
    cdOffset = Number(buf.readBigUInt64LE(z64 + 48));
  }
  if (count > limits.maxEntries) throw new ZipRefused(`refused: the archive lists ${count} entries (limit ${limits.maxEntries}); a Word document has a few dozen`);
  const entries: Entry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIG) throw new ZipRefused('not a valid .docx (damaged ZIP central directory)');
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (size === MAX32 || compressedSize === MAX32 || localOffset === MAX32) {
      // ZIP64 extended information (id 1): the 64-bit values, in this order, for each field that is maxed out.
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = buf.readUInt16LE(e);
        const len = buf.readUInt16LE(e + 2);
        if (id === 1) {
          let q = e + 4;
          const next = () => {
            if (q + 8 > e + 4 + len) throw new ZipRefused('not a valid .docx (damaged ZIP64 entry)');
            const v = Number(buf.readBigUInt64LE(q));
            q += 8;
            return v;
          };
          if (size === MAX32) size = next();
          if (compressedSize === MAX32) compressedSize = next();
          if (localOffset === MAX32) localOffset = next();
          break;
        }
        e += 4 + len;
      }
    }
    entries.push({ name, method, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The entry's compressed bytes, found through its local header (whose name and extra lengths may differ from the central copy). */
function entryData(buf: Buffer, e: Entry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL_SIG) throw new ZipRefused(`not a valid .docx (entry ${e.name} is damaged)`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw new ZipRefused(`not a valid .docx (entry ${e.name} is truncated)`);
  return buf.subarray(start, start + e.compressedSize);
}

/**
 * Refuses a ZIP archive that would expand beyond `limits` (declared or
 * actual sizes), with a reason naming the entry, its size and the limit.
 * @throws ZipRefused
 */
export function checkZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  const entries = readEntries(buf, limits);
  const bomb = (what: string) =>
    new ZipRefused(`refused as a ZIP bomb: ${what}; a real Word reply is far smaller. Re-save the document from Word or WPS, or remove it from the corpus`);
  let total = 0;
  for (const e of entries) {
    if (e.size > limits.maxEntryBytes) throw bomb(`${e.name} would expand to ${mb(e.size)} (limit ${mb(limits.maxEntryBytes)})`);
    total += e.size;
    if (total > limits.maxTotalBytes) throw bomb(`its entries would expand to more than ${mb(limits.maxTotalBytes)} in total`);
    if (e.size > limits.ratioFloorBytes && e.size > e.compressedSize * limits.maxRatio) {
      throw bomb(`${e.name} would expand ${Math.round(e.size / Math.max(1, e.compressedSize))} times (${mb(e.size)} from ${mb(e.compressedSize)}; limit ${limits.maxRatio} times)`);
    }
  }
  // The declared sizes may lie: inflate each entry, never past what it declares.
  for (const e of entries) {
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw new ZipRefused(`not a valid .docx (stored entry ${e.name} has inconsistent sizes)`);
      entryData(buf, e);
      continue;
    }
    if (e.method !== 8) throw new ZipRefused(`not a valid .docx (entry ${e.name} uses compression method ${e.method}, not deflate)`);
    const data = entryData(buf, e);
    let out: Buffer;
    try {
      // One byte beyond the declared size is enough to know it lies.
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.size + 1) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw bomb(`${e.name} expands beyond the ${mb(e.size)} it declares`);
      throw new ZipRefused(`not a valid .docx (entry ${e.name} does not inflate: ${(err as Error).message})`);
    }
    if (out.length !== e.size) {
      if (out.length > e.size) throw bomb(`${e.name} expands beyond the ${mb(e.size)} it declares`);
      throw new ZipRefused(`not a valid .docx (entry ${e.name} is shorter than it declares)`);
    }
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { loadFile } from '../../../ingest/load/index.ts';
import { REPLY_SNIPPET, tempDir } from './helpers.ts';

const snippet = REPLY_SNIPPET.join('\n\n') + '\n';

test('UTF-8 .txt without BOM loads verbatim', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'reply.txt');
    await writeFile(path, snippet, 'utf8');
    const f = await loadFile(path);
    assert.equal(f.text, snippet);
    assert.equal(f.encoding, 'utf-8');
    assert.equal(f.format, 'txt');
    assert.equal(f.file, path);
    assert.deepEqual(f.bytes, await readFile(path));
  } finally {
    await cleanup();
  }
});

test('UTF-8 .txt with BOM loads with the BOM stripped; the bytes keep it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'bom.txt');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(snippet, 'utf8')]);
    await writeFile(path, bytes);
    const f = await loadFile(path);
    assert.equal(f.text, snippet);
    assert.equal(f.text.charCodeAt(0), '关'.charCodeAt(0));
    assert.equal(f.encoding, 'utf-8');
    assert.deepEqual(f.bytes, bytes);
  } finally {
    await cleanup();
  }
});

test('GBK-encoded .txt is detected and decodes to the original text', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'gbk.txt');
    await writeFile(path, iconv.encode(snippet, 'gbk'));
    const f = await loadFile(path);
    assert.equal(f.text, snippet);
    assert.equal(f.encoding, 'gb18030');
    assert.match(f.text, /吉工信议案〔2025〕6号/);
  } finally {
    await cleanup();
  }
});

test('a short GB2312 line (too short for confident detection) still decodes as GB18030', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'short.txt');
    await writeFile(path, iconv.encode('发文字号：', 'gb2312'));
    const f = await loadFile(path);
    assert.equal(f.text, '发文字号：');
    assert.equal(f.encoding, 'gb18030');
  } finally {
    await cleanup();
  }
});

test('UTF-16 with a BOM (LE and BE) decodes', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const le = join(dir, 'le.txt');
    const be = join(dir, 'be.txt');
    await writeFile(le, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(snippet, 'utf-16le')]));
    await writeFile(be, Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(snippet, 'utf-16be')]));
    assert.equal((await loadFile(le)).text, snippet);
    assert.equal((await loadFile(le)).encoding, 'utf-16le');
    assert.equal((await loadFile(be)).text, snippet);
  } finally {
    await cleanup();
  }
});

test('.md and upper-case .TXT load as text', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const md = join(dir, 'reply.md');
    await writeFile(md, `# 答复\n\n${snippet}`);
    const f = await loadFile(md);
    assert.equal(f.format, 'md');
    assert.equal(f.text, `# 答复\n\n${snippet}`);
    const upper = join(dir, 'REPLY.TXT');
    await writeFile(upper, snippet);
    assert.equal((await loadFile(upper)).format, 'txt');
  } finally {
    await cleanup();
  }
});

test('the five sample replies load as UTF-8 with their text intact', async () => {
  const files = (await readdir('corpus')).filter((f) => f.endsWith('.txt')).sort();
  assert.equal(files.length, 5);
  for (const name of files) {
    const path = join('corpus', name);
    const f = await loadFile(path);
    const bytes = await readFile(path);
    assert.equal(f.encoding, 'utf-8', name);
    assert.equal(f.text, bytes.toString('utf8'), name);
    assert.deepEqual(f.bytes, bytes, name);
    assert.match(f.text, /答复/, name);
  }
});

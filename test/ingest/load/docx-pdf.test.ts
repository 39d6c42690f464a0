import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadFile } from '../../../ingest/load/index.ts';
import { makeCjkPdf, makeDocx, makeLatinPdf, REPLY_SNIPPET, tempDir } from './helpers.ts';

test('a .docx built in the test reads back as its paragraphs, separated by blank lines', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'reply.docx');
    const bytes = makeDocx(REPLY_SNIPPET);
    await writeFile(path, bytes);
    const f = await loadFile(path);
    assert.equal(f.format, 'docx');
    assert.equal(f.encoding, undefined);
    assert.equal(f.text, REPLY_SNIPPET.join('\n\n'));
    assert.deepEqual(f.bytes, bytes);
  } finally {
    await cleanup();
  }
});

test('a Latin-text PDF made with pdf-lib yields its text layer, pages joined by a newline', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'latin.pdf');
    await writeFile(path, await makeLatinPdf([['Reply to proposal 2025W233', 'Next steps: build more parks'], ['Page two text']]));
    const f = await loadFile(path);
    assert.equal(f.format, 'pdf');
    assert.equal(f.text, 'Reply to proposal 2025W233\nNext steps: build more parks\nPage two text');
  } finally {
    await cleanup();
  }
});

test('a PDF with a Chinese text layer yields the Chinese text', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'cjk.pdf');
    await writeFile(path, makeCjkPdf([REPLY_SNIPPET.slice(0, 4), REPLY_SNIPPET.slice(4)]));
    const f = await loadFile(path);
    assert.equal(f.text, REPLY_SNIPPET.join('\n'));
  } finally {
    await cleanup();
  }
});

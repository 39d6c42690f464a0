import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DafuInputError } from '../../../src/errors.ts';
import { DEFAULT_MAX_FILE_BYTES, loadCorpus, loadFile, LoadError } from '../../../ingest/load/index.ts';
import { makeImageOnlyPdf, makeLatinPdf, tempDir, zip } from './helpers.ts';

/** Asserts loadFile(path) rejects with a LoadError whose reason matches and whose message names the file. */
async function rejectsWith(path: string, reason: RegExp): Promise<LoadError> {
  let caught: unknown;
  await assert.rejects(loadFile(path), (err: unknown) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof LoadError, `expected a LoadError, got ${String(caught)}`);
  assert.ok(caught instanceof DafuInputError);
  assert.equal(caught.file, path);
  assert.match(caught.reason, reason);
  assert.equal(caught.message, `ingest/load: ${path}: ${caught.reason}; skipped`);
  assert.match(caught.name, /^Dafu/, 'the CLI prints Dafu* errors without a stack');
  return caught;
}

test('an empty file is refused as "empty file"; whitespace-only too', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'empty.txt'), '');
    await writeFile(join(dir, 'blank.md'), ' \n\u3000\n\t');
    await writeFile(join(dir, 'empty.pdf'), '');
    await rejectsWith(join(dir, 'empty.txt'), /^empty file$/);
    await rejectsWith(join(dir, 'blank.md'), /only whitespace/);
    await rejectsWith(join(dir, 'empty.pdf'), /^empty file$/);
  } finally {
    await cleanup();
  }
});

test('binary data named .txt is refused with the offset of the first NUL, or for its control characters', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    await writeFile(join(dir, 'image.txt'), png);
    const err = await rejectsWith(join(dir, 'image.txt'), /looks like binary data, not text \(NUL byte at offset 8\); it is an image/);
    assert.match(err.message, /image\.txt: looks like binary data/);

    const controls = Buffer.alloc(400, 0x01);
    controls.write('一些文字', 0, 'utf8');
    await writeFile(join(dir, 'controls.txt'), controls);
    await rejectsWith(join(dir, 'controls.txt'), /looks like binary data, not text \(\d+ control characters/);

    await writeFile(join(dir, 'reply.txt'), await makeLatinPdf([['x']]));
    await rejectsWith(join(dir, 'reply.txt'), /it is a PDF, rename it to \.pdf/);
  } finally {
    await cleanup();
  }
});

test('a file with no recognizable structure loads fine (parsing it is the parser’s business)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const text = '这是一段没有标题、没有文号、也没有编号的文字 lorem ipsum 12345\n';
    await writeFile(join(dir, 'plain.txt'), text);
    const f = await loadFile(join(dir, 'plain.txt'));
    assert.equal(f.text, text);
  } finally {
    await cleanup();
  }
});

test('a 20 MB file is refused by size, naming its size and the limit; a raised limit loads it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'huge.txt');
    const line = Buffer.from('一、优化产业布局与技术创新。省商务厅积极推动企业开拓海外市场。\n', 'utf8');
    const fh = await open(path, 'w');
    try {
      for (let written = 0; written < 20 * 1024 * 1024; written += line.length * 1000) {
        await fh.write(Buffer.concat(Array.from({ length: 1000 }, () => line)));
      }
    } finally {
      await fh.close();
    }
    assert.equal(DEFAULT_MAX_FILE_BYTES, 10 * 1024 * 1024);
    await rejectsWith(path, /^too large: 20\.\d MB \(limit 10\.0 MB\)/);

    const f = await loadFile(path, { maxBytes: 32 * 1024 * 1024 });
    assert.ok(f.text.length > 6_000_000);
    assert.ok(f.text.startsWith('一、优化产业布局'));
  } finally {
    await cleanup();
  }
});

test('unreadable paths: missing file, folder named .txt, broken symlink, and (when not root) chmod 000', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await rejectsWith(join(dir, 'missing.txt'), /^file not found$/);
    await mkdir(join(dir, 'folder.txt'));
    await rejectsWith(join(dir, 'folder.txt'), /is a directory, not a file/);
    await symlink(join(dir, 'gone.txt'), join(dir, 'link.txt'));
    await rejectsWith(join(dir, 'link.txt'), /broken symbolic link/);

    // root reads a mode-000 file anyway, so the permission case can only be checked as another user.
    const locked = join(dir, 'locked.txt');
    await writeFile(locked, '正文。');
    await chmod(locked, 0o000);
    if (process.getuid?.() === 0) {
      assert.equal((await loadFile(locked)).text, '正文。');
    } else {
      await rejectsWith(locked, /permission denied/);
    }
  } finally {
    await cleanup();
  }
});

test('a corrupt .docx is refused as "not a valid .docx"', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'random.docx'), Buffer.from('this is not a zip at all, just random bytes \x01\x02'));
    await rejectsWith(join(dir, 'random.docx'), /^not a valid \.docx \(not a ZIP archive/);

    await writeFile(join(dir, 'other.docx'), zip({ 'hello.txt': 'a zip without word/document.xml' }));
    await rejectsWith(join(dir, 'other.docx'), /^not a valid \.docx \(/);

    const truncated = zip({ 'word/document.xml': '<w:document/>'.repeat(50) }).subarray(0, 40);
    await writeFile(join(dir, 'truncated.docx'), truncated);
    await rejectsWith(join(dir, 'truncated.docx'), /^not a valid \.docx \(/);

    await writeFile(join(dir, 'old.docx'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    await rejectsWith(join(dir, 'old.docx'), /old binary Word \(\.doc\)/);
  } finally {
    await cleanup();
  }
});

test('a corrupt .pdf is refused as "not a valid PDF"; a PDF without text as "no text layer"', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'random.pdf'), Buffer.from('random bytes, no header'));
    await rejectsWith(join(dir, 'random.pdf'), /^not a valid PDF \(no %PDF header/);

    await writeFile(join(dir, 'garbage.pdf'), Buffer.from('%PDF-1.4\n garbage garbage garbage'));
    await rejectsWith(join(dir, 'garbage.pdf'), /^not a valid PDF \(/);

    await writeFile(join(dir, 'scan.pdf'), await makeImageOnlyPdf());
    await rejectsWith(join(dir, 'scan.pdf'), /^no text layer \(scanned image\?\) in 1 page/);
  } finally {
    await cleanup();
  }
});

test('a folder of bad inputs loads what it can and reports every other file with its reason', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'good.txt'), '一、正文。');
    await writeFile(join(dir, 'empty.txt'), '');
    await writeFile(join(dir, 'binary.txt'), Buffer.from([1, 2, 0, 4]));
    await writeFile(join(dir, 'bad.docx'), 'nope');
    await writeFile(join(dir, 'bad.pdf'), 'nope');
    await mkdir(join(dir, 'dir.txt'));
    await writeFile(join(dir, 'data.xlsx'), 'x');
    const { loaded, skipped } = await loadCorpus(dir, { maxBytes: 1024 });
    assert.deepEqual(loaded.map((f) => f.file), ['good.txt']);
    assert.deepEqual(
      skipped.map((s) => s.file),
      ['bad.docx', 'bad.pdf', 'binary.txt', 'data.xlsx', 'empty.txt'],
    );
    for (const s of skipped) assert.ok(s.reason.length > 5, `${s.file} has a reason`);
  } finally {
    await cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCorpus, resolveCorpusFile, walkCorpus, LoadError } from '../../../ingest/load/index.ts';
import { makeDocx, tempDir } from './helpers.ts';

async function nestedCorpus(dir: string): Promise<void> {
  await mkdir(join(dir, '2025', '人大建议'), { recursive: true });
  await mkdir(join(dir, '.git'));
  await writeFile(join(dir, 'b.txt'), '一、正文。');
  await writeFile(join(dir, 'a.md'), '# 答复\n\n正文。');
  await writeFile(join(dir, '2025', 'page.HTM'), '<html><body><p>答复正文。</p></body></html>');
  await writeFile(join(dir, '2025', '人大建议', 'reply.docx'), makeDocx(['答复正文。']));
  await writeFile(join(dir, '2025', '统计.xls'), 'not really excel');
  await writeFile(join(dir, '2025', 'README'), 'no extension');
  await writeFile(join(dir, '.DS_Store'), 'hidden');
  await writeFile(join(dir, '.git', 'config'), 'hidden folder');
  await writeFile(join(dir, '2025', '.~lock.reply.docx#'), 'hidden lock file');
}

test('walkCorpus lists supported files recursively, sorted, relative with "/"; reports unknown extensions; ignores hidden ones', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await nestedCorpus(dir);
    const { files, skipped } = await walkCorpus(dir);
    assert.deepEqual(files, ['2025/page.HTM', '2025/人大建议/reply.docx', 'a.md', 'b.txt']);
    assert.deepEqual(skipped, [
      { file: '2025/README', reason: 'no file extension; supported: .txt .md .html .htm .docx .pdf' },
      { file: '2025/统计.xls', reason: 'unsupported extension .xls; supported: .txt .md .html .htm .docx .pdf' },
    ]);
    assert.equal(resolveCorpusFile(dir, '2025/人大建议/reply.docx'), join(dir, '2025', '人大建议', 'reply.docx'));
  } finally {
    await cleanup();
  }
});

test('walkCorpus does not hang on a symlink loop and reports broken links', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'r.txt'), '正文。');
    await symlink(dir, join(dir, 'sub', 'loop'));
    await symlink(join(dir, 'missing.txt'), join(dir, 'dangling.txt'));
    const { files, skipped } = await walkCorpus(dir);
    assert.deepEqual(files, ['sub/r.txt']);
    assert.deepEqual(
      skipped.map((s) => s.file),
      ['dangling.txt', 'sub/loop'],
    );
    assert.match(skipped[0]!.reason, /broken symbolic link/);
    assert.match(skipped[1]!.reason, /already walked/);
  } finally {
    await cleanup();
  }
});

test('walkCorpus on a missing folder throws a LoadError naming it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const missing = join(dir, 'nope');
    await assert.rejects(walkCorpus(missing), (err: unknown) => err instanceof LoadError && err.message.includes(missing) && /not found/.test(err.reason));
  } finally {
    await cleanup();
  }
});

test('loadCorpus loads what it can, names each file by its corpus path, and lists the rest as skipped', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await nestedCorpus(dir);
    await writeFile(join(dir, 'empty.txt'), '');
    const { loaded, skipped } = await loadCorpus(dir);
    assert.deepEqual(
      loaded.map((f) => [f.file, f.format]),
      [
        ['2025/page.HTM', 'html'],
        ['2025/人大建议/reply.docx', 'docx'],
        ['a.md', 'md'],
        ['b.txt', 'txt'],
      ],
    );
    assert.deepEqual(
      skipped.map((s) => [s.file, s.reason.split(';')[0]]),
      [
        ['2025/README', 'no file extension'],
        ['2025/统计.xls', 'unsupported extension .xls'],
        ['empty.txt', 'empty file'],
      ],
    );
  } finally {
    await cleanup();
  }
});

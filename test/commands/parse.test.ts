import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile, copyFile, rm, mkdir, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';

const ROOT = join(import.meta.dirname, '..', '..');
const CORPUS = join(ROOT, 'corpus');

/** Runs the real CLI the way `npm run -s parse -- …` does. */
function parse(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'parse', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dafu-parse-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run parse', () => {
  test('--json prints one JSON object per file per line with exactly the documented fields', () => {
    const { code, stdout, stderr } = parse('--json', 'corpus');
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 5);
    const replies = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of replies) {
      assert.deepEqual(Object.keys(r), [
        'file', 'title', 'docNumber', 'indexNumber', 'issuer', 'date', 'publishedDate', 'category', 'recipient',
        'proposalTitle', 'session', 'proposalNumber', 'categoryNumber', 'kind', 'contact', 'result', 'coHandlers', 'signer',
        'damaged', 'sections', 'commitments',
      ]);
    }
    assert.equal(replies[0]!.file, 'corpus/000_0a014f049039ca47.txt');
    assert.equal(replies[0]!.docNumber, '吉工信议案〔2025〕6号');
    assert.equal(replies[1]!.date, '2025-05-23');
    assert.equal(replies[4]!.date, null);
    assert.equal((replies[2]!.sections as unknown[]).length, 22);
    assert.deepEqual((replies[0]!.commitments as Array<{ actor: string }>).map((c) => c.actor).slice(0, 3), ['省商务厅', '省科技厅', '省人社厅']);
  });

  test('without --json prints a readable summary: fields, section tree, commitments with actors', () => {
    const { code, stdout } = parse('corpus/004_d9c7c73d928775f5.txt');
    assert.equal(code, 0);
    assert.match(stdout, /title 标题: +关于对省政协十三届三次会议第41号党派团体提案的答复/);
    assert.match(stdout, /docNumber 发文字号: +吉工信议案〔2025〕43号/);
    assert.match(stdout, /date 成文日期: +—/);
    assert.match(stdout, /session 省政协十三届三次会议 · number 41 · kind 党派团体提案/);
    assert.match(stdout, /sections \(12\):/);
    assert.match(stdout, /\n {4}二、下步工作安排 {2}\(75 chars\)\n {6}（一）全面落实方案，大力推动集群梯度培育/);
    assert.match(stdout, /commitments \(5\):\n {4}\[吉林省工业和信息化厅\] 二、下步工作安排\n/);
  });

  test('--help explains the command', () => {
    const { code, stdout } = parse('--help');
    assert.equal(code, 0);
    assert.match(stdout, /Usage: npm run -s parse -- \[--json\] FILE\|DIR\.\.\./);
    assert.match(stdout, /--json/);
  });

  test('bad files are reported by name and reason; the good ones are still printed', async () => {
    const good = join(dir, 'good.txt');
    await copyFile(join(CORPUS, '002_0bd37d7d743fadf3.txt'), good);
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '');
    const binary = join(dir, 'binary.txt');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]));
    const missing = join(dir, 'missing.txt');
    const { code, stdout, stderr } = parse('--json', empty, good, binary, missing);
    assert.equal(code, 0, 'not all failed');
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal((JSON.parse(lines[0]!) as { docNumber: string }).docNumber, '吉科发高〔2024〕74号');
    for (const f of [empty, binary, missing]) assert.ok(stderr.includes(f), `stderr names ${f}`);
    assert.match(stderr, /empty/i);
    assert.match(stderr, /binary/i);
    assert.match(stderr, /not found/i);

    const allBad = parse(empty, missing);
    assert.equal(allBad.code, 1, 'non-zero when every file failed');
    assert.equal(allBad.stdout, '');
  });

  test('a GBK-encoded reply in a folder parses the same; unknown extensions are skipped, not fatal', async () => {
    const folder = join(dir, 'mixed');
    await mkdir(join(folder, 'sub'), { recursive: true });
    const text = await readFile(join(CORPUS, '004_d9c7c73d928775f5.txt'), 'utf8');
    await writeFile(join(folder, 'sub', 'reply-gbk.txt'), iconv.encode(text, 'gbk'));
    await writeFile(join(folder, 'notes.xyz'), 'whatever');
    const { code, stdout, stderr } = parse('--json', folder);
    assert.equal(code, 0, stderr);
    const [reply] = stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; title: string; commitments: unknown[] });
    assert.equal(reply!.title, '关于对省政协十三届三次会议第41号党派团体提案的答复');
    assert.equal(reply!.commitments.length, 5);
    assert.ok(reply!.file.endsWith('sub/reply-gbk.txt'));
    assert.match(stderr, /notes\.xyz.*skipped/);
    assert.deepEqual((await readdir(folder)).sort(), ['notes.xyz', 'sub'], 'nothing written');
  });

  test('usage errors exit 2', () => {
    assert.equal(parse().code, 2);
    assert.equal(parse('--bogus', 'corpus').code, 2);
  });
});

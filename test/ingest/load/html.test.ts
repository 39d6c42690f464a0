import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { loadFile } from '../../../ingest/load/index.ts';
import { htmlToText, metadataPairs } from '../../../ingest/load/html.ts';
import { tempDir } from './helpers.ts';

/** A page shaped like one saved from a provincial government site (TRS CMS, xxgk metadata table). */
function govPage(charset: string): string {
  return `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}">
<title>关于对省十四届人大四次会议第0147号代表建议的答复_吉林省人民政府</title>
<style>.zoom{font-size:16px}</style><script>var share = "分享到微信";</script></head>
<body>
<div class="topbar"><a href="#">无障碍</a> <a href="#">长辈版</a></div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li></ul></nav>
<div class="position">当前位置：首页 &gt; 政务公开 &gt; 建议提案办理</div>
<div class="xxgk_table"><table>
<tr><td>索引号：</td><td>12220000412760962A/2025-01346</td><td>分类：</td><td>人大代表建议;委员提案答复</td></tr>
<tr><td>发文机关：</td><td>吉林省工业和信息化厅</td><td>成文日期：</td><td>2025年05月27日</td></tr>
<tr><td>标题：</td><td colspan="3">关于对省十四届人大四次会议第0147号代表建议的答复</td></tr>
<tr><td>发文字号：</td><td>吉工信议案〔2025〕6号</td><td>发布日期：</td><td>2025年07月01日</td></tr>
</table></div>
<h1>关于对省十四届人大四次会议第0147号代表建议的答复</h1>
<div class="fontsize">【字号：<a>大</a> <a>中</a> <a>小</a>】</div>
<div id="zoom"><div class="TRS_Editor">
<p style="text-align:center">吉工信议案〔2025〕6号</p>
<p>徐凤娟代表：</p>
<p>　　您提出的《关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议》收悉，现答复如下：</p>
<p>　　一、优化产业布局与技术创新。省商务厅积极推动企业开拓&nbsp;马来西亚市场。</p>
<p>　　下一步，将发挥商务部门境外渠道优势。<br>　　省科技厅每年支持科技攻关。</p>
<p style="text-align:right">吉林省工业和信息化厅<br>2025年5月27日</p>
</div></div>
<div class="tools">【打印本页】【关闭窗口】</div>
<div>分享到：微信 微博</div>
<a href="#top">返回顶部</a>
<footer><p>主办单位：吉林省人民政府办公厅 版权所有 网站标识码2200000001 吉ICP备05002999号</p></footer>
</body></html>`;
}

const expectedText = [
  '索引号:\t12220000412760962A/2025-01346',
  '分类:\t人大代表建议;委员提案答复',
  '发文机关:\t吉林省工业和信息化厅',
  '成文日期:\t2025年05月27日',
  '标题:\t关于对省十四届人大四次会议第0147号代表建议的答复',
  '发文字号:\t吉工信议案〔2025〕6号',
  '发布日期:\t2025年07月01日',
  '',
  '关于对省十四届人大四次会议第0147号代表建议的答复',
  '',
  '吉工信议案〔2025〕6号',
  '',
  '徐凤娟代表：',
  '',
  '　　您提出的《关于利用省政府资源帮助机械制造企业融入共建“一带一路”的建议》收悉，现答复如下：',
  '',
  '　　一、优化产业布局与技术创新。省商务厅积极推动企业开拓 马来西亚市场。',
  '',
  '　　下一步，将发挥商务部门境外渠道优势。',
  '',
  '　　省科技厅每年支持科技攻关。',
  '',
  '吉林省工业和信息化厅',
  '',
  '2025年5月27日',
].join('\n');

test('a saved government page keeps metadata and body, drops navigation and furniture', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'reply.html');
    await writeFile(path, govPage('utf-8'));
    const f = await loadFile(path);
    assert.equal(f.format, 'html');
    assert.equal(f.encoding, 'utf-8');
    assert.equal(f.text, expectedText);
    for (const furniture of ['无障碍', '字号：', '返回顶部', '打印本页', '关闭窗口', '分享到', '当前位置', '首页', '版权所有', 'var share']) {
      assert.ok(!f.text.includes(furniture), `furniture "${furniture}" should be dropped`);
    }
  } finally {
    await cleanup();
  }
});

test('a GBK-declared .htm page is decoded by its declaration', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'reply.htm');
    await writeFile(path, iconv.encode(govPage('gbk'), 'gbk'));
    const f = await loadFile(path);
    assert.equal(f.encoding, 'gb18030');
    assert.equal(f.text, expectedText);
  } finally {
    await cleanup();
  }
});

test('a GB2312 page declared with <meta charset> decodes too', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, 'short.html');
    const html = '<html><head><meta charset="gb2312"></head><body><p>发文字号：吉工信议案〔2025〕6号</p><p>一、正文。</p></body></html>';
    await writeFile(path, iconv.encode(html, 'gb2312'));
    const f = await loadFile(path);
    assert.equal(f.text, '发文字号:\t吉工信议案〔2025〕6号\n\n一、正文。');
  } finally {
    await cleanup();
  }
});

test('a page without a content container keeps its body text minus furniture', () => {
  const text = htmlToText(
    '<html><body><div class="nav">首页 | 政务公开</div><p>孙昭艳委员：</p><p>您提出的提案收悉。</p><p>返回顶部</p><p>【打印本页】 【关闭窗口】</p></body></html>',
  );
  assert.equal(text, '孙昭艳委员：\n\n您提出的提案收悉。');
});

test('metadata is read from tab-separated cells and from inline "key：value" spans, never from body text', () => {
  assert.deepEqual(metadataPairs('索引号：\t123/2025\t主题分类：\t工业\t发布日期：\t2025年07月01日'), [
    ['索引号', '123/2025'],
    ['发布日期', '2025年07月01日'],
  ]);
  assert.deepEqual(metadataPairs('发文字号：吉工信议案〔2025〕6号 成文日期：2025年05月27日'), [
    ['发文字号', '吉工信议案〔2025〕6号'],
    ['成文日期', '2025年05月27日'],
  ]);
  assert.equal(metadataPairs('分类推进产业布局，标题：不是元数据'), null);
  assert.equal(metadataPairs('一、优化产业布局与技术创新。'), null);
});

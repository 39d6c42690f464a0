/** The shared lexicon of a reply's parts: the role of a passage from its section path, and of a sentence. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passageRole, sentenceRole } from '../src/domain/roles.ts';

test('a passage role comes from the section path the parser gives', () => {
  assert.equal(passageRole(['开头']), 'opening');
  assert.equal(passageRole(['落款']), 'closing');
  assert.equal(passageRole(['三、下一步工作']), 'next-steps');
  assert.equal(passageRole(['一、关于老旧小区改造', '（三）下步打算']), 'next-steps');
  assert.equal(passageRole(['一、优化产业布局与技术创新']), 'body');
  assert.equal(passageRole(['正文']), 'body');
});

test('framing sentences are told from content', () => {
  assert.equal(sentenceRole('您提出的关于完善高昌区人行道管理维护的建议收悉。'), 'opening');
  assert.equal(sentenceRole('苍溪县交通运输局关于政协苍溪县第十一届委员会第四次会议第40号提案办理结果的复函'), 'title');
  assert.equal(sentenceRole('感谢您对交通工作的关心和支持。'), 'closing');
  assert.equal(sentenceRole('常州市交通运输局'), 'signature');
  assert.equal(sentenceRole('我局高度重视'), 'content');
  assert.equal(sentenceRole('省科技厅高度重视人工智能领域科技人才培养体系的构建'), 'content');
});

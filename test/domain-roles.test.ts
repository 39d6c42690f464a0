/** The shared lexicon of a reply's parts: the role of a passage from its section path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passageRole } from '../src/domain/roles.ts';

test('a passage role comes from the section path the parser gives', () => {
  assert.equal(passageRole(['开头']), 'opening');
  assert.equal(passageRole(['落款']), 'closing');
  assert.equal(passageRole(['三、下一步工作']), 'next-steps');
  assert.equal(passageRole(['一、关于老旧小区改造', '（三）下步打算']), 'next-steps');
  assert.equal(passageRole(['一、优化产业布局与技术创新']), 'body');
  assert.equal(passageRole(['正文']), 'body');
});

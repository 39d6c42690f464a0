/**
 * Short names of bodies as staff write them (卫健局, 住建委, 教体局), read from the full names replies sign with.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortBodyNames } from '../../src/domain/abbreviations.ts';

test('a full body name at any level gives its short name', () => {
  assert.deepEqual(shortBodyNames('石林彝族自治县卫生健康局关于县第十八届人大第一次会议第122号建议答复的函'), ['卫健局']);
  assert.deepEqual(shortBodyNames('梁园区教育体育局'), ['教体局']);
  assert.deepEqual(shortBodyNames('市住房和城乡建设委员会'), ['住建委']);
  assert.deepEqual(shortBodyNames('县文化和旅游局、县发展和改革局'), ['文旅局', '发改局']);
  assert.deepEqual(shortBodyNames('某某县人民政府办公室'), []);
});

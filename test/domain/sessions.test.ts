// The session and item-number grammar (src/domain/sessions.ts, numbers.ts) on shapes replies write:
// written here, not copied from a fixture, so they check the family.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf, sessionIn } from '../../src/domain/sessions.ts';
import { proposalNumberIn } from '../../src/domain/numbers.ts';

describe('sessions', () => {
  it('starts after a verb the title puts before it', () => {
    assert.equal(sessionIn('某某县交通运输局关于答复县十六届人大五次会议第88号建议的函'), '县十六届人大五次会议');
    assert.equal(sessionIn('关于办理市政协九届二次会议第12号提案的复函'), '市政协九届二次会议');
  });

  it('keeps the body of 政协X市委员会 and 人民代表大会 whole', () => {
    assert.equal(sessionIn('某某市水务局关于政协某某市委员会六届一次会议第0201号提案的答复'), '政协某某市委员会六届一次会议');
    assert.equal(sessionIn('你们在政协遵义市委员会六届二次会议上提出的提案'), '政协遵义市委员会六届二次会议');
    assert.equal(sessionIn('您在某某县第十七届人民代表大会第三次会议上提出的建议'), '某某县第十七届人民代表大会第三次会议');
    assert.equal(sessionIn('林某代表在市十五届人大二次会议上提出'), '市十五届人大二次会议');
  });

  it('a 议案(建议) is a suggestion', () => {
    assert.equal(kindOf('议案(建议)', '某某区五届人大二次会议', '何某等代表'), '代表建议');
    assert.equal(kindOf('议案', '某某区五届人大二次会议', '何某等代表'), '议案');
  });

  it('a group addressed in a CPPCC session is a 党派团体提案', () => {
    assert.equal(kindOf('提案', '市政协五届二次会议', '市政协经济委员会课题小组'), '党派团体提案');
  });
});

describe('item numbers', () => {
  it('a number in brackets right after the item’s title numbers it', () => {
    assert.equal(proposalNumberIn('您提出的《关于改善农村供水的建议》(建议第52号)收悉')?.number, '52');
    assert.equal(proposalNumberIn('你们提出的“关于发展林下经济的提案”(第0304号),已交我局办理')?.number, '0304');
    assert.equal(proposalNumberIn('按照文件(第52号)要求'), null, 'brackets after anything else do not name the item');
  });
});

// The grammar of bodies (src/domain/bodies.ts) on the shapes real replies write, from the
// development corpus's promises: a body's name is told from the words around it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyList, departmentsIn, isBodyName } from '../../src/domain/bodies.ts';
import { findDepartments } from '../../src/domain/departments.ts';
import { isPlace } from '../../src/domain/places.ts';

const names = (text: string) => departmentsIn(text).map((d) => d.name);

describe('bodies in running text', () => {
  it('keeps a real place before the level word, whole', () => {
    assert.deepEqual(names('天台县交通运输局将加快推进'), ['天台县交通运输局']);
    assert.deepEqual(names('重庆市渝北区城市管理局答复'), ['重庆市渝北区城市管理局']);
    assert.deepEqual(names('由工业园区管委会修建'), ['工业园区管委'], 'a zone is kept, the joining word is not');
    assert.deepEqual(names('济南起步区管委会负责'), ['济南起步区管委']);
    assert.deepEqual(names('自治区卫生健康委将'), ['自治区卫生健康委']);
  });

  it('starts the name where the body does when the words before the level word are no place', () => {
    assert.deepEqual(names('积极组织区住房城乡建设局、区交通运输局开展'), ['区住房城乡建设局、区交通运输局']);
    assert.deepEqual(names('建议由市城管局负责'), ['市城管局']);
    assert.deepEqual(names('将与区交运局对接'), ['区交运局']);
    assert.deepEqual(names('经会省发展改革委同意'), ['省发展改革委']);
    assert.deepEqual(names('我厅会同省财政厅'), ['省财政厅']);
    const at = departmentsIn('建议由市城管局负责')[0]!;
    assert.equal('建议由市城管局负责'.slice(at.index, at.index + at.name.length), '市城管局', 'the index is the name’s');
  });

  it('reads no body in words that only end like one', () => {
    for (const text of ['关于新郑市南部的建议', '省道线位确定后我局将', '县第十一届委员会', '县经济产业布局', '省公路部门根据', '县加快发展的决策部署', '下一步，市交通运输主管部门将']) {
      assert.deepEqual(names(text), [], text);
    }
    assert.deepEqual(names('下一步，省发改委将'), ['省发改委'], 'a body after the trigger is still found');
  });

  it('knows China’s places down to the county, and the short names of autonomous ones', () => {
    for (const p of ['新郑市', '镇康县', '魏县', '渝北区', '黔东南州', '红河州', '西双版纳州']) assert.ok(isPlace(p), p);
    for (const p of ['积极组织区', '建议由市', '关于新郑市']) assert.ok(!isPlace(p), p);
  });

  it('does not read a city’s or county’s commission as the province’s', () => {
    assert.deepEqual(findDepartments('市发改委将').map((d) => d.department), []);
    assert.deepEqual(findDepartments('农业农村部会同国家发展改革委、财政部').map((d) => d.department), [], 'the national commission is not the province’s');
    assert.deepEqual(findDepartments('北京市发改委将').map((d) => d.department), ['省发改委']);
    assert.deepEqual(findDepartments('自治区发改委').map((d) => d.department), ['省发改委']);
    assert.deepEqual(findDepartments('发改委和吉林省科学技术厅').map((d) => d.department), ['省发改委', '省科技厅']);
  });
});

describe('lists of bodies and the names they hold', () => {
  it('splits at 和/及/与 only when every piece is a body', () => {
    assert.deepEqual(bodyList('国家发展改革委、工业和信息化部、中国人民银行'), ['国家发展改革委', '工业和信息化部', '中国人民银行']);
    assert.deepEqual(bodyList('住房和城乡建设部及水利部'), ['住房和城乡建设部', '水利部']);
    assert.deepEqual(bodyList('市财政局和市自然资源局'), ['市财政局', '市自然资源局']);
  });

  it('a bank and a group are bodies', () => {
    assert.ok(isBodyName('农业发展银行'));
    assert.ok(isBodyName('区政协社会法制委员会调研小组'));
  });
});

describe('places within a place', () => {
  it('a province holds its cities and counties (巩义市 is in 河南); a word that is no place holds only itself', async () => {
    const { namesWithin } = await import('../../src/domain/places.ts');
    const henan = namesWithin('河南');
    assert.ok(henan.includes('郑州市') && henan.includes('巩义市'));
    assert.ok(!henan.includes('市辖区'));
    assert.ok(namesWithin('湖北省').includes('咸宁市'));
    assert.deepEqual(namesWithin('美丽'), ['美丽']);
  });
});

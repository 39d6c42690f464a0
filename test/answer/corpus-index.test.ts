/**
 * The CorpusIndex (built once per store by the engine): its lookups must
 * select exactly what a pass over every reply, chunk or promise would, since
 * questions now read them instead of making that pass.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actorDepartments } from '../../src/domain/departments.ts';
import { CorpusIndex } from '../../src/answer/corpus-index.ts';
import { findDepartments } from '../../src/domain/departments.ts';
import { chunkMatchesDepartment, replyMatches, replyYear } from '../../src/answer/filters.ts';
import { coverage } from '../../src/answer/relevance.ts';
import { scoringText } from '../../src/answer/retrieve.ts';
import { type SampleStore, buildSampleStore } from './sample-store.ts';

describe('CorpusIndex', () => {
  let s: SampleStore;
  let index: CorpusIndex;
  before(async () => {
    s = await buildSampleStore();
    index = new CorpusIndex(s.store);
  });
  after(async () => {
    await s.close();
  });

  it('works out the busiest departments’ activity lines in the background, step by step, exactly as a question would on demand', async () => {
    const warmed = new CorpusIndex(s.store, { warmStepReplies: 2 });
    const w = warmed.startWarm();
    assert.equal(warmed.startWarm(), w, 'one warm-up per index');
    await warmed.warm();
    const departments = [...new Set(s.store.replies.flatMap((r) => [...index.issuerDepartments(r)]))];
    assert.ok(departments.length >= 2);
    let compared = 0;
    for (const d of departments) {
      const onDemand = new CorpusIndex(s.store).activityLines([d], s.store.replies);
      const got = warmed.activityLines([d], s.store.replies);
      assert.deepEqual(got.map((l) => [l.reply.id, l.chunk.id, l.text, l.order]), onDemand.map((l) => [l.reply.id, l.chunk.id, l.text, l.order]), d);
      compared += onDemand.length;
    }
    assert.ok(compared > 0, 'the samples show work done');
  });

  it('selects by year, kind, session and issuing department exactly the replies a filter over all of them keeps, in store order', () => {
    const years = [...new Set(s.store.replies.map((r) => replyYear(r)).filter((y): y is string => y !== null))];
    assert.ok(years.length >= 2, 'the samples span years');
    for (const year of [...years, '1999']) {
      assert.deepEqual(index.select('year', year).replies, s.store.replies.filter((r) => replyYear(r) === year), year);
    }
    for (const kind of ['建议', '提案', '代表建议', '委员提案', '党派团体提案']) {
      const want = s.store.replies.filter((r) => replyMatches(r, { kind }));
      const got = index.select('kind', kind);
      assert.deepEqual(got.replies, want, kind);
      assert.deepEqual([...got.ids].sort(), want.map((r) => r.id).sort(), kind);
    }
    const session = s.store.replies.find((r) => r.session)?.session;
    assert.ok(session);
    assert.deepEqual(index.select('session', session).replies, s.store.replies.filter((r) => replyMatches(r, { session })));
    const issuers = [...new Set(s.store.replies.flatMap((r) => (r.issuer ? findDepartments(r.issuer).map((d) => d.department) : [])))];
    assert.ok(issuers.length >= 2);
    for (const d of issuers) {
      const want = s.store.replies.filter((r) => r.issuer && findDepartments(r.issuer).some((m) => m.department === d));
      assert.ok(want.length > 0);
      assert.deepEqual(index.select('department', d).replies, want, d);
    }
  });

  it('keeps each chunk’s scoring text and departments as computed directly', () => {
    let chunks = 0;
    for (const r of s.store.replies) {
      for (const c of s.store.chunksOf(r.id)) {
        chunks++;
        assert.equal(index.lowercaseScoringText(c, r), scoringText(c, r).toLowerCase());
        for (const d of ['省科技厅', '省教育厅', '省发改委']) assert.equal(index.chunkMatchesDepartment(c, r, d), chunkMatchesDepartment(c, r, d), `${c.id} ${d}`);
      }
    }
    assert.equal(index.chunkCount, chunks);
  });

  it('finds a department’s and a reply’s promises as a pass over every promise would', () => {
    assert.ok(index.entries.length > 5);
    for (const d of ['省科技厅', '省教育厅', '省工信厅', '省发改委']) {
      const want = index.entries.flatMap((e, i) => (actorDepartments(e.actor).includes(d) ? [i] : []));
      assert.deepEqual(index.commitments.ofDepartments([d]), want, d);
    }
    const two = s.store.replies.slice(0, 2).map((r) => r.id);
    assert.deepEqual(index.commitments.ofReplies(two), index.entries.flatMap((e, i) => (two.includes(e.reply.id) ? [i] : [])));
    for (const [i, e] of index.entries.entries()) {
      const p = index.commitments.prepared(i);
      assert.ok(p);
      for (const sentence of p.sentences) assert.ok(sentence.chunk.metadata.text.includes(sentence.text), e.text);
    }
  });

  it('offers every promise sentence that can cover half of a question’s terms, and only sentences holding one of them', () => {
    const all = index.entries.flatMap((_, i) => (index.commitments.prepared(i)?.sentences ?? []).map((x, j) => ({ n: index.commitments.firstSentence(i) + j, i, text: x.text })));
    assert.ok(all.length > 20);
    let covering = 0;
    for (const words of [['人工智能', '产业'], ['科技', '成果', '转化'], ['中欧班列'], ['支持', '推进', '具身智能'], ['长白山']]) {
      const terms = index.scorer.weigh(words);
      const offered = [...index.commitments.sentencesCovering(terms, 0.5)];
      assert.deepEqual(offered, [...offered].sort((a, b) => a - b), 'ascending');
      const want = all.filter((x) => coverage(terms, x.text) >= 0.5).map((x) => x.n);
      covering += want.length;
      for (const n of want) assert.ok(offered.includes(n), `${words.join(' ')}: sentence ${n} covers half but was not offered`);
      for (const n of offered) assert.ok(terms.some((t) => all[n]!.text.toLowerCase().includes(t.term.toLowerCase())), `${words.join(' ')}: ${n} holds none of the terms`);
      for (const x of all) assert.equal(index.commitments.entryOfSentence(x.n), x.i);
    }
    assert.ok(covering > 3, 'some sentences do cover the terms');
  });

  it('finds a term’s promise sentences through the character-pair index exactly as by reading them all', async () => {
    const fresh = new CorpusIndex(s.store);
    const words = [['人工智能', '产业'], ['科技', '成果', '转化'], ['中欧班列'], ['长白山'], ['ai', '5g'], ['县'], ['不存在的词语组合']];
    const before = words.map((w) => [...fresh.commitments.sentencesCovering(fresh.scorer.weigh(w), 0.5)]);
    const indexed = new CorpusIndex(s.store);
    let pauses = 0;
    await indexed.commitments.indexSentences(async () => void pauses++);
    assert.ok(pauses >= 1, 'built in steps');
    const after = words.map((w) => [...indexed.commitments.sentencesCovering(indexed.scorer.weigh(w), 0.5)]);
    assert.deepEqual(after, before);
    assert.ok(after.some((l) => l.length > 0) && after.at(-1)!.length === 0);
  });
});

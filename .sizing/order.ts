import { startDevDb } from '../src/store/devdb.ts';
import pg from 'pg';
const db = await startDevDb();
const c = new pg.Client({ connectionString: db.url }); await c.connect();
await c.query(`CREATE TABLE v (id int, e vector(512))`);
await c.query(`INSERT INTO v SELECT i, (SELECT array_agg(random()-0.5)::vector(512) FROM generate_series(1,512) WHERE i > 0) FROM generate_series(1,3000) i`);
await c.query(`CREATE INDEX ON v USING hnsw (e vector_cosine_ops)`);
const q = '[' + Array.from({ length: 512 }, () => (Math.random() - 0.5).toString()).join(',') + ']';
console.log((await c.query(`EXPLAIN SELECT id, e <=> '${q}'::vector AS d FROM v ORDER BY d LIMIT 48`)).rows.map((r) => r['QUERY PLAN']).slice(0, 2).join('\n').slice(0, 300));
for (const [name, sql] of [['twice', `SELECT id, e <=> '${q}'::vector AS d FROM v ORDER BY e <=> '${q}'::vector LIMIT 48`], ['alias', `SELECT id, e <=> '${q}'::vector AS d FROM v ORDER BY d LIMIT 48`], ['param', null]] as const) {
  const t = performance.now();
  for (let i = 0; i < 50; i++) {
    if (sql) await c.query(sql); else await c.query(`SELECT id, e <=> $1::vector AS d FROM v ORDER BY e <=> $1::vector LIMIT 48`, [q]);
  }
  console.log(name, ((performance.now() - t) / 50).toFixed(2), 'ms');
}
await c.end(); await db.stop();

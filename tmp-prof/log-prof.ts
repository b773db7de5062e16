import { BenchApp } from '../bench/bench-app';
import { seed } from '../bench/seed';
const NOW = '2026-06-30T08:00:00Z';
const bench = await BenchApp.create('sqlite', NOW);
const seeded = await seed(bench.db, { groups: 10, membersPerGroup: 100, days: 180, today: '2026-06-30', zone: 'UTC' }, Date.parse(NOW));
const speakers = seeded.members.flatMap((ids, g) => ids.map((_, j) => ({ actor: bench.actor('bench', `m${g}-${j}`), conversation: bench.conversation('bench', `g${g}`) })));
const run = async (n: number) => { for (let i = 0; i < n; i++) { const { actor, conversation } = speakers[i % speakers.length]!; bench.expireLookups(); await bench.command(actor, conversation, '/log 250'); } };
await run(2000);
const { Session } = await import('node:inspector/promises');
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.start');
const t = performance.now();
await run(5000);
console.log('per log us', ((performance.now() - t) / 5000 * 1000).toFixed(1));
const { profile } = await session.post('Profiler.stop') as any;
const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas as number[];
const counts = new Map<number, number>();
profile.samples.forEach((s: number, i: number) => counts.set(s, (counts.get(s) ?? 0) + (dt[i] ?? 0)));
for (const [id, us] of counts) { const n: any = byId.get(id); const cf = n.callFrame; const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/main\//, '')}:${cf.lineNumber}`; self.set(key, (self.get(key) ?? 0) + us); }
const total = [...self.values()].reduce((a, b) => a + b, 0);
// aggregate by file
const byFile = new Map<string, number>();
for (const [k, v] of self) { const f = k.split(' ')[1]!.replace(/:\d+$/, '').replace(/^nm\/([^/]+(\/[^/]+)?)\/.*/, 'nm/$1'); byFile.set(f, (byFile.get(f) ?? 0) + v); }
console.log([...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(100 * v / total).toFixed(1)}% ${k}`).join('\n'));
console.log('---');
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(100 * v / total).toFixed(1)}% ${k}`).join('\n'));
await bench.close();

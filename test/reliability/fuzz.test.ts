import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index';
import type { CommandArgs } from '../../src/core/invocation';
import { describeOptions, type OptionInfo } from '../../src/router/options';
import { Harness, type LogEntry } from '../support/harness';

const INPUTS = 20_000;
const SEED = 20_261_121;
const SPEAKERS = [{ name: 'Ada', admin: true }, { name: 'Bo' }, { name: 'Cy' }];
/** Someone the bot has never seen: their first command would also make them a member. */
const NEWCOMER = { name: 'newcomer' };

/** A value that looks right for an option, or nearly right, or not at all. */
function valueFor(option: OptionInfo): fc.Arbitrary<unknown> {
  const near: fc.Arbitrary<unknown>[] = [
    fc.integer({ min: (option.min ?? 0) - 3, max: (option.max ?? 100_000) + 3 }),
    fc.double({ noNaN: false }),
    fc.constantFrom(...(option.choices ?? ['on', 'off', 'week', 'all'])),
    fc.webUrl(),
    fc.constantFrom('Europe/London', 'America/New_York', 'Mars/Base', '2026-02-30', '2026-03-09', '23:59', '25:00', '@Bo', '<@123>', '0 9 * * 1', '*/1 * * * *'),
  ];
  const wild: fc.Arbitrary<unknown>[] = [
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.string({ minLength: 300, maxLength: 3000 }),
  ];
  return fc.oneof({ arbitrary: fc.oneof(...near), weight: 3 }, { arbitrary: fc.oneof(...wild), weight: 1 });
}

const asText = (value: unknown) => (typeof value === 'string' && /\s/.test(value) ? `"${value}"` : String(value));

/** One command's arguments, as a line of text (console, Slack) or as typed option values (Discord). */
function argsFor(options: OptionInfo[]): fc.Arbitrary<CommandArgs> {
  const named = options.length ? fc.array(fc.constantFrom(...options).chain((o) => valueFor(o).map((v) => `${o.name}:${asText(v)}`)), { maxLength: 4 }) : fc.constant([]);
  const positional = fc.array(options.length ? fc.oneof(...options.map(valueFor)) : fc.string({ maxLength: 20 }), { maxLength: 4 }).map((vs) => vs.map(asText));
  const line = fc.oneof(
    fc.tuple(positional, named).map(([p, n]) => ({ text: [...p, ...n].join(' ') })),
    fc.string({ maxLength: 200 }).map((text) => ({ text })),
    fc.string({ unit: 'grapheme', maxLength: 60 }).map((text) => ({ text })),
  );
  const values = fc
    .record(Object.fromEntries([...options.map((o) => [o.name, valueFor(o)] as const), ['stray', fc.string({ maxLength: 8 })] as const]), { requiredKeys: [] })
    .map((values) => ({ values }));
  return fc.oneof({ arbitrary: line, weight: 3 }, { arbitrary: values, weight: 1 });
}

describe('fuzzing every command', () => {
  let harness: Harness;
  const refusals: LogEntry[] = [];

  beforeAll(async () => {
    harness = await Harness.create({ onLog: (entry) => entry.msg === 'refused' && refusals.push(entry) });
    await harness.text(SPEAKERS[0]!, '/setup timezone:Europe/London');
    for (const speaker of SPEAKERS) await harness.text(speaker, '/log 100');
  });

  afterAll(() => harness.close());

  it(`answers ${INPUTS} generated inputs with a reply or an explanation, and a refused one writes nothing`, async () => {
    const input = fc.tuple(
      fc.constantFrom(...commands.map((c) => ({ name: c.name, options: describeOptions(c.options) }))).chain((c) => argsFor(c.options).map((args) => ({ name: c.name, args }))),
      fc.constantFrom(...SPEAKERS, NEWCOMER, NEWCOMER),
    );
    const inputs = fc.sample(input, { numRuns: INPUTS, seed: SEED });
    // Every table of the schema, people and members included: a table added later is counted too.
    const sqlite = harness.app.database.sqlite!;
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => ({
      name: t.name,
      rows: sqlite.prepare(`SELECT * FROM "${t.name}"`).raw(),
    }));
    const contents = () => new Map(tables.map((t) => { const rows = t.rows.all(); return [t.name, { count: rows.length, json: JSON.stringify(rows) }] as const; }));
    const differences = (before: ReturnType<typeof contents>, after: ReturnType<typeof contents>) =>
      tables.filter((t) => before.get(t.name)!.json !== after.get(t.name)!.json).map((t) => `${t.name} ${before.get(t.name)!.count} -> ${after.get(t.name)!.count} rows`);
    // SQLite counts every row change, kept or rolled back: where it has not moved, nothing was written.
    const changes = () => (sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    let stored = { changes: changes(), contents: contents() };
    let answered = 0;
    let refused = 0;
    let refusedNewcomers = 0;
    const writesWhenRefused: string[] = [];
    for (const [i, [{ name, args }, speaker]] of inputs.entries()) {
      // Each newcomer input comes from a user never seen before.
      const who = speaker === NEWCOMER ? { name: `newcomer${i}` } : speaker;
      const before = stored;
      const refusalsBefore = refusals.length;
      const reply = await harness.deliver({ kind: 'command', name, args, actor: harness.actor(who), conversation: harness.conversation(who), idempotencyKey: `fuzz:${i}` });
      if (reply?.text) answered++;
      if (changes() !== before.changes) stored = { changes: changes(), contents: contents() };
      if (refusals.length > refusalsBefore) {
        refused++;
        if (speaker === NEWCOMER) refusedNewcomers++;
        const changed = differences(before.contents, stored.contents);
        if (changed.length) writesWhenRefused.push(`/${name} ${JSON.stringify(args)} from ${who.name}: ${changed.join(', ')}`);
      }
    }
    console.log(
      `fuzz: ${inputs.length} inputs tried over ${commands.length} commands, ${refused} refused with an explanation (${refusedNewcomers} from newcomers), ${harness.errors.length} unhandled errors, ${writesWhenRefused.length} writes from refused commands`,
    );
    expect(harness.errors.map((e) => e.err?.message ?? e.msg)).toEqual([]);
    expect(answered).toBe(inputs.length);
    expect(writesWhenRefused).toEqual([]);
    // The generator must reach both sides: plenty refused, plenty carried out, by members and newcomers alike.
    expect(refused).toBeGreaterThan(INPUTS / 10);
    expect(refused).toBeLessThan(INPUTS);
    expect(refusedNewcomers).toBeGreaterThan(INPUTS / 10);
    expect(refused - refusedNewcomers).toBeGreaterThan(INPUTS / 10);
  }, 600_000);
});

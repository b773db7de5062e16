import { setImmediate as nextTurn } from 'node:timers/promises';
import pino from 'pino';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/local-date';
import { type PictureSettings, PicturePool } from '../../src/render/picture-pool';
import { svgToPng } from '../../src/render/png';
import { type CalendarData, streakCalendarSvg } from '../../src/render/streak-calendar';
import { drawPicture } from '../../src/services/draw-picture';
import type { LogEntry } from '../support/harness';

const TODAY = '2026-11-21';

function calendar(name: string): CalendarData {
  const words = new Map<string, number>();
  for (let i = 0; i < 365; i += 2) words.set(addDays(TODAY, -i), (i * 137) % 2400);
  return { name, today: TODAY, weekStart: 1, words, frozen: new Set(), vacation: new Set(), current: 1, longest: 9 };
}

const svgs = Array.from({ length: 20 }, (_, i) => streakCalendarSvg(calendar(`Writer ${i}`)));

/** How many turns the event loop makes while `work` runs. */
async function turnsWhile(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const spin = () => {
    if (!running) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  await work();
  running = false;
  return turns;
}

describe('the picture pool', () => {
  let pool: PicturePool;
  const logs: LogEntry[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const open = (settings: Partial<PictureSettings> = {}) => (pool = new PicturePool({ threads: 1, queue: 64, deadlineMs: 60_000, ...settings }, logger));
  afterEach(async () => {
    await pool.close();
    logs.length = 0;
  });

  it('GIVEN 20 pictures at once THEN the event loop keeps turning while they are drawn, and each is the picture drawn here', async () => {
    open();
    const drawn: Uint8Array[] = [];
    const turns = await turnsWhile(async () => drawn.push(...(await Promise.all(svgs.map((svg) => pool.draw(svg))))));
    expect(turns).toBeGreaterThanOrEqual(20);
    expect(drawn.map((png, i) => PNG.sync.read(Buffer.from(png)).data.equals(PNG.sync.read(Buffer.from(svgToPng(svgs[i]!))).data))).toEqual(svgs.map(() => true));
    // The same pictures drawn on this thread hold the loop: not one turn until they are all done.
    expect(await turnsWhile(() => Promise.all(svgs.map(async (svg) => svgToPng(svg))))).toBe(0);
  });

  it('GIVEN a full queue THEN the pictures it cannot take get their text alternative at once, logged once', async () => {
    open({ threads: 1, queue: 4 });
    const settled: string[] = [];
    const results = await Promise.all(
      svgs.map(async (svg, i) => {
        const picture = await drawPicture(logger, { groupId: i, picture: 'streak calendar' }, `calendar ${i} in words`, () => pool.draw(svg));
        settled.push(picture.png ? 'picture' : 'text');
        return picture;
      }),
    );
    // One thread and four waiting: the first five are drawn, and the other fifteen did not wait for them.
    expect(results.map((r) => Boolean(r.png))).toEqual(svgs.map((_, i) => i < 5));
    expect(results.slice(5).map((r) => r.alt)).toEqual(svgs.slice(5).map((_, i) => `calendar ${i + 5} in words`));
    expect(settled).toEqual([...Array(15).fill('text'), ...Array(5).fill('picture')]);
    expect(logs.filter((l) => l.level >= 40).map((l) => [l.msg, l.reason])).toEqual([['pictures are busy: posts carry their text alternative instead until pictures are drawn again', 'queue full']]);
    expect(logs.filter((l) => l.msg === 'pictures are drawn again').map((l) => l.refused)).toEqual([15]);
    expect(logs.filter((l) => l.msg === 'picture could not be drawn')).toEqual([]);
  });

  it('GIVEN a picture past its deadline THEN its post gets the text alternative', async () => {
    // Starting a thread alone takes longer than a millisecond.
    open({ deadlineMs: 1 });
    const late = await drawPicture(logger, { groupId: 1, picture: 'streak calendar' }, 'in words', () => pool.draw(svgs[0]!));
    expect(late).toEqual({ alt: 'in words' });
    expect(logs.map((l) => l.reason)).toContain('deadline passed');
  });

  it('starts no thread until the first picture, and none is left after close', async () => {
    open({ threads: 2 });
    expect(pool.threads).toBe(0);
    await pool.draw(svgs[0]!);
    expect(pool.threads).toBe(1);
    await pool.close();
    expect(pool.threads).toBe(0);
    const after = await drawPicture(logger, { groupId: 1, picture: 'streak calendar' }, 'in words', () => pool.draw(svgs[0]!));
    expect(after).toEqual({ alt: 'in words' });
  });
});

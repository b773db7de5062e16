import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/local-date';
import { CHART_LAYOUT, chartAxes, chartGeometry, type ChartLabel, chartLabels, type FollowerChartData, followerChartAlt, followerChartSvg } from '../../src/render/follower-chart';
import { CARD_LAYOUT, cardHeight, leaderboardCardAlt, type LeaderboardCardData, leaderboardCardSvg } from '../../src/render/leaderboard-card';
import { PicturePool } from '../../src/render/picture-pool';
import { CALENDAR_LAYOUT, type CalendarData, calendarStart, cellCentre, streakCalendarAlt, streakCalendarSvg } from '../../src/render/streak-calendar';
import { PIXEL_RATIO } from '../../src/render/png';
import { drawable, escapeXml, fit, THEME } from '../../src/render/svg';
import { PROJECT_ROOT } from '../support/processes';

const GOLDEN_DIR = join(PROJECT_ROOT, 'test/fixtures/golden');

// Every picture here is drawn as the bot draws it: by a picture worker thread.
const pool = new PicturePool({ threads: 1, queue: 1000, deadlineMs: 60_000 }, pino({ level: 'silent' }));
afterAll(() => pool.close());
const renderStreakCalendar = async (data: CalendarData) => ({ png: await pool.draw(streakCalendarSvg(data)), alt: streakCalendarAlt(data) });
const renderFollowerChart = async (data: FollowerChartData) => ({ png: await pool.draw(followerChartSvg(data)), alt: followerChartAlt(data) });
const renderLeaderboardCard = async (data: LeaderboardCardData) => ({ png: await pool.draw(leaderboardCardSvg(data)), alt: leaderboardCardAlt(data) });

function decode(png: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(png));
}

/** The colour at a point of the layout (pictures are drawn at PIXEL_RATIO pixels per layout pixel). */
function pixel(image: PNG, x: number, y: number): string {
  const i = (Math.round(y * PIXEL_RATIO) * image.width + Math.round(x * PIXEL_RATIO)) * 4;
  return `#${[0, 1, 2].map((k) => image.data[i + k]!.toString(16).padStart(2, '0')).join('')}`;
}

/** Compares with the committed golden picture; UPDATE_GOLDEN=1 rewrites it after a deliberate change. */
function expectMatchesGolden(name: string, png: Uint8Array): void {
  const path = join(GOLDEN_DIR, `${name}.png`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, png);
  if (!existsSync(path)) throw new Error(`no golden picture ${path}: run the tests once with UPDATE_GOLDEN=1 and check the picture`);
  const actual = decode(png);
  const golden = PNG.sync.read(readFileSync(path));
  expect([actual.width, actual.height]).toEqual([golden.width, golden.height]);
  const diff = pixelmatch(actual.data, golden.data, undefined, actual.width, actual.height, { threshold: 0.1 });
  expect(diff / (actual.width * actual.height)).toBeLessThan(0.002);
}

const TODAY = '2026-11-21';

/** A year of writing with gaps, a freeze and a vacation: the same data every run. */
function yearOfWriting(): CalendarData {
  const words = new Map<string, number>();
  for (let i = 0; i < 365; i++) {
    if (i % 9 === 4 || (i >= 40 && i < 47)) continue;
    words.set(addDays(TODAY, -i), (i * 137) % 2400);
  }
  words.set(addDays(TODAY, -2), 0);
  return {
    name: 'Bo the Bard',
    today: TODAY,
    weekStart: 1,
    words,
    frozen: new Set([addDays(TODAY, -4)]),
    vacation: new Set([40, 41, 42, 43, 44, 45, 46].map((i) => addDays(TODAY, -i))),
    current: 12,
    longest: 45,
  };
}

describe('the streak calendar', () => {
  const data = yearOfWriting();
  let png: Uint8Array, alt: string, image: PNG;
  beforeAll(async () => {
    ({ png, alt } = await renderStreakCalendar(data));
    image = decode(png);
  });

  it('is a small PNG of twice the laid-out size', () => {
    expect([image.width, image.height]).toEqual([CALENDAR_LAYOUT.width * 2, CALENDAR_LAYOUT.height * 2]);
    expect(png.length).toBeLessThan(500 * 1024);
  });

  it('fills exactly one cell per logged day in the 26 weeks, in a green shade', () => {
    const greens = new Set<string>(THEME.levels);
    const start = calendarStart(TODAY, 1);
    let filled = 0;
    let loggedInRange = 0;
    for (let d = start; d <= TODAY; d = addDays(d, 1)) {
      const { x, y } = cellCentre(d, data);
      if (greens.has(pixel(image, x, y))) filled++;
      if (data.words.has(d)) loggedInRange++;
    }
    expect(filled).toBe(loggedInRange);
    expect(filled).toBeGreaterThan(100);
  });

  it('marks a freeze day and vacation days in their own colours, and outlines today', () => {
    const freeze = cellCentre(addDays(TODAY, -4), data);
    expect(pixel(image, freeze.x, freeze.y)).toBe(THEME.freeze);
    const vacation = cellCentre(addDays(TODAY, -42), data);
    expect(pixel(image, vacation.x, vacation.y)).toBe(THEME.vacation);
    const missed = cellCentre(addDays(TODAY, -13), data);
    expect(pixel(image, missed.x, missed.y)).toBe(THEME.empty);
    const today = cellCentre(TODAY, data);
    const edge = pixel(image, today.x, today.y - CALENDAR_LAYOUT.cell / 2);
    expect(edge).toBe(THEME.today);
  });

  it('says in words what it shows', () => {
    expect(alt).toBe('Streak calendar for Bo the Bard, the 26 weeks to 2026-11-21: 155 days logged, 1 bridged by a freeze, 7 on vacation. Current streak 12 days, longest 45.');
  });

  it('keeps its layout (golden picture)', () => {
    expectMatchesGolden('streak-calendar', png);
  });
});

describe('the follower growth chart', () => {
  const weeks = ['7 Sep', '14 Sep', '21 Sep', '28 Sep', '5 Oct', '12 Oct', '19 Oct', '26 Oct', '2 Nov', '9 Nov', '16 Nov', '23 Nov'];
  const data: FollowerChartData = {
    title: 'Followers, 12 weeks to 23 Nov',
    weeks,
    members: [
      { name: 'Bo', values: [500, 500, 500, 500, 500, 900, 900, 900, 900, 900, 900, 900] },
      { name: 'Cy', values: [null, null, 300, 310, 320, 330, 340, 350, 360, 370, 380, 390] },
    ],
    total: [500, 500, 800, 810, 820, 1230, 1240, 1250, 1260, 1270, 1280, 1290],
  };
  let png: Uint8Array, alt: string, image: PNG;
  beforeAll(async () => {
    ({ png, alt } = await renderFollowerChart(data));
    image = decode(png);
  });
  const g = chartGeometry(data);

  /** The y of the series' line in a column: the pixel of its colour nearest where the value says. */
  function lineY(colour: string, x: number, expected: number): number {
    for (let dy = 0; dy < 40; dy += 0.5) {
      for (const y of [expected - dy, expected + dy]) if (pixel(image, x, y) === colour) return y;
    }
    throw new Error(`no ${colour} line near (${x}, ${expected})`);
  }

  it('draws a line that rises where the counts rise and stays level where they do not', () => {
    const bo = THEME.series[0];
    const flat = [lineY(bo, g.x(1), g.memberY(500)), lineY(bo, g.x(3), g.memberY(500))];
    const after = lineY(bo, g.x(7), g.memberY(900));
    expect(Math.abs(flat[0]! - flat[1]!)).toBeLessThanOrEqual(1);
    expect(after).toBeLessThan(flat[1]! - 20);
    const total = lineY(THEME.total, g.x(10), g.totalY(1280));
    expect(total).toBeLessThan(lineY(THEME.total, g.x(0), g.totalY(500)));
  });

  it('is small, described in words, and keeps its layout', () => {
    expect(png.length).toBeLessThan(500 * 1024);
    expect(alt).toBe('Follower growth over 12 weeks: the group went from 500 to 1290 followers. Top members now: Bo 900, Cy 390.');
    expectMatchesGolden('follower-chart', png);
  });
});

describe('the leaderboard card', () => {
  it('shows the leaders of each board and keeps its layout', async () => {
    const { png, alt } = await renderLeaderboardCard({
      title: 'Week of 16 Nov: leaders',
      columns: [
        { heading: 'Streaks', rows: [{ rank: 1, name: 'Bo', value: '45 days' }, { rank: 2, name: 'Cy', value: '12 days' }, { rank: 2, name: 'Di', value: '12 days' }] },
        { heading: 'Words', rows: [{ rank: 1, name: 'Cy', value: '8,200' }] },
        { heading: 'Follower growth', rows: [] },
      ],
    });
    expect(alt).toBe('Week of 16 Nov: leaders. Streaks: 1. Bo 45 days, 2. Cy 12 days, 2. Di 12 days. Words: 1. Cy 8,200. Follower growth: nobody yet.');
    expect(decode(png).width).toBe((32 + 3 * 190) * 2);
    expectMatchesGolden('leaderboard-card', png);
  });
});

describe('text XML forbids', () => {
  // Every C0 control (tab, line feed and carriage return are allowed), U+FFFE, U+FFFF and lone surrogates
  // (a low one before a high one: the other way round they would make a pair).
  const FORBIDDEN = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).filter((c) => !'\t\n\r'.includes(c)), '\ufffe', '\uffff', '\udfff', '\ud800'];
  const dirty = `Bo${FORBIDDEN.join('')} the Bard`;

  it('is dropped by the escaper, which still escapes markup', () => {
    for (const c of FORBIDDEN) expect(escapeXml(`a${c}b`), JSON.stringify(c)).toBe('ab');
    expect(escapeXml('<b>"Tom" & \u{1f58b}\t\n</b>')).toBe('&lt;b&gt;&quot;Tom&quot; &amp; \u{1f58b}\t\n&lt;/b&gt;');
  });

  it('draws each picture with such a name as it draws the clean name', async () => {
    const card = async (name: string) =>
      (await renderLeaderboardCard({ title: `Leaders ${name}`, columns: [{ heading: 'Words', rows: [{ rank: 1, name, value: '8,200' }] }] })).png;
    const calendar = async (name: string) => (await renderStreakCalendar({ ...yearOfWriting(), name })).png;
    const chart = async (name: string) => (await renderFollowerChart({ title: 'Followers', weeks: ['1 Nov', '8 Nov'], members: [{ name, values: [10, 20] }], total: [10, 20] })).png;
    for (const draw of [card, calendar, chart]) {
      const picture = decode(await draw(dirty));
      expect(picture.data.equals(decode(await draw('Bo the Bard')).data)).toBe(true);
    }
  });

  it('is never made by shortening a label in the middle of an emoji', () => {
    const label = `${'a'.repeat(8)}${'\u{1f58b}'.repeat(8)}`;
    for (let width = 20; width < 200; width += 3) {
      const cut = fit(label, width);
      expect(cut, String(width)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
  });
});

/** Dark pixels (the ink of text) in a box of the layout. */
function inkIn(image: PNG, box: { left: number; top: number; right: number; bottom: number }): boolean[] {
  const ink: boolean[] = [];
  for (let y = Math.floor(box.top * PIXEL_RATIO); y < box.bottom * PIXEL_RATIO; y++)
    for (let x = Math.floor(box.left * PIXEL_RATIO); x < box.right * PIXEL_RATIO; x++) {
      const i = (y * image.width + x) * 4;
      ink.push(image.data[i]! + image.data[i + 1]! + image.data[i + 2]! < 3 * 128);
    }
  return ink;
}

describe('names in every script', () => {
  // Only where the name itself is drawn (about 8 px a character at most): the words after it move with its width.
  const nameInk = async (name: string, drawnAs = name) =>
    inkIn(decode((await renderStreakCalendar({ ...yearOfWriting(), name })).png), { left: 16, top: 10, right: 16 + 8 * Array.from(drawable(drawnAs)).length, bottom: 34 });
  // Hangul is in none of the shipped faces: a syllable per character draws the name as missing-glyph boxes.
  const boxesFor = (name: string) => nameInk(Array.from(drawable(name), (c) => (/\s/.test(c) ? c : '한')).join(''), name);
  const titleInk = nameInk;
  const scripts: [string, string][] = [
    ['Latin', 'Zoë'],
    ['Cyrillic', 'Жанна'],
    ['Greek', 'Ωμέγα'],
    ['Chinese', '王小明'],
    ['Japanese', 'さくら'],
    ['Arabic', 'محمد'],
    ['Hebrew', 'דוד'],
    ['Devanagari', 'कमला'],
    ['emoji', '🦄🎉'],
  ];

  it.each(scripts)('draws a %s name in ink, not as missing-glyph boxes', async (_, name) => {
    const ink = await titleInk(name);
    expect(ink.filter(Boolean).length).toBeGreaterThan(100);
    const boxes = await boxesFor(name);
    const differing = ink.filter((dark, i) => dark !== boxes[i]).length;
    expect(differing).toBeGreaterThan(100);
  });

  it('draws each script differently (no two render the same shapes)', async () => {
    const inks = await Promise.all(scripts.map(async ([, name]) => (await titleInk(name)).map((d) => (d ? '1' : '0')).join('')));
    expect(new Set(inks).size).toBe(scripts.length);
  });

  it('draws an emoji sequence as its parts rather than boxes', async () => {
    const sequence = await titleInk('👩‍💻👍🏽');
    expect(sequence).toEqual(await titleInk('👩💻👍'));
    const boxes = await boxesFor('👩💻👍');
    expect(sequence.filter((dark, i) => dark !== boxes[i]).length).toBeGreaterThan(150);
  });
});

const WEEKS = ['7 Sep', '14 Sep', '21 Sep', '28 Sep', '5 Oct', '12 Oct', '19 Oct', '26 Oct', '2 Nov', '9 Nov', '16 Nov', '23 Nov'];
const NAMES = ['Bo the Bard', '王小明', 'Жанна Иванова', 'محمد علي', 'प्रिया शर्मा'];

/** The colour's pixel rows in one column of the picture, in layout pixels. */
function rowsOf(image: PNG, colour: string, x: number, from: number, to: number): number[] {
  const rows: number[] = [];
  for (let y = from; y <= to; y += 1 / PIXEL_RATIO) if (pixel(image, x, y) === colour) rows.push(y);
  return rows;
}

const overlaps = (a: ChartLabel['box'], b: ChartLabel['box']) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('the follower chart with realistic data', () => {
  it('has labelled y ticks on both panels', () => {
    const data: FollowerChartData = { title: 'Followers', weeks: WEEKS, members: [{ name: 'Bo', values: WEEKS.map((_, i) => 500 + i * 40) }], total: WEEKS.map((_, i) => 500 + i * 40) };
    const ticks = chartLabels(data).filter((l) => l.anchor === 'end' && l.x < CHART_LAYOUT.left);
    const member = ticks.filter((t) => t.y > CHART_LAYOUT.top - 4);
    const total = ticks.filter((t) => t.y < CHART_LAYOUT.top - 4);
    expect(member.length).toBeGreaterThanOrEqual(3);
    expect(total.length).toBeGreaterThanOrEqual(2);
    expect(member.map((t) => t.text)).toContain('600');
    const svg = followerChartSvg(data);
    for (const tick of ticks) expect(svg).toContain(`>${tick.text}</text>`);
  });

  it('starts each line at its first report and the total at the first count: no segment from 0', async () => {
    const data: FollowerChartData = {
      title: 'Followers',
      weeks: WEEKS,
      members: [
        { name: 'Bo', values: [null, null, null, 500, 510, 520, 530, 540, 550, 560, 570, 580] },
        { name: 'Cy', values: [null, null, null, null, null, null, 300, 310, 320, 330, 340, 350] },
      ],
      total: [0, 0, 0, 500, 510, 520, 830, 850, 870, 890, 910, 930],
    };
    const image = decode((await renderFollowerChart(data)).png);
    const g = chartGeometry(data);
    const { top, bottom, totalTop, totalHeight } = CHART_LAYOUT;
    for (let x = CHART_LAYOUT.left + 3; x < g.x(3) - 3; x += 2) {
      expect(rowsOf(image, THEME.series[0], x, top, bottom)).toEqual([]);
      expect(rowsOf(image, THEME.total, x, totalTop, totalTop + totalHeight)).toEqual([]);
    }
    for (let x = CHART_LAYOUT.left + 3; x < g.x(6) - 3; x += 2) expect(rowsOf(image, THEME.series[1], x, top, bottom)).toEqual([]);
    // ...and they are drawn from there on.
    expect(rowsOf(image, THEME.series[0], g.x(4), top, bottom).length).toBeGreaterThan(0);
    expect(rowsOf(image, THEME.series[1], g.x(8), top, bottom).length).toBeGreaterThan(0);
    expect(rowsOf(image, THEME.total, g.x(4), totalTop, totalTop + totalHeight).length).toBeGreaterThan(0);
  });

  it('keeps members of about 100 apart when one has 100k (log scale)', async () => {
    const small = [100, 130, 170];
    const data: FollowerChartData = {
      title: 'Followers',
      weeks: WEEKS,
      members: [{ name: 'Star', values: WEEKS.map(() => 100_000) }, ...small.map((n, k) => ({ name: `M${k}`, values: WEEKS.map(() => n) }))],
      total: WEEKS.map(() => 100_400),
    };
    const image = decode((await renderFollowerChart(data)).png);
    const g = chartGeometry(data);
    expect(g.memberScale.kind).toBe('log');
    const x = g.x(5);
    const ys = small.map((_, k) => {
      const rows = rowsOf(image, THEME.series[k + 1]!, x, CHART_LAYOUT.top, CHART_LAYOUT.bottom);
      expect(rows.length).toBeGreaterThan(0);
      return rows.reduce((a, b) => a + b, 0) / rows.length;
    });
    // Each 2-pixel line is more than 5 layout pixels (10 rows of the picture) from the next; a linear scale puts them 0.06 apart.
    expect(ys[0]! - ys[1]!).toBeGreaterThan(5);
    expect(ys[1]! - ys[2]!).toBeGreaterThan(5);
    expect(chartLabels(data).some((l) => l.text === '100k')).toBe(true);
  });

  it('never lets two labels overlap, or a label cross an axis, even with close counts and long names', () => {
    const data: FollowerChartData = {
      title: 'Followers, 12 weeks to 23 Nov: a group with a rather long way of saying so',
      weeks: WEEKS,
      members: NAMES.map((name, k) => ({ name: `${name} of the Very Long Name`, values: WEEKS.map((_, i) => (i < k ? null : 1000 + k + i)) })),
      total: WEEKS.map((_, i) => 5000 + i * 5),
    };
    const labels = chartLabels(data);
    expect(labels.length).toBeGreaterThan(15);
    // Ticks close together still read differently.
    const ticks = labels.filter((l) => l.anchor === 'end' && l.x < CHART_LAYOUT.left).map((l) => l.text);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const [i, a] of labels.entries()) for (const b of labels.slice(i + 1)) expect(overlaps(a.box, b.box), `${a.text} / ${b.text}`).toBe(false);
    for (const axis of chartAxes()) {
      const line = { left: Math.min(axis.x1, axis.x2) - 0.5, right: Math.max(axis.x1, axis.x2) + 0.5, top: Math.min(axis.y1, axis.y2) - 0.5, bottom: Math.max(axis.y1, axis.y2) + 0.5 };
      for (const l of labels) expect(overlaps(l.box, line), l.text).toBe(false);
    }
    for (const l of labels) {
      expect(l.box.left).toBeGreaterThanOrEqual(8);
      expect(l.box.right).toBeLessThanOrEqual(CHART_LAYOUT.width - 8);
    }
  });

  it('is twice its layout size and under 500 KB with five members in five scripts', async () => {
    const data: FollowerChartData = {
      title: 'Followers, 12 weeks to 23 Nov',
      weeks: WEEKS,
      members: NAMES.map((name, k) => ({ name, values: WEEKS.map((_, i) => (i < k ? null : 200 * (k + 1) + i * 13)) })),
      total: WEEKS.map((_, i) => 3000 + i * 60),
    };
    const { png } = await renderFollowerChart(data);
    const image = decode(png);
    expect([image.width, image.height]).toEqual([CHART_LAYOUT.width * 2, CHART_LAYOUT.height * 2]);
    expect(png.length).toBeLessThan(500 * 1024);
  });
});

describe('the leaders card with realistic data', () => {
  const column = (heading: string, count: number) => ({ heading, rows: NAMES.slice(0, count).map((name, r) => ({ rank: r + 1, name, value: `${40 - r} days` })) });

  it('is twice its layout size and under 500 KB with full columns in five scripts', async () => {
    const data = { title: 'Week of 16 Nov: leaders', columns: [column('Streaks', 5), column('Words', 5), column('Follower growth', 5)] };
    const { png } = await renderLeaderboardCard(data);
    const image = decode(png);
    expect([image.width, image.height]).toEqual([(32 + 3 * CARD_LAYOUT.columnWidth) * 2, cardHeight(data) * 2]);
    expect(png.length).toBeLessThan(500 * 1024);
  });

  it('leaves no empty bottom third: with two rows the card ends below them', async () => {
    const data = { title: 'Week of 16 Nov: leaders', columns: [column('Streaks', 2), column('Words', 1)] };
    const image = decode((await renderLeaderboardCard(data)).png);
    const height = image.height / PIXEL_RATIO;
    const width = image.width / PIXEL_RATIO;
    const lowestInk = [...Array(Math.floor(height)).keys()].reverse().find((y) => inkIn(image, { left: 12, top: y, right: width - 12, bottom: y + 1 }).some(Boolean))!;
    expect(lowestInk).toBeGreaterThan((height * 2) / 3);
    expect(height).toBeLessThan(76 + 5 * 24 + 16);
  });

  it('cuts a name only when it is wider than its room', () => {
    const fits = 'Jill Li-Fiji Ali'; // 16 narrow letters: wider in characters than in pixels
    const long = 'Maximilian Wolfgang Bartholomew';
    const svg = leaderboardCardSvg({ title: 'Leaders', columns: [{ heading: 'Words', rows: [{ rank: 1, name: fits, value: '8,200' }, { rank: 2, name: long, value: '8,100' }] }] });
    expect(svg).toContain(`>${fits}</text>`);
    expect(svg).not.toContain(long);
    expect(svg).toMatch(/>Maximilian[^<]*…<\/text>/);
  });

  it('shows a row without a rank (a newcomer) with its figure', () => {
    const alt = leaderboardCardAlt({ title: 'Leaders', columns: [{ heading: 'Follower growth', rows: [{ rank: null, name: 'Nia', value: 'new 1,200' }] }] });
    expect(alt).toBe('Leaders. Follower growth: Nia new 1,200.');
  });
});

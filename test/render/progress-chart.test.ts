import { PNG } from 'pngjs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/local-date';
import { PicturePool } from '../../src/render/picture-pool';
import { PIXEL_RATIO } from '../../src/render/png';
import { PROGRESS_COLOURS, PROGRESS_LAYOUT, progressChartAlt, type ProgressChartData, progressChartSvg, progressGeometry } from '../../src/render/progress-chart';
import { THEME } from '../../src/render/svg';

// Drawn as the bot draws it: by a picture worker thread.
const pool = new PicturePool({ threads: 1, queue: 100, deadlineMs: 60_000 }, pino({ level: 'silent' }));
afterAll(() => pool.close());

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** How far the pixel at a layout point is from a colour (0 = the same). */
function distance(image: PNG, x: number, y: number, hex: string): number {
  const i = (Math.round(y * PIXEL_RATIO) * image.width + Math.round(x * PIXEL_RATIO)) * 4;
  const want = rgb(hex);
  return Math.max(...[0, 1, 2].map((k) => Math.abs(image.data[i + k]! - want[k]!)));
}

/** Whether a colour is within a pixel or two of a layout point (lines are anti-aliased at their edges). */
function near(image: PNG, x: number, y: number, hex: string): boolean {
  for (let dx = -1; dx <= 1; dx += 0.5) for (let dy = -1; dy <= 1; dy += 0.5) if (distance(image, x + dx, y + dy, hex) < 40) return true;
  return false;
}

// November: 50,000 words by the 30th. Nothing for nine days, then 2,000 a day from the 10th to the 20th.
const from = '2026-11-01';
const daily: number[] = Array.from({ length: 20 }, (_, i) => (i >= 9 ? 2000 : 0));
const values = daily.map((_, i) => daily.slice(0, i + 1).reduce((a, b) => a + b, 0));
const data: ProgressChartData = { title: 'The November novel', from, to: '2026-11-30', values, target: 50_000, unit: 'words', deadline: true };

describe('the progress chart', () => {
  let image: PNG;
  beforeAll(async () => {
    image = PNG.sync.read(Buffer.from(await pool.draw(progressChartSvg(data))));
  });

  it('is a PNG of twice the laid-out size', () => {
    expect([image.width, image.height]).toEqual([PROGRESS_LAYOUT.width * PIXEL_RATIO, PROGRESS_LAYOUT.height * PIXEL_RATIO]);
  });

  it('draws the par line where the maths puts it: from nothing on the first day to the target on the deadline', () => {
    const g = progressGeometry(data);
    // The par at the end of day i (counted from 0) is target × (i + 1) / 30; the dashes leave gaps, so most, not all, samples land on it.
    const samples = Array.from({ length: 58 }, (_, k) => -0.5 + k * 0.5);
    const onPar = samples.filter((i) => near(image, g.x(i), g.y((50_000 * (i + 1)) / 30), PROGRESS_COLOURS.par));
    expect(onPar.length / samples.length).toBeGreaterThan(0.5);
    // Well above and below the line there is no par colour.
    const off = samples.filter((i) => near(image, g.x(i), g.y((50_000 * (i + 1)) / 30) - 25, PROGRESS_COLOURS.par) || near(image, g.x(i), g.y((50_000 * (i + 1)) / 30) + 25, PROGRESS_COLOURS.par));
    expect(off).toEqual([]);
  });

  it('draws the words flat until the 10th, then rising with them, and stops today', () => {
    const g = progressGeometry(data);
    for (let i = 0; i < values.length; i++) expect(near(image, g.x(i), g.y(values[i]!), PROGRESS_COLOURS.progress), `day ${i + 1}`).toBe(true);
    // Flat along the bottom before the 10th: nothing of the line above it there.
    expect(near(image, g.x(4), g.y(10_000), PROGRESS_COLOURS.progress)).toBe(false);
    // Rising: the 20th stands 22,000 words above the 9th.
    expect(g.y(values[19]!)).toBeLessThan(g.y(values[8]!) - 50);
    // Nothing drawn after today.
    expect(near(image, g.x(25), g.y(values[19]!), PROGRESS_COLOURS.progress)).toBe(false);
    expect(near(image, g.x(25), g.y(0), PROGRESS_COLOURS.progress)).toBe(false);
  });

  it('marks the deadline with a line of its own at the last date', () => {
    const g = progressGeometry(data);
    const x = g.x(29);
    const marked = [0.2, 0.4, 0.6].filter((f) => near(image, x, PROGRESS_LAYOUT.top + f * (PROGRESS_LAYOUT.bottom - PROGRESS_LAYOUT.top), PROGRESS_COLOURS.deadline));
    expect(marked.length).toBeGreaterThan(0);
    expect(near(image, g.x(15), PROGRESS_LAYOUT.top + 0.4 * (PROGRESS_LAYOUT.bottom - PROGRESS_LAYOUT.top), PROGRESS_COLOURS.deadline)).toBe(false);
    expect(distance(image, 5, 160, THEME.background)).toBe(0);
  });

  it('says the same in words', () => {
    expect(progressChartAlt(data)).toBe('The November novel: 22,000 of 50,000 words from 1 Nov to 30 Nov; par for day 20 of 30 is 33,333.');
    expect(addDays(from, values.length - 1)).toBe('2026-11-20');
  });
});

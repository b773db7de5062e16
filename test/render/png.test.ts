import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/render/png';

describe('PNG encoding', () => {
  it('GIVEN resvg pixels, opaque and partly transparent THEN the PNG decodes to what resvg itself encodes', () => {
    // A rounded, half-transparent shape over nothing: edges have every alpha from 0 to 255.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect x="10" y="10" width="100" height="60" rx="18" fill="#3b82f6" fill-opacity="0.6"/><circle cx="40" cy="40" r="20" fill="#f97316"/></svg>`;
    const image = new Resvg(svg).render();
    const ours = PNG.sync.read(Buffer.from(encodePng(image.pixels, image.width, image.height)));
    const theirs = PNG.sync.read(Buffer.from(image.asPng()));
    expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
    const alphas = new Set<number>();
    let largest = 0;
    for (let i = 0; i < theirs.data.length; i++) {
      if (i % 4 === 3) alphas.add(theirs.data[i]!);
      // Both undo resvg's premultiplied alpha; rounding may differ by one step where alpha is tiny.
      if (theirs.data[i + 3 - (i % 4)]! > 8) largest = Math.max(largest, Math.abs(ours.data[i]! - theirs.data[i]!));
    }
    expect(alphas.size).toBeGreaterThan(20);
    expect(largest).toBeLessThanOrEqual(1);
  });
});

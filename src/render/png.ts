import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY, fontFilesFor } from './fonts';

export { FONT_FAMILY } from './fonts';

/** Pictures are drawn at twice their layout size, for high-density screens: same layout, twice the pixels. */
export const PIXEL_RATIO = 2;

/**
 * resvg's pixels live in native memory that V8 does not count, so nothing prompts the collection that
 * frees them and a burst of digests piles them up. Where the process runs with --expose-gc (npm start
 * does), a young-generation collection after each picture (about a millisecond) lets them go.
 */
function collectYoung(): void {
  globalThis.gc?.({ type: 'minor' });
}

// resvg-js 2.6 takes fonts only as files (its options cross to Rust as JSON) and builds its font
// database for each picture. Reading and indexing Inter that way costs about 0.03 ms a picture (the CJK
// face 0.4 ms); the time goes to shaping and drawing the text, so there is nothing to keep between pictures.
function render(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { fontFiles: fontFilesFor(svg), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: PIXEL_RATIO },
    shapeRendering: 2,
    textRendering: 1,
  });
  return resvg.render().asPng();
}

/**
 * Renders an SVG document to PNG bytes, with the shipped fonts only: the same picture on any machine.
 * It holds its thread for the whole render, so the bot calls it only in a picture worker (render-worker.ts).
 */
export function svgToPng(svg: string): Uint8Array {
  const png = render(svg);
  collectYoung();
  return png;
}

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

/** How an SVG document becomes PNG bytes; services are given one, so a test can make it fail. */
export type SvgToPng = (svg: string) => Uint8Array;

function render(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { fontFiles: fontFilesFor(svg), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: PIXEL_RATIO },
    shapeRendering: 2,
    textRendering: 1,
  });
  return resvg.render().asPng();
}

/** Renders an SVG document to PNG bytes, with the shipped fonts only: the same picture on any machine. */
export function svgToPng(svg: string): Uint8Array {
  const png = render(svg);
  collectYoung();
  return png;
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY, fontFilesFor } from './fonts';

export { FONT_FAMILY } from './fonts';

/** Pictures are drawn at twice their layout size, for high-density screens: same layout, twice the pixels. */
export const PIXEL_RATIO = 2;

/**
 * resvg's pixels live in native memory that V8 does not count, so nothing prompts the collection that
 * frees them and a burst of digests piles them up; a young-generation collection after each picture
 * (about a millisecond) lets them go on the next tick.
 */
const collectYoung = ((): (() => void) => {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') return () => gc({ type: 'minor' });
  } catch {
    // Without it pictures are still drawn; their memory is freed by the next ordinary collection.
  }
  return () => {};
})();

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

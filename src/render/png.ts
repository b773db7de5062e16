import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

/** Fonts shipped with the dependencies: the same picture on any machine, with or without system fonts. */
const FONT_FILES = [
  require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
  require.resolve('@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf'),
];

export const FONT_FAMILY = 'Inter';

/** How an SVG document becomes PNG bytes; services are given one, so a test can make it fail. */
export type SvgToPng = (svg: string) => Uint8Array;

/** Renders an SVG document to PNG bytes. */
export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    shapeRendering: 2,
    textRendering: 1,
  });
  return resvg.render().asPng();
}

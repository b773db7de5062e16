import { Resvg } from '@resvg/resvg-js';
import { crc32, deflateSync } from 'node:zlib';
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
  const image = resvg.render();
  return encodePng(image.pixels, image.width, image.height);
}

/** zlib's level 3: as small as resvg's own PNG for these flat pictures, in about a third of the time. */
const DEFLATE_LEVEL = 3;
const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const frame = Buffer.alloc(8);
  frame.writeUInt32BE(data.length, 0);
  frame.writeUInt32BE(crc32(typed), 4);
  return Buffer.concat([frame.subarray(0, 4), typed, frame.subarray(4)]);
}

/**
 * PNG bytes of resvg's pixels (RGBA, alpha premultiplied): rows unfiltered and deflated by Node's
 * zlib. resvg's own encoder filters every row adaptively, which costs more than drawing the picture.
 */
export function encodePng(premultiplied: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width * 4;
  const rows = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) rows.set(premultiplied.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  // PNG keeps straight alpha: undo the premultiplication where a pixel is partly transparent.
  for (let y = 0; y < height; y++) {
    for (let i = y * (stride + 1) + 1, end = i + stride; i < end; i += 4) {
      const alpha = rows[i + 3]!;
      if (alpha === 255 || alpha === 0) continue;
      for (let k = 0; k < 3; k++) rows[i + k] = Math.min(255, Math.round((rows[i + k]! * 255) / alpha));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(rows, { level: DEFLATE_LEVEL })), pngChunk('IEND', Buffer.alloc(0))]);
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

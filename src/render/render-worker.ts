/**
 * The body of a picture worker thread (src/render/picture-pool.ts starts them): one SVG document in,
 * its PNG bytes out. resvg and its native memory live here, away from the event loop.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { move } from 'piscina';
import { useLatinInter } from './fonts';
import { svgToPng } from './png';

// The thread's first picture waits for Inter's Latin cut (made once per machine, then found); if it
// cannot be made, pictures are drawn with the whole face.
const fontsReady = useLatinInter().catch(() => undefined);

export default async function drawInWorker(svg: string) {
  await fontsReady;
  // A plain copy of resvg's buffer can be handed over to the main thread rather than copied again.
  const png = new Uint8Array(svgToPng(svg));
  // The collection after the render only queues the release of resvg's native memory (its pixels):
  // one turn of this thread's loop lets it go before the next picture adds its own.
  await nextTurn();
  return move(png);
}

import { Resvg } from '@resvg/resvg-js';
import { deflateSync, crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { followerChartSvg } from '../src/render/follower-chart';
import { fontFilesFor, useLatinInter } from '../src/render/fonts';
await useLatinInter();
const weeks = Array.from({ length: 12 }, (_, i) => `${i + 1} Apr`);
const svg = followerChartSvg({ title: 'Followers, 12 weeks to 28 Jun', weeks, members: Array.from({ length: 5 }, (_, m) => ({ name: `Writer number ${m}`, values: weeks.map((_, i) => 100 + m * 50 + i * (m + 1)) })), total: weeks.map((_, i) => 10000 + i * 300) });
const mk = () => new Resvg(svg, { font: { fontFiles: fontFilesFor(svg), loadSystemFonts: false, defaultFontFamily: 'Inter' }, fitTo: { mode: 'zoom', value: 2 }, shapeRendering: 2, textRendering: 1 });
const time = (label: string, f: () => unknown) => { f(); const t = performance.now(); let r: any; for (let i = 0; i < 10; i++) r = f(); console.log(label, ((performance.now() - t) / 10).toFixed(1), r?.length ?? ''); };
time('parse', () => mk());
const r = mk();
time('render', () => r.render());
const img = r.render();
console.log(img.width, img.height);
time('asPng', () => img.asPng());
const px = img.pixels;
function chunk(type: string, data: Buffer) { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type, 'latin1'), data]); const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td)); return Buffer.concat([len, td, crc]); }
for (const level of [1, 3, 6]) for (const filter of ['none', 'sub', 'up']) time(`manual L${level} ${filter}`, () => {
  const w = img.width, h = img.height, stride = w * 4;
  const raw = Buffer.alloc((stride + 1) * h);
  for (let y = 0; y < h; y++) {
    const o = y * (stride + 1);
    if (filter === 'none') { raw[o] = 0; px.copy(raw, o + 1, y * stride, y * stride + stride); }
    else if (filter === 'sub') { raw[o] = 1; for (let x = 0; x < stride; x++) raw[o + 1 + x] = (px[y * stride + x]! - (x >= 4 ? px[y * stride + x - 4]! : 0)) & 255; }
    else { raw[o] = 2; for (let x = 0; x < stride; x++) raw[o + 1 + x] = (px[y * stride + x]! - (y > 0 ? px[(y - 1) * stride + x]! : 0)) & 255; }
  }
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level })), chunk('IEND', Buffer.alloc(0))]);
});
time('pngjs L1 f0', () => { const p = new PNG({ width: img.width, height: img.height }); p.data = px; return PNG.sync.write(p, { deflateLevel: 1, filterType: 0 }); });
for (const level of [1, 3, 6]) time(`pngjs L${level} f0 s0`, () => { const p = new PNG({ width: img.width, height: img.height }); p.data = px; return PNG.sync.write(p, { deflateLevel: level, deflateStrategy: 0, filterType: 0 }); });
time('asPng again', () => img.asPng());

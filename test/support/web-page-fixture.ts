import pino from 'pino';
import { HttpServer } from '../../src/http/http-server';
import { webPageListener, type WebPageOptions } from '../../src/http/web-page';
import { Harness } from './harness';
import { WebServer } from './web-server';

const DAY = 24 * 3_600_000;

/** A seeded group, its web page served on 127.0.0.1, and a second group beside it. */
export interface PageFixture {
  h: Harness;
  http: HttpServer;
  web: WebServer;
  /** The origin the page is served on. */
  origin: string;
  /** The group's link, as /dashboard gives it. */
  link: string;
  /** The other group's link. */
  otherLink: string;
  close(): Promise<void>;
}

export const admin = { name: 'Ada', admin: true };
export const otherAdmin = { name: 'Zed', admin: true, channel: 'elsewhere' };

/**
 * Ada, Bo and Cy are shown; Di is hidden everywhere (/privacy leaderboard off) and Ed only from the page
 * (/privacy dashboard off). This week: Ada 500 words, Bo 1,200, Cy 300, Di 5,000, Ed 4,000. Ada's
 * followers went from 100 to 150. Bo's article was read in the first hour by Ada, Cy and Di, later by Ed.
 * Zed's group, in another channel, has Zed writing 777 words and an article of its own.
 * The "spring" challenge (10,000 words in March) has Ada, Bo and Ed in it; Zed's group runs "zedathon".
 * Bo has a goal of 500 words a day and a project, "Novel" (50,000 words by 30 June), that his log went to.
 */
export async function pageFixture(options: Partial<Pick<WebPageOptions, 'rate' | 'freshMs'>> = {}): Promise<PageFixture> {
  const h = await Harness.create({ now: '2026-03-03T10:00:00Z' });
  const web = await WebServer.start();
  web.serve('/my-story', '<html><head><title>The Long Road</title></head><body>story</body></html>', 'text/html; charset=utf-8');
  web.serve('/zed-story', '<html><head><title>Zed Writes</title></head><body>story</body></html>', 'text/html; charset=utf-8');
  await h.send(admin, '/setup Europe/London');
  await h.send(otherAdmin, '/setup UTC');
  await h.send(admin, '/followers 100 medium');
  h.clock.set(Date.parse('2026-03-10T10:00:00Z'));
  await h.send(admin, '/followers 150 medium');
  await h.send(admin, '/challenge create spring 2026-03-01 2026-03-31 words 10000');
  await h.send(otherAdmin, '/challenge create zedathon 2026-03-01 2026-03-31 words 10000');
  for (const speaker of [admin, 'Bo', 'Ed']) await h.send(speaker, '/challenge join spring');
  await h.send(otherAdmin, '/challenge join zedathon');
  await h.send('Bo', '/goal set words 500 day');
  await h.send('Bo', '/project create Novel 50000 2026-06-30');
  await h.send(admin, '/log 500');
  await h.send('Bo', '/log 1200');
  await h.send('Cy', '/log 300');
  await h.send('Di', '/log 5000');
  await h.send('Ed', '/log 4000');
  await h.send('Di', '/privacy leaderboard off');
  await h.send('Ed', '/privacy dashboard off');
  await h.send(otherAdmin, '/log 777');
  await h.send('Bo', `/publish ${web.url('/my-story')}`);
  await h.send({ name: 'Zed', channel: 'elsewhere' }, `/publish ${web.url('/zed-story')}`);
  const announcement = h.adapter.posts.find((p) => p.reply.text.includes('The Long Road'))!;
  const read = announcement.reply.buttons!.find((b) => b.label === 'I read it')!;
  for (const reader of ['Ada', 'Cy', 'Di']) await h.press(reader, read);
  h.clock.set(Date.parse('2026-03-10T12:30:00Z'));
  await h.press('Ed', read);
  const logger = pino({ level: 'silent' });
  const http = new HttpServer(logger);
  http.serveRest(webPageListener({ pages: h.app.services.pages, clock: h.clock, logger, ...options }));
  await http.listen(0, '127.0.0.1');
  h.app.services.pages.useAddress(http.localUrl);
  const linkOf = async (speaker: typeof admin | typeof otherAdmin) => /(http:\/\/\S+)/.exec(await h.text(speaker, '/dashboard'))![1]!;
  return {
    h,
    http,
    web,
    origin: http.localUrl,
    link: await linkOf(admin),
    otherLink: await linkOf(otherAdmin),
    async close() {
      await http.close();
      await web.stop();
      await h.close();
    },
  };
}

export { DAY };

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, screenshotPath, VIEWPORTS } from '../support/browser';
import { projectCopy } from '../support/processes';
import { type PageFixture, pageFixture } from '../support/web-page-fixture';

interface Visit {
  page: Page;
  /** Every host the page asked anything of. */
  hosts: Set<string>;
  /** Console errors and uncaught page errors. */
  errors: string[];
}

async function visit(context: BrowserContext, url: string): Promise<Visit> {
  const page = await context.newPage();
  const hosts = new Set<string>();
  const errors: string[] = [];
  page.on('request', (request) => hosts.add(new URL(request.url()).host));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  // The fonts the stylesheet names are the bot's own, and loaded.
  await page.evaluate('document.fonts.ready.then(() => true)');
  return { page, hosts, errors };
}

describe('the web page in Chromium', () => {
  let browser: Browser;
  let f: PageFixture;
  beforeAll(async () => {
    [browser, f] = await Promise.all([launchChromium(), pageFixture()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  const pages = async () => {
    const body = await (await fetch(f.link)).text();
    const member = /href="(\/g\/[^"]+\/m\/[^"]+)">Bo</.exec(body)![1]!;
    const article = /href="(\/g\/[^"]+\/a\/[^"]+)">The Long Road</.exec(body)![1]!;
    return [
      { name: 'group', url: f.link, shows: ['1,200', '+50 (+50.0%)', 'The Long Road'] },
      { name: 'member', url: f.origin + member, shows: ['1,200', 'Streak calendar for Bo'] },
      { name: 'article', url: f.origin + article, shows: ['Read in the first hour (3)', 'Ada', 'Cy'] },
    ];
  };

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`GIVEN a ${size} in ${colorScheme} THEN every page shows its numbers, asks no other host, logs no error and passes axe`, async () => {
        const context = await browser.newContext({ viewport, colorScheme, isMobile: size === 'phone' });
        try {
          for (const { name, url, shows } of await pages()) {
            const { page, hosts, errors } = await visit(context, url);
            const text = await page.locator('main').innerText();
            for (const expected of shows) expect(text, `${name}: ${expected}`).toContain(expected);
            expect(text, name).not.toMatch(/\bDi\b|\bEd\b|5,000|4,000/);
            expect([...hosts], name).toEqual([new URL(f.origin).host]);
            expect(await page.evaluate('getComputedStyle(document.body).fontFamily')).toMatch(/^Inter/);
            const background = await page.evaluate('getComputedStyle(document.documentElement).backgroundColor');
            expect(background).toBe(colorScheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
            // Nothing wider than the screen: no sideways scrolling on a phone.
            expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), name).toBe(true);
            const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
            expect(serious, name).toEqual([]);
            expect(errors, name).toEqual([]);
            await page.screenshot({ path: screenshotPath(`${name}-${size}-${colorScheme}`), fullPage: true });
            await page.close();
          }
        } finally {
          await context.close();
        }
      }, 60_000);
    }
  }

  it('GIVEN the keyboard only THEN Tab reaches the skip link first, then every link in order, each with a visible focus ring', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    try {
      const { page } = await visit(context, f.link);
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      const first = await page.evaluate('({ text: document.activeElement.textContent, outline: getComputedStyle(document.activeElement).outlineStyle })');
      expect(first).toEqual({ text: 'Bo', outline: 'solid' });
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/m\//);
      expect(await page.locator('h1').innerText()).toBe('Bo');
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the console flow in Chromium', () => {
  let dir: string;
  let project: string;
  let browser: Browser;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'page-console-'));
    project = projectCopy(join(dir, 'project'));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN npm start with piped commands THEN /setup prints a link that opens the group page with the logged words', async () => {
    // npm start itself: it builds, then runs the bundle as README says.
    const child = spawn('npm', ['start', '--silent'], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', SQLITE_PATH: join(dir, 'bot.sqlite'), CONSOLE_USER: 'Ada', CONSOLE_FILES_DIR: join(dir, 'files') },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      // Input stays open while the browser looks: the end of input would stop the bot.
      child.stdin.write('/setup timezone:Europe/London\n/log 1234\n');
      for (let i = 0; i < 1200 && !/1,234 words/.test(stdout); i++) await new Promise((r) => setTimeout(r, 50));
      const link = /^The group's web page: (http:\/\/127\.0\.0\.1:\d+\/g\/[\w-]{24})$/m.exec(stdout)?.[1];
      expect(link, `${stdout}\n${stderr}`).toBeDefined();
      const context = await browser.newContext({ viewport: VIEWPORTS.phone });
      const { page, hosts, errors } = await visit(context, link!);
      expect(await page.locator('main').innerText()).toMatch(/Ada\s+1,234/);
      expect([...hosts]).toEqual([new URL(link!).host]);
      expect(errors).toEqual([]);
      await page.screenshot({ path: screenshotPath('console-group-phone'), fullPage: true });
      await context.close();
    } finally {
      child.stdin.end();
      // Whatever happened above, npm and the bot under it do not outlive the test.
      const stopped = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(stopped);
    }
    expect(await exited).toBe(0);
  }, 120_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/processes';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the real entry point with piped stdin, as `npm start < script.txt` would. */
function startBot(env: NodeJS.ProcessEnv, input?: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    // A free port: tests run side by side, and the page is served on it.
    env: { PATH: process.env.PATH, PORT: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  if (input !== undefined) child.stdin.end(input);
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, output: () => stdout };
}

describe('the console group', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers piped commands line by line and keeps the data in SQLite', async () => {
    const script = [
      '/setup timezone:Europe/London',
      '/log 500 https://medium.com/@me/draft',
      '/log words:300',
      '+200 words on chapter 3',
      'just chatting',
      '/as Bob',
      '/log minutes:abc',
      '/config',
      '/log 50',
      '/streak Ada',
      '/bogus',
      '/help as',
    ].join('\n');
    const sqlitePath = join(dir, 'bot.sqlite');
    const run = await startBot({ SQLITE_PATH: sqlitePath, CONSOLE_USER: 'Ada', CONSOLE_FILES_DIR: join(dir, 'files') }, `${script}\n`).done;
    expect(run.code).toBe(0);
    const picture = new RegExp(`^  picture saved ${join(dir, 'files')}/\\w+-\\d+-streak-calendar\\.png: Streak calendar for Ada, the 26 weeks to \\d{4}-\\d\\d-\\d\\d: 1 day logged`);
    expect(run.stdout.split('\n')).toEqual([
      '✍️ This channel is now a writing group. Days follow Europe/London unless a member sets their own with /timezone; announcements go to #general.',
      'Log your writing with /log 500 (or just post "+500 words"), and check your streak with /streak.',
      expect.stringMatching(/^The group's web page: http:\/\/127\.0\.0\.1:\d+\/g\/[\w-]{24}$/),
      'Welcome to the group, Ada! ✍️ Ada logged: 500 words and a link today · 🔥 1 day in a row',
      '✍️ Ada logged: 300 words today (800 words in all) · 🔥 1 day in a row',
      '[reacted ✅] (only you) ✍️ Ada logged: 200 words and the note “on chapter 3” today (1,000 words in all) · 🔥 1 day in a row',
      '(now speaking as Bob)',
      '(only you) Bad value for minutes: "abc". Expected a whole number from 1 to 1,440.',
      "(only you) Only group admins can use /config: server managers on Discord, workspace admins on Slack, and anyone on the group's admin list.",
      'Welcome to the group, Bob! ✍️ Bob logged: 50 words today · 🔥 1 day in a row',
      "(only you) Ada's streak",
      'Current streak: 1 day 🔥',
      'Longest streak: 1 day',
      'Days logged: 1',
      'Words this week: 1,000',
      'Words in total: 1,000',
      'Freezes: 0 of 2',
      'Logged today. ✔',
      expect.stringMatching(picture),
      "(only you) There's no /bogus command. Type /help to see them all.",
      '/as <name>: speak as another member (console only), so one person can try a whole group. The first speaker is the admin.',
      '',
    ]);
    const db = new Database(sqlitePath, { readonly: true });
    const totals = db.prepare('select count(*) as n, sum(words) as words from logs').get();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(totals).toEqual({ n: 4, words: 1050 });
  });

  it('stops with one line naming a bad setting and what it accepts', async () => {
    const run = await startBot({ DATABASE_URL: 'mysql://root@localhost/bot', SQLITE_PATH: join(dir, 'x.sqlite') }, '').done;
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('Configuration error: DATABASE_URL must be a postgres:// URL (leave it unset to use SQLite).');
    expect(run.stdout).toBe('');
  });

  it('shuts down cleanly on SIGTERM, closing the database', async () => {
    const sqlitePath = join(dir, 'bot.sqlite');
    const bot = startBot({ SQLITE_PATH: sqlitePath, CONSOLE_USER: 'Ada' });
    bot.child.stdin.write('/setup UTC\n/log 42\n');
    for (let i = 0; i < 200 && !bot.output().includes('42 words'); i++) await new Promise((r) => setTimeout(r, 50));
    bot.child.kill('SIGTERM');
    const run = await bot.done;
    expect(run.code).toBe(0);
    const db = new Database(sqlitePath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('select words from logs').all()).toEqual([{ words: 42 }]);
    db.close();
  });
});

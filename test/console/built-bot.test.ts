import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInto, PROJECT_ROOT, startCommand } from '../support/processes';

describe('the built bot, as npm start runs it', () => {
  // Inside the project, so the bundle finds the packages it leaves external, as dist/ does.
  const outdir = join(PROJECT_ROOT, `.built-bot-test-${process.pid}`);
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'built-bot-'));
    await buildInto(outdir);
  });
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws a streak calendar in its picture thread from the bundle, and exits at the end of input', async () => {
    const start = startCommand();
    const files = join(dir, 'files');
    const child = spawn(process.execPath, [...start.flags, join(outdir, 'main.js')], {
      cwd: PROJECT_ROOT,
      env: { ...start.env, PATH: process.env.PATH, PORT: '0', SQLITE_PATH: join(dir, 'bot.sqlite'), CONSOLE_USER: 'Ada', CONSOLE_FILES_DIR: files },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end('/setup timezone:UTC\n/log 500\n/streak\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^ {2}picture saved .*streak-calendar\.png: Streak calendar for Ada/m);
    expect(stdout).not.toContain('could not be drawn');
    const [saved] = readdirSync(files);
    const image = PNG.sync.read(readFileSync(join(files, saved!)));
    expect(image.width).toBeGreaterThan(1000);
  });
});

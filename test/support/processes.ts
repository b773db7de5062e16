import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a TypeScript file of the project in its own Node process (through tsx) and returns its stdout. */
export function runTypeScript(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', file, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * How `npm start` runs the built bot: its environment settings and node flags, read from package.json
 * so that tests and benchmarks run it the same way.
 */
export function startCommand(projectRoot = PROJECT_ROOT): { env: Record<string, string>; flags: string[] } {
  const start: string = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).scripts.start;
  const command = /\b(?:cross-env ((?:\w+=\S+ )*))?node ((?:--\S+ )*)dist\/main\.js/.exec(start);
  if (!command) throw new Error(`cannot find "node ... dist/main.js" in the start script: ${start}`);
  const words = (text = '') => text.split(' ').filter(Boolean);
  return { env: Object.fromEntries(words(command[1]).map((setting) => setting.split('=') as [string, string])), flags: words(command[2]) };
}

/** The esbuild command of `npm run build`, writing to `outdir` instead of dist/. */
export function buildInto(outdir: string): Promise<void> {
  const script: string = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts.build;
  const args = /\besbuild (.*)$/.exec(script)![1]!.split(' ').map((arg) => (arg.startsWith('--outdir=') ? `--outdir=${outdir}` : arg));
  return new Promise((resolve, reject) =>
    execFile(join(PROJECT_ROOT, 'node_modules/.bin/esbuild'), args, { cwd: PROJECT_ROOT }, (error, _stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve())),
  );
}

/**
 * A directory that is the project as `npm start` sees it (package.json, the sources, the installed
 * packages), so a test can run `npm start` itself: its build writes dist/ there, never under a
 * bundle another test is running, and no .env of the project's is read.
 */
export function projectCopy(dir: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(PROJECT_ROOT, 'package.json'), join(dir, 'package.json'));
  for (const entry of ['src', 'commands', 'migrations', 'node_modules']) symlinkSync(join(PROJECT_ROOT, entry), join(dir, entry), 'dir');
  return dir;
}

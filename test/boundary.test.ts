import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/processes';

const PLATFORM_NEUTRAL = ['commands', 'src/core', 'src/router', 'src/domain', 'src/services'];
const PLATFORM_LIBRARY = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](discord\.js|@discordjs\/[^'"]+|@slack\/[^'"]+)['"]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.[cm]?[jt]s$/.test(name) ? [path] : [];
  });
}

describe('layer boundaries', () => {
  it('keeps discord.js and Slack libraries out of commands, core, router, domain and services', () => {
    const offenders = PLATFORM_NEUTRAL.flatMap((dir) => sourceFiles(join(PROJECT_ROOT, dir)))
      .filter((file) => PLATFORM_LIBRARY.test(readFileSync(file, 'utf8')))
      .map((file) => relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('recognises a platform import when it sees one', () => {
    expect(PLATFORM_LIBRARY.test("import { Client } from 'discord.js';")).toBe(true);
    expect(PLATFORM_LIBRARY.test('const { App } = require("@slack/bolt");')).toBe(true);
    expect(PLATFORM_LIBRARY.test("await import('@discordjs/rest')")).toBe(true);
    expect(PLATFORM_LIBRARY.test("import { z } from 'zod';")).toBe(false);
  });

  it('keeps src/core to contracts: it imports nothing from the layers above it', () => {
    const above = /(?:from\s+|import\s*\(\s*)['"]\.\.\/(domain|services|db|router|scheduler|adapters|render|net)\b/;
    const offenders = sourceFiles(join(PROJECT_ROOT, 'src/core')).filter((file) => above.test(readFileSync(file, 'utf8'))).map((file) => relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
    expect(above.test("import type { Group } from '../domain/group';")).toBe(true);
    expect(above.test("import { plain } from './format';")).toBe(false);
  });

  it('keeps the scheduler above the services: services and domain never import src/scheduler', () => {
    const scheduler = /(?:from\s+|import\s*\(\s*)['"]\.\.\/scheduler\b/;
    const offenders = ['src/services', 'src/domain'].flatMap((dir) => sourceFiles(join(PROJECT_ROOT, dir)))
      .filter((file) => scheduler.test(readFileSync(file, 'utf8')))
      .map((file) => relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
    expect(scheduler.test("import { JOB_NAMES } from '../scheduler/jobs';")).toBe(true);
    expect(scheduler.test("import { JOB_NAMES } from '../domain/job-names';")).toBe(false);
  });

  it('keeps test doubles out of the shipped code', () => {
    const offenders = sourceFiles(join(PROJECT_ROOT, 'src')).filter((file) => /\bclass FakeClock\b|from ['"][./]*test\//.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('keeps the domain free of I/O', () => {
    const io = /from\s+['"](node:)?(fs|net|http|https|child_process|pg|better-sqlite3|kysely)['"]/;
    const offenders = sourceFiles(join(PROJECT_ROOT, 'src/domain')).filter((file) => io.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

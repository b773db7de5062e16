import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Services } from '../src/services/index';
import { PROJECT_ROOT } from './support/processes';

const PLATFORM_NEUTRAL = ['commands', 'src/core', 'src/router', 'src/domain', 'src/services'];
const PLATFORM_LIBRARY = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](discord\.js|@discordjs\/[^'"]+|@slack\/[^'"]+)['"]/;

/**
 * The code of a TypeScript source with comments and the text of strings blanked out (a template's
 * `${...}` parts are code and stay), so a search over it finds only what the code does.
 */
function codeOnly(source: string): string {
  let code = '';
  const templates: number[] = []; // brace depth at which each open template's `${` began
  let depth = 0;
  let i = 0;
  const skipText = (quote: string) => {
    for (i++; i < source.length && source[i] !== quote && source[i] !== '\n'; i++) if (source[i] === '\\') i++;
    i++;
  };
  const skipTemplateText = () => {
    for (; i < source.length; i++) {
      if (source[i] === '\\') i++;
      else if (source[i] === '`') return void i++;
      else if (source.startsWith('${', i)) {
        templates.push(depth++);
        return void (i += 2);
      }
    }
  };
  while (i < source.length) {
    const c = source[i]!;
    if (source.startsWith('//', i)) i = source.indexOf('\n', i) === -1 ? source.length : source.indexOf('\n', i);
    else if (source.startsWith('/*', i)) i = source.indexOf('*/', i) === -1 ? source.length : source.indexOf('*/', i) + 2;
    else if (c === "'" || c === '"') {
      skipText(c);
      code += ' ';
    } else if (c === '`') {
      i++;
      skipTemplateText();
      code += ' ';
    } else if (c === '}' && templates.at(-1) === depth - 1) {
      templates.pop();
      depth--;
      i++;
      skipTemplateText();
      code += ' ';
    } else {
      if (c === '{') depth++;
      if (c === '}') depth--;
      code += c;
      i++;
    }
  }
  return code;
}

/** A property read spelled in snake_case: a storage column's name, which commands never see. */
const SNAKE_CASE_PROPERTY = /\.[a-z][a-z0-9]*_[a-z0-9_]+\b/;
/** An import from the storage layer. */
const STORAGE_IMPORT = /(?:from\s+|import\s*\(\s*)['"][./]*src\/db\//;

/** The snake_case keys anywhere in a value's type, a few levels down: storage column names, when a row leaks out. */
type SnakeCaseKeys<T, Depth extends unknown[] = []> = Depth['length'] extends 4
  ? never
  : T extends readonly (infer E)[]
    ? SnakeCaseKeys<E, [...Depth, 0]>
    : T extends ReadonlyMap<unknown, infer V>
      ? SnakeCaseKeys<V, [...Depth, 0]>
      : T extends (...args: never[]) => unknown
        ? never
        : T extends object
          ? { [K in keyof T]-?: (K extends `${string}_${string}` ? (K extends Lowercase<K> ? K : never) : never) | SnakeCaseKeys<T[K], [...Depth, 0]> }[keyof T]
          : never;

/** Every service method whose result has a snake_case key, as 'service.method:key'. */
type ServiceResultsWithColumns = {
  [S in keyof Services]: {
    [M in keyof Services[S]]: Services[S][M] extends (...args: never[]) => infer R ? `${S & string}.${M & string}:${SnakeCaseKeys<Awaited<R>> & string}` : never;
  }[keyof Services[S]];
}[keyof Services];

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

  it('keeps storage rows below the services: no service result has a column, commands import nothing from src/db and read none', () => {
    // Checked by the type checker: a method handing back a row names itself here.
    expectTypeOf<Exclude<ServiceResultsWithColumns, `${string}:`>>().toEqualTypeOf<never>();
    expectTypeOf<SnakeCaseKeys<{ duplicate: false; removed: { id: number; local_date: string } }>>().toEqualTypeOf<'local_date'>();
    expectTypeOf<SnakeCaseKeys<{ feeds: { lastError: string | null }[]; byMember: Map<number, { BYTES_PER: number }> }>>().toEqualTypeOf<never>();
    const files = sourceFiles(join(PROJECT_ROOT, 'commands'));
    expect(files.length).toBeGreaterThan(0);
    const offenders = files
      .filter((file) => {
        const source = readFileSync(file, 'utf8');
        return STORAGE_IMPORT.test(source) || SNAKE_CASE_PROPERTY.test(codeOnly(source));
      })
      .map((file) => relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('recognises a storage import or a column read in a command, and not a string that looks like one', () => {
    expect(STORAGE_IMPORT.test("import type { LogRow } from '../src/db/log.table';")).toBe(true);
    expect(STORAGE_IMPORT.test("import { plain } from '../src/core/format';")).toBe(false);
    expect(SNAKE_CASE_PROPERTY.test(codeOnly('formatDate(removed.local_date)'))).toBe(true);
    expect(SNAKE_CASE_PROPERTY.test(codeOnly('`failing: ${plain(f.last_error)} won\'t stop`'))).toBe(true);
    expect(SNAKE_CASE_PROPERTY.test(codeOnly('`${`${a}`} ${s.recorded_at}`'))).toBe(true);
    expect(SNAKE_CASE_PROPERTY.test(codeOnly("const key = 'logs.local_date'; // see row.event_key"))).toBe(false);
    expect(SNAKE_CASE_PROPERTY.test(codeOnly('`see ${url} or docs.example_page`'))).toBe(false);
    expect(SNAKE_CASE_PROPERTY.test(codeOnly('formatDate(removed.date)'))).toBe(false);
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

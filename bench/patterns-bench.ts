import { compileLogPattern, logTriggerFor, MAX_MESSAGE_CHARS, readChatLog } from '../src/domain/chat-log';
import type { Figure } from './figure';
import { now } from './measure';

const LINE = 100_000;
const ROUNDS = 3;
/** The default trigger answers in microseconds: timed over many runs so the clock can see it. */
const BASELINE_RUNS = 200;

/** `length` characters of `unit` repeated, then `end`: the shape of line that makes a pattern backtrack. */
const line = (unit: string, end = '') => (length: number) => unit.repeat(Math.floor((length - end.length) / unit.length)) + end;

/**
 * The patterns that keep a backtracking engine busy longest, each with its worst line; then the slowest
 * for RE2 itself: repeats that compile to nearly the largest program accepted, on lines where they match.
 */
const WORST: [pattern: string, worstLine: (length: number) => string][] = [
  ['(a+)+$', line('a', '!')],
  ['(a|a)*b', line('a')],
  ['(a*)*b', line('a')],
  ['(x+x+)+y', line('x')],
  ['(.*a){25}', line('a')],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', line('a', '!')],
  ['(a|aa)+$', line('a', '!')],
  ['(\\w+\\s?)+$', line('ab ', '!')],
  ['(\\d+|\\w+)*!x', line('1a', '!')],
  ['(.*a){49}', line('a')],
  ['(a|aa){40}$', line('a')],
  ['(\\w+\\s?){40}$', line('ab ')],
  ['(?:.*\\pL.*\\pN){40}', line('a1')],
  ['(.*?){60}b', line('a', 'b')],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Milliseconds per call, over `runs` calls. */
function perCall(runs: number, work: () => unknown): number {
  const start = now();
  for (let i = 0; i < runs; i++) work();
  return (now() - start) / runs;
}

/**
 * Matching the worst patterns on RE2, on a 100,000-character line and on a chat message (read as its
 * first 4,000 characters), against the default trigger on the same text, measured side by side.
 */
export async function patternsBench(): Promise<Figure[]> {
  const cases = WORST.map(([pattern, worstLine]) => {
    const trigger = compileLogPattern(pattern);
    if (typeof trigger === 'string') throw new Error(`${pattern} is refused: ${trigger}`);
    const message = worstLine(MAX_MESSAGE_CHARS) + worstLine(LINE - MAX_MESSAGE_CHARS);
    return { pattern, trigger, text: worstLine(LINE), message };
  });
  const defaultTrigger = logTriggerFor(null);
  // One list of timings per pattern; the rounds alternate with the baseline, so load weighs on both alike.
  const lineMs = cases.map((): number[] => []);
  const lineBaselineMs = cases.map((): number[] => []);
  const messageMs = cases.map((): number[] => []);
  const messageBaselineMs = cases.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    cases.forEach(({ pattern, trigger, text, message }, i) => {
      lineBaselineMs[i]!.push(perCall(BASELINE_RUNS, () => defaultTrigger.find(text)));
      lineMs[i]!.push(perCall(1, () => trigger.find(text)));
      messageBaselineMs[i]!.push(perCall(BASELINE_RUNS, () => readChatLog(message, null)));
      messageMs[i]!.push(perCall(1, () => readChatLog(message, pattern)));
    });
  }
  const slowest = (subject: number[][], baseline: number[][], name: string, target: number, what: string): Figure => {
    const medians = subject.map(median);
    const worst = medians.indexOf(Math.max(...medians));
    const value = medians[worst]!;
    const base = median(baseline[worst]!);
    const others = medians.map((ms, i) => `${cases[i]!.pattern} ${ms.toFixed(1)}`).join(', ');
    // The default trigger is anchored at the start and gives up at once on these lines: a ratio to it says
    // nothing, so the target is absolute and the ratio left out.
    return {
      name,
      value,
      unit: 'ms',
      baseline: base,
      ratio: null,
      target: `<= ${target} ms`,
      met: value <= target,
      notes: `${what} (${(base * 1000).toFixed(2)} µs); slowest ${cases[worst]!.pattern}; every pattern (ms): ${others}`,
    };
  };
  return [
    slowest(lineMs, lineBaselineMs, 'patterns', 2000, `the slowest of ${cases.length} worst patterns on a ${LINE.toLocaleString('en')}-character line, against the default trigger on it`),
    slowest(messageMs, messageBaselineMs, 'patterns (message)', 100, `a ${LINE.toLocaleString('en')}-character chat message read as a log with the slowest pattern, against the default trigger`),
  ];
}

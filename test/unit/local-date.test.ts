import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, canonicalZone, zoneForAbbreviation, dayEnd, dayNumber, daysBetween, fromDayNumber, isLocalDate, localDateOf } from '../../src/domain/local-date';

const at = (iso: string) => Date.parse(iso);

describe('local dates', () => {
  it('does calendar arithmetic across month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2);
    expect(daysBetween('2026-03-09', '2026-03-07')).toBe(-2);
  });

  it('numbers days exactly as the Date calendar does, both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const date = new Date(ms).toISOString().slice(0, 10);
        const expected = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
        expect(dayNumber(date)).toBe(expected);
        expect(fromDayNumber(expected)).toBe(date);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-2-3')).toBe(false);
    expect(isLocalDate('yesterday')).toBe(false);
  });

  it('finds the local date in zones with half-hour, 45-minute and extreme offsets', () => {
    const instant = at('2026-06-15T18:40:00Z');
    expect(localDateOf(instant, { zone: 'Asia/Kolkata', rolloverHour: 0 })).toBe('2026-06-16'); // 00:10
    expect(localDateOf(instant, { zone: 'Asia/Kathmandu', rolloverHour: 0 })).toBe('2026-06-16'); // 00:25
    expect(localDateOf(instant, { zone: 'Pacific/Kiritimati', rolloverHour: 0 })).toBe('2026-06-16'); // 08:40
    expect(localDateOf(instant, { zone: 'Etc/GMT+12', rolloverHour: 0 })).toBe('2026-06-15'); // 06:40
  });

  it('counts an hour before the rollover hour as the previous day', () => {
    const calendar = { zone: 'Europe/London', rolloverHour: 3 };
    expect(localDateOf(at('2026-01-10T01:30:00Z'), calendar)).toBe('2026-01-09');
    expect(localDateOf(at('2026-01-10T03:00:00Z'), calendar)).toBe('2026-01-10');
  });

  it('knows a DST day is 23 or 25 hours long', () => {
    const ny = { zone: 'America/New_York', rolloverHour: 0 };
    expect(dayEnd('2026-03-08', ny) - dayEnd('2026-03-07', ny)).toBe(23 * 3_600_000);
    expect(dayEnd('2026-11-01', ny) - dayEnd('2026-10-31', ny)).toBe(25 * 3_600_000);
    const london = { zone: 'Europe/London', rolloverHour: 0 };
    expect(dayEnd('2026-03-29', london) - dayEnd('2026-03-28', london)).toBe(23 * 3_600_000);
  });

  it('canonicalises zone names and refuses what is not an IANA zone', () => {
    expect(canonicalZone('europe/london')).toBe('Europe/London');
    expect(canonicalZone(' Asia/Kolkata ')).toBe('Asia/Kolkata');
    expect(canonicalZone('asia/kolkata')).toBe('Asia/Kolkata');
    expect(canonicalZone('america/new_york')).toBe('America/New_York');
    expect(canonicalZone('Mars/Olympus')).toBeUndefined();
    expect(canonicalZone('+05:00')).toBeUndefined();
    expect(canonicalZone('')).toBeUndefined();
    expect(canonicalZone('utc')).toBe('UTC');
    expect(canonicalZone('etc/gmt+5')).toBe('Etc/GMT+5');
    // Clock abbreviations have no daylight-saving rules: refused, with the zone people mean.
    expect(canonicalZone('est')).toBeUndefined();
    expect(canonicalZone('EST')).toBeUndefined();
    expect(zoneForAbbreviation('est')).toBe('America/New_York');
    expect(zoneForAbbreviation('MST')).toBe('America/Denver');
    expect(zoneForAbbreviation('Europe/London')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { fewShapedBatches } from '../../src/db/batches';

describe('batches of a few shapes', () => {
  it('GIVEN any number of items THEN cuts them, in order, into batches of 128, 32, 8 or 1', () => {
    for (const count of [0, 1, 7, 8, 9, 100, 128, 300, 1000]) {
      const items = Array.from({ length: count }, (_, i) => i);
      const batches = fewShapedBatches(items);
      expect(batches.flat(), `${count}`).toEqual(items);
      expect(batches.every((b) => [128, 32, 8, 1].includes(b.length)), `${count}`).toBe(true);
    }
  });

  it('GIVEN 1000 items THEN needs 11 statements, not 1000', () => {
    expect(fewShapedBatches(Array.from({ length: 1000 }, (_, i) => i)).map((b) => b.length)).toEqual([128, 128, 128, 128, 128, 128, 128, 32, 32, 32, 8]);
  });
});

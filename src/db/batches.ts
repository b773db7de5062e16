/** Batch sizes, largest first: every batch is one of these, so a statement comes in a few shapes only. */
const BATCH_SIZES = [128, 32, 8, 1];

/**
 * `items` cut into batches of a few fixed sizes (128, 32, 8, 1), for multi-row inserts and IN lists:
 * the SQLite statement cache and Postgres's named statements then hold four shapes of a query,
 * not one per length.
 */
export function fewShapedBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  let start = 0;
  for (const size of BATCH_SIZES) {
    while (items.length - start >= size) {
      batches.push(items.slice(start, start + size));
      start += size;
    }
  }
  return batches;
}

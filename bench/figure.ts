/** One measured figure, as bench/results.json and the README report it. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The same work done the simplest way, measured in the same run; null when the target is absolute. */
  baseline: number | null;
  ratio: number | null;
  target: string;
  met: boolean;
  /** Anything else worth knowing about the figure (p50 next to a p99, the dialect). */
  notes?: string;
}

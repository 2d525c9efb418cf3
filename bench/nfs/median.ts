// The median the benchmark comparisons report for a figure measured in several rounds.

/** Of the values present (a round that lacks the figure counts as undefined). */
export function median(values: ReadonlyArray<number | undefined>): number {
  const sorted = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

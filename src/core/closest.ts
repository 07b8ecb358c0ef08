// "Did you mean": the known name closest to what was written (Levenshtein distance), for config
// keys, brands and User Profile fields. No dependencies, so the CLI's start-up path may use it.

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const here = row[j] ?? 0;
      row[j] = Math.min(here + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length] ?? 0;
}

/** The known name closest to what was written (case-insensitive, at most 2 edits), if any. */
export function closestName(written: string, known: readonly string[]): string | undefined {
  const w = written.trim().toLowerCase();
  if (w.length > 64) return undefined;
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(w, name.toLowerCase());
    if (d <= Math.min(2, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

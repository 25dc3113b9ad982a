/** Names for "Keep both" on a same-name import (pure). */

/** "report.pdf" → "report (2).pdf", "report (3).pdf", … the first not in `taken` (case-insensitive). */
export function distinctName(name: string, taken: ReadonlySet<string>): string {
  const lower = new Set([...taken].map((n) => n.toLowerCase()));
  if (!lower.has(name.toLowerCase())) return name;
  const dot = name.lastIndexOf('.');
  const [stem0, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const stem = stem0.replace(/ \(\d+\)$/, ''); // "report (2).pdf" again → "report (3).pdf", not "report (2) (2).pdf"
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
}

/** The newest item among `items` whose title is exactly `name` (what a same-name import would replace). */
export function sameNamed<T extends { title: string; updatedAt: number }>(items: readonly T[], name: string): T | undefined {
  return items.filter((i) => i.title === name).sort((a, b) => b.updatedAt - a.updatedAt)[0];
}

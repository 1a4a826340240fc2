// Class picker search over the manifest's class names (1000 ImageNet names for official sets): by id
// ("207"), by name substring ("retriever"), ranked so exact ids and name prefixes come first.

export interface ClassMatch {
  readonly id: number;
  readonly name: string;
}

const RANK_EXACT_ID = 0;
const RANK_NAME_PREFIX = 1;
const RANK_WORD_PREFIX = 2;
const RANK_SUBSTRING = 3;

function rank(query: string, id: number, name: string): number | null {
  if (/^\d+$/.test(query)) return String(id) === query ? RANK_EXACT_ID : null;
  const lower = name.toLowerCase();
  if (lower.startsWith(query)) return RANK_NAME_PREFIX;
  if (lower.split(/[\s,_-]+/).some((word) => word.startsWith(query))) return RANK_WORD_PREFIX;
  return lower.includes(query) ? RANK_SUBSTRING : null;
}

/** Matching classes, best first (ties keep id order); an empty query lists every class. */
export function searchClasses(names: readonly string[], query: string, limit = 50): ClassMatch[] {
  const needle = query.trim().toLowerCase();
  const ranked: { match: ClassMatch; rank: number }[] = [];
  names.forEach((name, id) => {
    const r = needle === '' ? 0 : rank(needle, id, name);
    if (r !== null) ranked.push({ match: { id, name }, rank: r });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.match.id - b.match.id);
  return ranked.slice(0, limit).map((entry) => entry.match);
}

export function randomClassId(count: number, random: () => number = Math.random): number {
  return Math.min(count - 1, Math.floor(random() * count));
}

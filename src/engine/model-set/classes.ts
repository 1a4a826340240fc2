// Class lookup for the CLI and the URL: an id or a case-insensitive name, with suggestions for typos.
import { UnknownClassError } from '../errors';
import type { ModelSetManifest } from './schema';

/** Levenshtein distance, for class-name suggestions. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] as number;
}

/** A class id (number or digit string) or a case-insensitive class name → id; UnknownClassError otherwise. */
export function resolveClass(manifest: ModelSetManifest, idOrName: string | number): number {
  const { names, count } = manifest.classes;
  const text = String(idOrName).trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    if (id < count) return id;
    throw new UnknownClassError(`class id ${id} is out of range: ${manifest.id} has classes 0..${count - 1}`);
  }
  const wanted = text.toLowerCase();
  const matches = names.flatMap((name, id) => (name.toLowerCase() === wanted ? [id] : []));
  if (matches.length === 1) return matches[0] as number;
  if (matches.length > 1) {
    throw new UnknownClassError(
      `class name "${text}" is ambiguous (ids ${matches.join(', ')}); give the id instead`,
    );
  }
  const ranked = names
    .map((name, id) => {
      const lower = name.toLowerCase();
      const distance = lower.includes(wanted) || wanted.includes(lower) ? 0 : editDistance(wanted, lower);
      return { name, id, distance };
    })
    .filter((c) => wanted.length > 0 && c.distance <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.id - b.id)
    .slice(0, 5);
  const hint = ranked.length
    ? `; did you mean ${ranked.map((c) => `"${c.name}" (${c.id})`).join(', ')}?`
    : ` (give an id 0..${count - 1} or a class name such as "${names[0]}")`;
  throw new UnknownClassError(`unknown class "${text}"${hint}`);
}

// The studio-wide notice collects lines instead of replacing them: at start-up a link value, a class the
// loaded set lacks and a stored value set aside can all be wrong at once, and each must be read.

/** `existing` and `added` as one notice (an identical line is not repeated); null when both are empty. */
export function joinNotices(existing: string | null, added: string | null): string | null {
  if (!added) return existing;
  if (!existing) return added;
  if (existing.split('\n').includes(added)) return existing;
  return `${existing}\n${added}`;
}

// The one "concatenate typed arrays" of the code base (PNG chunks, torch reference draws, batches).

/** A typed array of the kind concatenated here: bytes or float32 values. */
type Concatenable = Uint8Array | Float32Array;

/** `parts` end to end in one new array of the same kind (an empty list gives an empty Uint8Array). */
export function concatTypedArrays<T extends Concatenable>(parts: readonly T[]): T {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const first = parts[0];
  const out = (first ? new (first.constructor as new (length: number) => T)(total) : new Uint8Array(0)) as T;
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

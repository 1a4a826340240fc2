// describeError: every named error class of errors.ts has its own title (a class added without a row
// fails here and in tsc), and any thrown value becomes one readable line.
import { describe, expect, it } from 'vitest';
import { describeError, describeErrorParts } from '../../../src/engine/api/describe-error';
import * as errors from '../../../src/engine/errors';

type NamedClass = new (message: string) => errors.SvgStudioError;
const NAMED = (Object.entries(errors) as [string, unknown][]).filter(
  (entry): entry is [string, NamedClass] =>
    typeof entry[1] === 'function' && entry[1].prototype instanceof errors.SvgStudioError,
);

describe('describeError', () => {
  it('knows every named error class', () => {
    expect(NAMED.length).toBeGreaterThanOrEqual(13);
    const titles = new Set<string>();
    for (const [name, Named] of NAMED) {
      const parts = describeErrorParts(new Named(`${name} detail`));
      expect(parts.title, name).not.toBe('Unexpected error');
      expect(parts.detail).toBe(`${name} detail`);
      titles.add(parts.title);
    }
    expect(titles.size).toBe(NAMED.length);
  });

  it('adds the next step where there is one, keeping the message that names the file', () => {
    expect(describeError(new errors.IntegrityError('dit.onnx: size is 3 bytes, the manifest says 4'))).toBe(
      'dit.onnx: size is 3 bytes, the manifest says 4. The file is incomplete or was replaced; load the set again to fetch a fresh copy.',
    );
    expect(describeError(new errors.ResultMetadataError('notes.txt: not a PNG file'))).toBe(
      'notes.txt: not a PNG file',
    );
  });

  it('tells a missing local file by its path to put the set back, not to check the connection', () => {
    const missing = new errors.LocalModelFileError(
      '/sets/tiny/dit.onnx: cannot open the model file (ENOENT: no such file or directory)',
      { path: '/sets/tiny/dit.onnx' },
    );
    expect(describeError(missing)).toBe(
      '/sets/tiny/dit.onnx: cannot open the model file (ENOENT: no such file or directory). Check that /sets/tiny/dit.onnx exists and is a readable file; if it is missing, copy the whole model-set folder again or re-export the set, then load it again.',
    );
    // rebuilt across the worker the path field is gone: the hint points at the message's path instead
    const rebuilt = errors.deserializeError(errors.serializeError(missing));
    expect(rebuilt).toBeInstanceOf(errors.LocalModelFileError);
    expect(describeErrorParts(rebuilt).hint).toMatch(/^Check that the file named above exists/);
  });

  it('survives errors rebuilt from the worker protocol', () => {
    const rebuilt = errors.deserializeError(errors.serializeError(new errors.StorageError('quota full')));
    expect(describeErrorParts(rebuilt).title).toBe('Browser storage failed');
  });

  it.each([
    [
      new TypeError("Cannot read properties of null (reading 'classId')"),
      "Cannot read properties of null (reading 'classId')",
    ],
    [new DOMException('blocked', 'SecurityError'), 'SecurityError: blocked'],
    ['a string', 'a string'],
    [undefined, 'undefined'],
    [{ code: 'x' }, '[object Object]'],
    [new Error(''), 'Error'],
  ])('describes %s', (thrown, expected) => {
    expect(describeError(thrown)).toBe(expected);
  });
});

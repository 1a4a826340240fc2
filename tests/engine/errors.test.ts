import { describe, expect, it } from 'vitest';
import {
  deserializeError,
  IntegrityError,
  ManifestError,
  SamplingCancelledError,
  serializeError,
  SvgStudioError,
  UnknownClassError,
} from '../../src/engine/errors';

describe('engine errors', () => {
  it('carry a stable code and their class name', () => {
    const error = new UnknownClassError('unknown class "zebra"');
    expect(error).toBeInstanceOf(SvgStudioError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('unknown-class');
    expect(error.name).toBe('UnknownClassError');
    expect(new SamplingCancelledError('x').code).toBe('cancelled');
    expect(new IntegrityError('x').code).toBe('integrity');
  });

  it('survive serialisation across the worker boundary', () => {
    const original = new ManifestError('manifest.json: latent.mean has 103 values');
    const copy = deserializeError(JSON.parse(JSON.stringify(serializeError(original))));
    expect(copy).toBeInstanceOf(SvgStudioError);
    expect(copy).toBeInstanceOf(original.constructor);
    expect([copy.code, copy.name, copy.message]).toEqual([original.code, original.name, original.message]);
    expect(serializeError(new TypeError('boom'))).toEqual({
      code: 'runtime',
      name: 'TypeError',
      message: 'boom',
    });
    expect(serializeError('text')).toEqual({ code: 'runtime', name: 'Error', message: 'text' });
  });
});

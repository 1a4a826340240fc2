// Named errors of the engine. Each carries a stable `code` so the worker protocol can serialise it and
// the UI can map it to a message; `serializeError`/`deserializeError` are the two ends of that trip.

export type ErrorCode =
  | 'manifest-invalid'
  | 'integrity'
  | 'model-fetch'
  | 'model-file-local'
  | 'model-io-mismatch'
  | 'unknown-class'
  | 'invalid-setting'
  | 'cancelled'
  | 'image-decode'
  | 'npy'
  | 'usage'
  | 'result-metadata'
  | 'storage'
  | 'model-too-large'
  | 'non-finite-latent'
  | 'runtime';

export class SvgStudioError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

const define = (code: ErrorCode) =>
  class extends SvgStudioError {
    constructor(message: string, options?: { cause?: unknown }) {
      super(code, message, options);
    }
  };

export class ManifestError extends define('manifest-invalid') {}
export class IntegrityError extends define('integrity') {}
export class ModelFetchError extends define('model-fetch') {}
/**
 * A model file of a set on this machine (a CLI `--models` folder, a file: URL, picked files) is missing
 * or not a readable regular file: nothing to download again, the set's files have to be put back.
 */
export class LocalModelFileError extends SvgStudioError {
  /** the path the reader tried; '' when unknown (an error rebuilt from the worker protocol) */
  readonly path: string;

  constructor(message: string, options?: { cause?: unknown; path?: string }) {
    super('model-file-local', message, options);
    this.path = options?.path ?? '';
  }
}
export class ModelIoMismatchError extends define('model-io-mismatch') {}
export class UnknownClassError extends define('unknown-class') {}
export class InvalidSettingError extends define('invalid-setting') {}
export class SamplingCancelledError extends define('cancelled') {}
export class ImageDecodeError extends define('image-decode') {}
export class NpyFormatError extends define('npy') {}
export class RuntimeFailureError extends define('runtime') {}
/** A dropped or opened PNG that is not one of ours, or whose metadata is damaged. */
export class ResultMetadataError extends define('result-metadata') {}
/** Browser storage (IndexedDB, Cache Storage) unavailable or full. */
export class StorageError extends define('storage') {}
/** A model set whose estimated memory exceeds what this device can hold. */
export class ModelTooLargeError extends define('model-too-large') {}
/** Sampling produced NaN or infinity (e.g. an extreme guidance scale): the result is refused, never stored. */
export class NonFiniteLatentError extends define('non-finite-latent') {}

export interface SerializedError {
  readonly code: string;
  readonly name: string;
  readonly message: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof SvgStudioError) return { code: error.code, name: error.name, message: error.message };
  if (error instanceof Error) return { code: 'runtime', name: error.name, message: error.message };
  return { code: 'runtime', name: 'Error', message: String(error) };
}

type NamedErrorClass = new (message: string) => SvgStudioError;

/** Every named error class (add new ones here): the receiving side of the worker protocol rebuilds
 * the same class, so `instanceof SamplingCancelledError` works on the main thread. */
const NAMED_ERRORS: readonly NamedErrorClass[] = [
  ManifestError,
  IntegrityError,
  ModelFetchError,
  LocalModelFileError,
  ModelIoMismatchError,
  UnknownClassError,
  InvalidSettingError,
  SamplingCancelledError,
  ImageDecodeError,
  NpyFormatError,
  RuntimeFailureError,
  ResultMetadataError,
  StorageError,
  ModelTooLargeError,
  NonFiniteLatentError,
];
const CLASS_BY_CODE = new Map<string, NamedErrorClass>(
  NAMED_ERRORS.map((named) => [new named('').code, named]),
);

/** Rebuilds the named error (same class, code, name and message) on the receiving side. */
export function deserializeError(serialized: SerializedError): SvgStudioError {
  const named = CLASS_BY_CODE.get(serialized.code);
  const error = named
    ? new named(serialized.message)
    : new SvgStudioError(serialized.code as ErrorCode, serialized.message);
  error.name = serialized.name;
  return error;
}

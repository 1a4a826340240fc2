// One mapping from the named error classes (errors.ts) to what the user reads, for every view and the
// CLI: replaces per-view "error to message" helpers and `error instanceof Error ? … : String(error)`.
// The named errors already carry a message naming the file, field or value; the table adds the kind of
// failure (a title for headings such as the error boundary's) and, where there is one, the next step.
import { LocalModelFileError, SvgStudioError, type ErrorCode } from '../errors';

export interface ErrorDescription {
  /** What kind of failure, e.g. "Model file check failed". */
  readonly title: string;
  /** The error's own message (names the file, field or value). */
  readonly detail: string;
  /** What the user can do next; empty when nothing useful can be said. */
  readonly hint: string;
}

/** A row's next step: fixed, or made from the error itself (e.g. the path it names). */
type Hint = string | ((error: SvgStudioError) => string);

/** Every code of errors.ts must have a row: TypeScript refuses a new code without one. */
const BY_CODE: { readonly [C in ErrorCode]: { readonly title: string; readonly hint: Hint } } = {
  'manifest-invalid': { title: 'The model-set manifest is not valid', hint: '' },
  integrity: {
    title: 'A model file failed its integrity check',
    hint: 'The file is incomplete or was replaced; load the set again to fetch a fresh copy.',
  },
  'model-fetch': {
    title: 'A model file could not be downloaded',
    hint: 'Check the connection and the address, then load the set again.',
  },
  // A local file: no connection is involved, the set's folder lacks the file (or cannot give it).
  'model-file-local': {
    title: 'A model file of the local set could not be read',
    hint: (error) => {
      const file = error instanceof LocalModelFileError && error.path ? error.path : 'the file named above';
      return `Check that ${file} exists and is a readable file; if it is missing, copy the whole model-set folder again or re-export the set, then load it again.`;
    },
  },
  'model-io-mismatch': { title: 'A network does not match its manifest entry', hint: '' },
  'unknown-class': { title: 'Unknown class', hint: '' },
  'invalid-setting': { title: 'A setting is not valid', hint: '' },
  cancelled: { title: 'Cancelled', hint: '' },
  'image-decode': { title: 'The image could not be read', hint: '' },
  npy: { title: 'The .npy file could not be read', hint: '' },
  usage: {
    title: 'Wrong command-line usage',
    hint: 'See svg-studio --help, or svg-studio <command> --help.',
  },
  'result-metadata': { title: 'The PNG carries no usable SVG Studio settings', hint: '' },
  storage: { title: 'Browser storage failed', hint: '' },
  'model-too-large': { title: 'The model set is too large for this device', hint: '' },
  'non-finite-latent': {
    title: 'Sampling produced NaN or infinite values',
    hint: 'Lower the guidance scale or the shift and run again; nothing was stored.',
  },
  runtime: { title: 'The inference runtime failed', hint: '' },
};

const isKnownCode = (code: string): code is ErrorCode => Object.hasOwn(BY_CODE, code);

/** Title, detail and hint of any thrown value (named errors, DOM exceptions, plain errors, non-errors). */
export function describeErrorParts(error: unknown): ErrorDescription {
  if (error instanceof SvgStudioError && isKnownCode(error.code)) {
    const { title, hint } = BY_CODE[error.code];
    return { title, detail: error.message || title, hint: typeof hint === 'string' ? hint : hint(error) };
  }
  if (typeof DOMException !== 'undefined' && error instanceof DOMException) {
    return { title: 'The browser refused', detail: `${error.name}: ${error.message}`, hint: '' };
  }
  if (error instanceof Error) {
    return { title: 'Unexpected error', detail: error.message || error.name, hint: '' };
  }
  return { title: 'Unexpected error', detail: String(error), hint: '' };
}

/** The one line a view or the CLI shows for a failure: the detail, then the next step when there is one. */
export function describeError(error: unknown): string {
  const { detail, hint } = describeErrorParts(error);
  if (!hint) return detail;
  return `${detail}${/[.!?]$/.test(detail) ? '' : '.'} ${hint}`;
}

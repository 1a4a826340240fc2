// Issue 17's fifteen reproduced defects, each with the tests that reproduce it: vitest tests by their
// full name (as `vitest list` prints it: describe > test), Playwright tests by their title. Each test
// fails on the code before the fixes (6e44457): tests/bad-input/README.md says how, per defect.
// defects.test.ts checks every defect has a test and every named test exists.

export interface DefectTest {
  /** The test file, from the repository root. */
  readonly file: string;
  /** vitest: the full name; Playwright: the test's title. */
  readonly test: string;
}

export interface IssueDefect {
  readonly defect: number;
  readonly what: string;
  readonly tests: readonly DefectTest[];
}

const STORED = 'tests/bad-input/stored-state.test.ts';
const GALLERY_SLICE = 'tests/store/gallery-slice-storage.test.ts';
const DOWNLOADS = 'tests/bad-input/downloads.test.ts';
const SETTINGS = 'tests/bad-input/settings.test.ts';
const CLI = 'tests/bad-input/cli.test.ts';
const cli = (name: string): DefectTest => ({
  file: CLI,
  test: `bad input (cli): svg-studio arguments and files > ${name}`,
});
const gallerySlice = (name: string): DefectTest => ({
  file: GALLERY_SLICE,
  test: `gallery slice over IndexedDB > ${name}`,
});
/** A Playwright test by its spec's name (e2e/<spec>.spec.ts) and its title. */
const e2e = (spec: string, title: string): DefectTest => ({ file: `e2e/${spec}.spec.ts`, test: title });
const unit = (file: string, area: string, name: string): DefectTest => ({
  file,
  test: `bad input (unit): ${area} > ${name}`,
});

export const ISSUE_17_DEFECTS: readonly IssueDefect[] = [
  {
    defect: 1,
    what: 'a gallery record of the wrong shape blanks the studio on every load',
    tests: [
      unit(STORED, 'gallery records', 'settings: null'),
      gallerySlice(
        'sets a record with settings: null aside, keeps the good ones, and reports it once (defect 1)',
      ),
      e2e(
        'bad-input-storage',
        'malformed stored records and preferences are set aside; the studio and the good gallery entries survive',
      ),
    ],
  },
  {
    defect: 2,
    what: 'a wrong-shaped list of remembered model-set URLs breaks start-up',
    tests: [
      unit(STORED, 'stored preferences', 'URL list is an object'),
      unit(STORED, 'stored preferences', 'URL list is [null]'),
      unit('tests/bad-input/start-up.test.ts', 'start-up', 'remembered URLs are an object'),
    ],
  },
  {
    defect: 3,
    what: 'a download that stalls after its headers hangs the model manager',
    tests: [
      unit(DOWNLOADS, 'downloads', 'stalls after 1 KB of the body'),
      unit(DOWNLOADS, 'downloads', 'cancelled mid-body'),
      e2e(
        'model-download',
        'a stalled download: Cancel brings the controls back, the stall is named, a reload resumes',
      ),
    ],
  },
  {
    defect: 4,
    what: 'a manifest file name %2e%2e/… escapes the set’s folder in the browser',
    tests: [
      unit(DOWNLOADS, 'downloads', 'file name %2e%2e/other-set/dit.onnx'),
      unit(DOWNLOADS, 'downloads', 'file name %2E%2e/%2e%2E/dit.onnx'),
    ],
  },
  {
    defect: 5,
    what: 'a huge finite guidance scale gives an all-black image reported as a success',
    tests: [
      cli('--cfg 1e300'),
      cli('--cfg 1e38'),
      unit(SETTINGS, 'link values', 'cfg=1e300'),
      {
        file: 'tests/engine/pipelines/tasks.test.ts',
        test: 'generateImages with a diverging model > checked every step (CPU): NonFiniteLatentError, nothing decoded',
      },
    ],
  },
  {
    defect: 6,
    what: 'CLI: a model file that is /dev/zero or a FIFO is read without end; size compared after reading',
    tests: [
      cli('model file is a symlink to /dev/zero'),
      cli('model file is a FIFO'),
      cli('model file shorter than the manifest says (size checked before reading)'),
    ],
  },
  {
    defect: 7,
    what: 'CLI: an output path that cannot be written is found only after the generation',
    tests: [
      cli('--out under a file (/etc/passwd/a.png)'),
      cli('--out on procfs'),
      cli('--latent-out that cannot be written is refused before the PNG is written'),
    ],
  },
  {
    defect: 8,
    what: 'CLI: JPEG EXIF orientation is ignored (the page applies it)',
    tests: [
      unit('tests/bad-input/images.test.ts', 'input images (page and CLI)', 'JPEG with EXIF orientation 6'),
      e2e(
        'lab',
        'applies EXIF orientation as the CLI does, takes the first frame of an animated GIF, reads 16-bit grayscale',
      ),
    ],
  },
  {
    defect: 9,
    what: 'PNGs written by the CLI carry a different metadata format that the studio refuses',
    tests: [cli('a PNG the CLI wrote is read by the studio (one metadata format)')],
  },
  {
    defect: 10,
    what: 'vague messages (network errors without URL, ORT files blamed on a model, seed, BOM, 1e999, …)',
    tests: [
      unit(DOWNLOADS, 'downloads', 'host unreachable'),
      unit('tests/bad-input/runtime-files.test.ts', 'ONNX Runtime files', '.wasm answers HTTP 404'),
      e2e(
        'bad-input-runtime',
        'missing or wrong ONNX Runtime files are named as the runtime; gallery, preferences and cached models survive',
      ),
      cli('--seed beyond 2^53 is echoed as typed, not rounded'),
      cli('reconstruct a directory'),
      cli('generate --help is not an error'),
      {
        file: 'tests/engine/model-set/index.test.ts',
        test: 'parseManifest > names a byte-order mark and a number beyond float64 instead of a JSON parser message or "null"',
      },
    ],
  },
  {
    defect: 11,
    what: 'after a storage-quota failure the gallery status counts a result that was not saved',
    tests: [
      gallerySlice('counts only the results actually saved after a quota failure (defect 11)'),
      unit(STORED, 'gallery storage faults', 'quota full on save'),
    ],
  },
  {
    defect: 12,
    what: 'settings restored from a PNG or a link are not all checked; notices replace each other',
    tests: [
      unit(SETTINGS, 'PNGs dropped on the studio', 'class 999999 (valid number, not in the set)'),
      unit(SETTINGS, 'link values', 'schedule=early-x'),
      unit(
        SETTINGS,
        'settings objects (PNG metadata, records)',
        'class 999999 and schedule early-x and cfg 1e38',
      ),
      gallerySlice(
        'keeps a link notice and a missing-class notice together instead of replacing one (defect 12)',
      ),
    ],
  },
  {
    defect: 13,
    what: 'the CLI and the page have different limits',
    tests: [
      cli('--steps 1001'),
      cli('--batch 17'),
      cli('--seed 2^32 (the page and links have the same limit)'),
      unit(SETTINGS, 'link values', 'steps=1001'),
      unit(SETTINGS, 'link values', 'seed=2^32'),
    ],
  },
  {
    defect: 14,
    what: 'two tabs: each tab’s gallery is stale, and a stale tab cannot clear entries it does not show',
    tests: [
      gallerySlice(
        'keeps two tabs in step: additions, deletions and clear of entries the other tab added (defect 14)',
      ),
    ],
  },
  {
    defect: 15,
    what: 'no CSP, nosniff or frame-ancestors; .onnx served with an empty Content-Type',
    tests: [e2e('deploy-csp', 'generates under the Content-Security-Policy with no violation')],
  },
];

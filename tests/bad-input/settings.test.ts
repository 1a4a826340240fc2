// Bad settings, table-driven: link query values (each refused with its own line, the rest applied),
// settings objects from PNG metadata and records (every problem listed together), and PNGs dropped on
// the studio (refused with the file named, the workspace settings unchanged).
import { expect, vi } from 'vitest';
import { encodePng } from '../../src/engine/formats/png';
import { checkGenerationSettings } from '../../src/engine/settings-schema';
import { parseSettingsQuery } from '../../src/engine/workspace/settings-url';
import { FakeEngine, resetToTinySet, TINY_MANIFEST } from '../store/fake-engine';
import { badInputCases } from './suite';
import { SOLVER_NAMES } from '../../src/engine/schedulers/solvers';

const engine = new FakeEngine();
vi.mock('../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { useStudio } = await import('../../src/store');
/** Each dropped PNG meets a fresh store with the tiny set loaded and no notice shown. */
const resetStudio = resetToTinySet(useStudio, engine);

interface LinkCase {
  readonly name: string;
  readonly query: string;
  readonly rejected: readonly string[];
}

const SCHEDULE_FORMS = 'is not one of constant, late, linear, early-<t>, cfg_star-<steps>-<ratio>, none';
const LINKS: readonly LinkCase[] = [
  { name: 'steps=abc', query: 'steps=abc', rejected: ['steps: "abc" is not a number'] },
  { name: 'steps=0', query: 'steps=0', rejected: ['steps: must be an integer in 1..1000, got 0'] },
  { name: 'steps=1001', query: 'steps=1001', rejected: ['steps: must be an integer in 1..1000, got 1001'] },
  { name: 'steps=2.5', query: 'steps=2.5', rejected: ['steps: "2.5" is not a whole number'] },
  { name: 'steps=1e3', query: 'steps=1e3', rejected: ['steps: "1e3" is not a whole number'] },
  { name: 'batch=17', query: 'batch=17', rejected: ['batch: must be an integer in 1..16, got 17'] },
  { name: 'batch=0', query: 'batch=0', rejected: ['batch: must be an integer in 1..16, got 0'] },
  { name: 'seed=-1', query: 'seed=-1', rejected: ['seed: must be an integer in 0..4294967295, got -1'] },
  {
    name: 'seed=2^32',
    query: 'seed=4294967296',
    rejected: ['seed: must be an integer in 0..4294967295, got 4294967296'],
  },
  {
    name: 'seed=2^53+1',
    query: 'seed=9007199254740993',
    rejected: ['seed: must be an integer in 0..4294967295, got 9007199254740992'],
  },
  { name: 'cfg=1e300', query: 'cfg=1e300', rejected: ['cfg: must be a number in 0..20, got 1e+300'] },
  { name: 'cfg=1e999', query: 'cfg=1e999', rejected: ['cfg: must be a number in 0..20, got Infinity'] },
  { name: 'cfg=-1', query: 'cfg=-1', rejected: ['cfg: must be a number in 0..20, got -1'] },
  { name: 'cfg=NaN', query: 'cfg=NaN', rejected: ['cfg: "NaN" is not a number'] },
  { name: 'cfg empty', query: 'cfg=', rejected: ['cfg: "" is not a number'] },
  { name: 'shift=-0.5', query: 'shift=-0.5', rejected: ['shift: must be a number in 0..20, got -0.5'] },
  { name: 'shift=21', query: 'shift=21', rejected: ['shift: must be a number in 0..20, got 21'] },
  {
    name: 'sampler=ddim',
    query: 'sampler=ddim',
    rejected: [`sampler: must be one of ${SOLVER_NAMES.join(', ')}, got "ddim"`],
  },
  {
    name: 'sampler empty',
    query: 'sampler=',
    rejected: [`sampler: must be one of ${SOLVER_NAMES.join(', ')}, got ""`],
  },
  {
    name: 'schedule=early-x',
    query: 'schedule=early-x',
    rejected: [`schedule: "early-x" ${SCHEDULE_FORMS}`],
  },
  {
    name: 'schedule=cfg_star-x-1',
    query: 'schedule=cfg_star-x-1',
    rejected: [`schedule: "cfg_star-x-1" ${SCHEDULE_FORMS}`],
  },
  {
    name: 'schedule=<script>',
    query: 'schedule=%3Cscript%3E',
    rejected: [`schedule: "<script>" ${SCHEDULE_FORMS}`],
  },
  { name: 'class=abc', query: 'class=abc', rejected: ['class: "abc" is not a number'] },
  { name: 'class=-3', query: 'class=-3', rejected: ['class: must be an integer in 0..1000000, got -3'] },
  {
    name: 'several wrong values at once',
    query: 'steps=0&cfg=1e300&schedule=early-x',
    rejected: [
      'steps: must be an integer in 1..1000, got 0',
      'cfg: must be a number in 0..20, got 1e+300',
      `schedule: "early-x" ${SCHEDULE_FORMS}`,
    ],
  },
];

badInputCases('unit', 'link values', LINKS, ({ query, rejected }) => {
  const parsed = parseSettingsQuery(`?${query}&seed=5&view=generate`);
  expect(parsed.rejected).toEqual(rejected);
  // The valid values of the same link still apply; refused ones never do.
  const keys = new Set(query.split('&').map((pair) => pair.split('=')[0]));
  expect(parsed.settings).toEqual(keys.has('seed') ? {} : { seed: 5 });
});

interface SettingsCase {
  readonly name: string;
  readonly value: unknown;
  readonly problems: readonly string[];
}

const VALID = {
  classId: 1,
  seed: 2,
  steps: 3,
  sampler: 'euler',
  shift: 0.2,
  guidanceScale: 4,
  guidanceSchedule: 'constant',
  batch: 1,
};
const SETTINGS: readonly SettingsCase[] = [
  { name: 'null', value: null, problems: ['must be an object of settings'] },
  { name: 'a string', value: 'class=1', problems: ['must be an object of settings'] },
  { name: 'empty object', value: {}, problems: Object.keys(VALID).map((k) => `${k}: missing`) },
  {
    name: 'steps as text',
    value: { ...VALID, steps: '3' },
    problems: ['steps: must be an integer in 1..1000, got "3"'],
  },
  {
    name: 'seed fractional',
    value: { ...VALID, seed: 1.5 },
    problems: ['seed: must be an integer in 0..4294967295, got 1.5'],
  },
  {
    name: 'schedule number',
    value: { ...VALID, guidanceSchedule: 5 },
    problems: ['guidanceSchedule: must be a schedule name, got 5'],
  },
  {
    name: 'class 999999 and schedule early-x and cfg 1e38',
    value: { ...VALID, classId: 9_999_999, guidanceSchedule: 'early-x', guidanceScale: 1e38 },
    problems: [
      'classId: must be an integer in 0..1000000, got 9999999',
      'guidanceScale: must be a number in 0..20, got 1e+38',
      `guidanceSchedule: "early-x" ${SCHEDULE_FORMS}`,
    ],
  },
];

badInputCases('unit', 'settings objects (PNG metadata, records)', SETTINGS, ({ value, problems }) => {
  expect(checkGenerationSettings(value)).toEqual({ ok: false, value: null, problems });
});

interface DropCase {
  readonly name: string;
  readonly file: () => Promise<File>;
  readonly notice: string | RegExp;
}

const png = async (name: string, text: Record<string, string>) =>
  new File(
    [
      (await encodePng(
        { width: 1, height: 1, data: new Uint8ClampedArray(4) },
        text,
      )) as Uint8Array<ArrayBuffer>,
    ],
    name,
  );
const metadata = (patch: Record<string, unknown>) => ({
  'svg-studio': JSON.stringify({
    schema: 'svg-studio/result',
    version: 1,
    modelSetId: TINY_MANIFEST.id,
    manifestSha256: '',
    settings: VALID,
    batchIndex: 0,
    appVersion: 'test',
    ...patch,
  }),
});

const DROPS: readonly DropCase[] = [
  {
    name: 'class 999999 (valid number, not in the set)',
    file: () => png('class.png', metadata({ settings: { ...VALID, classId: 999_999 } })),
    notice: `class.png: settings not applied (class 999999 does not exist in ${TINY_MANIFEST.name} (0..9)).`,
  },
  {
    name: 'schedule early-x in the metadata',
    file: () => png('schedule.png', metadata({ settings: { ...VALID, guidanceSchedule: 'early-x' } })),
    notice: `schedule.png: invalid SVG Studio metadata (guidanceSchedule: "early-x" ${SCHEDULE_FORMS})`,
  },
  {
    name: 'settings null in the metadata',
    file: () => png('null.png', metadata({ settings: null })),
    notice: /^null\.png: invalid SVG Studio metadata \(/,
  },
  {
    name: 'metadata not JSON',
    file: () => png('json.png', { 'svg-studio': '{not json' }),
    notice: 'json.png: the SVG Studio metadata is not valid JSON',
  },
  {
    name: 'a PNG without our metadata',
    file: () => png('plain.png', {}),
    notice: /^plain\.png: not an SVG Studio PNG/,
  },
  {
    name: 'a text file',
    file: async () => new File(['hello'], 'notes.txt'),
    notice: 'notes.txt: not a PNG file',
  },
  {
    name: 'a truncated PNG',
    file: async () => {
      const bytes = (await (await png('t.png', metadata({}))).arrayBuffer()).slice(0, 30);
      return new File([bytes], 'truncated.png');
    },
    notice: /^truncated\.png: /,
  },
];

badInputCases('unit', 'PNGs dropped on the studio', DROPS, async ({ file, notice }) => {
  resetStudio();
  const before = useStudio.getState().settings;
  await useStudio.getState().restoreSettingsFromFile(await file());
  const shown = useStudio.getState().workspaceNotice;
  if (typeof notice === 'string') expect(shown).toBe(notice);
  else expect(shown).toMatch(notice);
  expect(useStudio.getState().settings).toEqual(before);
});

// The status line and chip share of a network a task opens after the load: bytes in the total's unit,
// the speed and time left of a download, the stage's verb, and which network the task waits on.
import { describe, expect, it, vi } from 'vitest';
import type { NetworkOpening } from '../../../src/store/model-slice';
import { FakeEngine } from '../../store/fake-engine';

const engine = new FakeEngine();
vi.mock('../../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { currentOpening, openingLine, openingPercent } =
  await import('../../../src/features/models/network-opening');

const MiB = 1024 ** 2;
const opening = (
  stage: NetworkOpening['stage'],
  samples: NetworkOpening['samples'],
  totalBytes = 5.5 * MiB,
): NetworkOpening => ({
  callId: 1,
  stage,
  loadedBytes: samples.at(-1)?.loadedBytes ?? 0,
  totalBytes,
  samples,
  files: {},
});

describe('network opening', () => {
  it('says what downloads and how far, with the speed and time left once measured', () => {
    const first = opening('download', [{ atMs: 0, loadedBytes: 3.1 * MiB }]);
    expect(openingLine('dinoEncoder', first)).toBe('Downloading DINO encoder 3.1/5.5 MiB…');
    const measured = opening('download', [
      { atMs: 0, loadedBytes: 1.1 * MiB },
      { atMs: 2000, loadedBytes: 3.1 * MiB },
    ]);
    expect(openingLine('dinoEncoder', measured)).toBe(
      'Downloading DINO encoder 3.1/5.5 MiB · 1.0 MiB/s, 2.4 s left…',
    );
    expect(openingPercent(measured)).toBe(56);
  });

  it('names reading from the cache and creating the session', () => {
    const cached = opening('cache', [
      { atMs: 0, loadedBytes: 0 },
      { atMs: 10, loadedBytes: MiB },
    ]);
    expect(openingLine('residualEncoder', cached)).toBe(
      'Reading from the cache: residual encoder 1.0/5.5 MiB…',
    );
    const session = opening('session', [{ atMs: 0, loadedBytes: 5.5 * MiB }]);
    expect(openingLine('residualEncoder', session)).toBe('Opening residual encoder…');
    expect(openingPercent(session)).toBe(100);
    expect(openingPercent(opening('download', [], 0))).toBe(0); // size unknown yet
  });

  it('shows the network that reported last (the next one reads ahead while a session opens)', () => {
    const dino = opening('session', [{ atMs: 5, loadedBytes: 5.5 * MiB }]);
    const residual = opening('download', [{ atMs: 9, loadedBytes: MiB }]);
    expect(currentOpening({ dinoEncoder: dino, residualEncoder: residual })?.role).toBe('residualEncoder');
    expect(currentOpening({ dinoEncoder: dino })?.role).toBe('dinoEncoder');
    expect(currentOpening({})).toBeNull();
  });
});

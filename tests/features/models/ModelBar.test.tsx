// The Models bar's provider picker offers every preference of the provider table by its label, with the
// store's preference selected (rendered on the server: the store's initial state, Automatic), and the
// plan's notice when an explicit choice cannot run here; a session chip shows the download of a network
// a task is opening after the load as a percentage, then "opening" while its session is created, then
// open as soon as it is (not when the task that opened it ends).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { FakeEngine, TINY_MANIFEST } from '../../store/fake-engine';
import type { ResidencyReport } from '../../../src/engine/api/studio-engine';
import type { NetworkOpening } from '../../../src/store/model-slice';

const engine = new FakeEngine();
vi.mock('../../../src/store/engine-instance', () => ({ studioEngine: () => engine }));
const { ModelBar, ProviderNotice, Residency } = await import('../../../src/features/models/ModelBar');
const { useStudio } = await import('../../../src/store');

const REPORT: ResidencyReport = {
  networks: [
    {
      role: 'dinoEncoder',
      precision: 'float32',
      file: 'dino_encoder.onnx',
      resident: false,
      sessionBytes: 9,
    },
    { role: 'decoder', precision: 'float32', file: 'decoder.onnx', resident: true, sessionBytes: 9 },
  ],
  residentBytes: 9,
};

const opening = (stage: NetworkOpening['stage'], loadedBytes: number): NetworkOpening => ({
  callId: 1,
  stage,
  loadedBytes,
  totalBytes: 4 * 1024 * 1024,
  samples: [{ atMs: 0, loadedBytes }],
  files: { 'dino_encoder.onnx': { loadedBytes, totalBytes: 4 * 1024 * 1024 } },
});

describe('ModelBar', () => {
  it('offers Automatic and every provider row, labelled from the table', () => {
    expect(renderToStaticMarkup(<ModelBar />)).toContain(
      '<label>Execution provider<select><option value="auto" selected="">Automatic</option>' +
        '<option value="webgpu">WebGPU</option><option value="wasm">WASM</option></select></label>',
    );
  });

  it('shows the plan’s notice when an explicit provider choice runs on another one here', () => {
    const notice = 'WebGPU is not available in this browser (no adapter); running on WASM.';
    expect(renderToStaticMarkup(<ProviderNotice notice={notice} />)).toBe(
      `<p class="warning" role="note" aria-label="Execution provider notice">${notice}</p>`,
    );
    expect(renderToStaticMarkup(<ProviderNotice notice={undefined} />)).toBe('');
    expect(renderToStaticMarkup(<ModelBar />)).not.toContain('Execution provider notice');
  });

  it('shows a network being downloaded on its chip as a percentage, then as opening', () => {
    const chips = (html: string) =>
      [
        ...html.matchAll(
          /data-network="(\w+)"[^>]*data-opening="(\w+)"[^>]*>([^<]*)(?:<span[^>]*>([^<]*)<\/span>)?/g,
        ),
      ].map((match) => [match[1], match[2], `${match[3]}${match[4] ?? ''}`]);
    expect(chips(renderToStaticMarkup(<Residency report={REPORT} />))).toEqual([
      ['dinoEncoder', 'false', 'DINO encoder closed'],
      ['decoder', 'false', 'decoder open'],
    ]);
    const downloading = renderToStaticMarkup(
      <Residency report={REPORT} opening={{ dinoEncoder: opening('download', 1024 * 1024) }} />,
    );
    expect(chips(downloading)).toEqual([
      ['dinoEncoder', 'download', 'DINO encoder 25 %'],
      ['decoder', 'false', 'decoder open'],
    ]);
    expect(downloading).toContain('title="Downloading DINO encoder 1.0/4.0 MiB…');
    const creating = renderToStaticMarkup(
      <Residency report={REPORT} opening={{ dinoEncoder: opening('session', 4 * 1024 * 1024) }} />,
    );
    expect(chips(creating)[0]).toEqual(['dinoEncoder', 'session', 'DINO encoder opening']);
  });

  it('shows a network open as soon as its session is, while the call that opened it still runs', () => {
    const initial = useStudio.getState();
    useStudio.setState({ loadStatus: 'ready', manifest: TINY_MANIFEST, residency: REPORT });
    const dino = TINY_MANIFEST.networks.dinoEncoder.variants.float32;
    const report = (stage: 'download' | 'session' | 'open') =>
      useStudio.getState().networkOpeningProgress(
        {
          kind: 'load',
          file: dino.file,
          network: 'dinoEncoder',
          stage,
          loadedBytes: 1,
          totalBytes: dino.bytes,
        },
        3,
      );
    // what the bar renders from the store (rendered on the server, ModelBar itself sees the initial state)
    const dinoChip = () => {
      const { residency, openingNetworks } = useStudio.getState();
      const html = renderToStaticMarkup(<Residency report={residency!} opening={openingNetworks} />);
      return /data-network="dinoEncoder" data-resident="(\w+)" data-opening="(\w+)"[^>]*>DINO encoder(?:<span[^>]*>)?([^<]*)/
        .exec(html)
        ?.slice(1);
    };
    report('download');
    expect(dinoChip()).toEqual(['false', 'download', ' 0 %']);
    report('session');
    expect(dinoChip()).toEqual(['false', 'session', ' opening']);
    report('open'); // call 3 goes on (the task's forwards): its end is not waited for
    expect(dinoChip()).toEqual(['true', 'false', ' open']);
    useStudio.setState(initial, true);
  });
});

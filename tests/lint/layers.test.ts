// The layer rules of eslint.config.js, checked by linting probe sources placed (virtually) inside each
// layer: every forbidden import must be reported, every allowed one must lint clean. Before this test
// a later src/** block silently replaced the engine's restrictions, and '../store' matched no pattern.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The restricted-import and restricted-global messages ESLint reports for `source` at `filePath`. */
async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

interface Probe {
  readonly file: string;
  readonly source: string;
  /** How many restricted imports/globals the probe holds. */
  readonly forbidden: number;
}

const probe = (file: string, forbidden: number, ...lines: string[]): Probe => ({
  file,
  forbidden,
  source: `${lines.join('\n')}\nexport {};\n`,
});

const PROBES: readonly Probe[] = [
  // The engine: no React, zustand, store, views, components, storage, runtime, worker, ORT or DOM.
  probe('src/engine/probe.ts', 1, "import 'react';"),
  probe('src/engine/probe.ts', 1, "import 'react-dom/client';"),
  probe('src/engine/probe.ts', 1, "import 'zustand';"),
  probe('src/engine/probe.ts', 1, "import '../store';"),
  probe('src/engine/probe.ts', 1, "import '../store/gallery-slice';"),
  probe('src/engine/workspace/probe.ts', 1, "import '../../store/index';"),
  probe('src/engine/probe.ts', 1, "import '../features/workspace-tabs';"),
  probe('src/engine/probe.ts', 1, "import '../components/RgbaCanvas';"),
  probe('src/engine/probe.ts', 1, "import '../storage/gallery-db';"),
  probe('src/engine/probe.ts', 1, "import '../runtime/ort-web';"),
  probe('src/engine/probe.ts', 1, "import '../worker/protocol';"),
  probe('src/engine/probe.ts', 1, "import 'onnxruntime-web';"),
  probe('src/engine/probe.ts', 1, 'console.log(document.title);'),
  probe('src/engine/probe.ts', 1, "localStorage.setItem('a', 'b');"),
  probe('src/engine/probe.ts', 1, 'void window;'),
  probe('src/engine/probe.ts', 1, 'void indexedDB;'),
  probe('src/engine/probe.ts', 2, "import 'react';", "import '../store';"),
  // ...while its own modules and Web APIs shared with Node stay allowed.
  probe(
    'src/engine/probe.ts',
    0,
    "import './errors';",
    "import './workspace/settings-url';",
    "import 'valibot';",
  ),
  probe('src/engine/probe.ts', 0, 'void crypto.subtle;', 'void new TextEncoder();', 'void Blob;'),
  // Views: no runtime or storage (they go through the store), no ORT.
  probe('src/features/gallery/probe.tsx', 1, "import '../../storage/gallery-db';"),
  probe('src/features/models/probe.tsx', 1, "import '../../runtime/ort-web';"),
  probe('src/features/probe.tsx', 1, "import 'onnxruntime-web';"),
  probe('src/features/gallery/probe.tsx', 0, "import '../../store';", "import '../../engine/errors';"),
  // Components: no store.
  probe('src/components/probe.tsx', 1, "import '../store';"),
  probe('src/components/probe.tsx', 1, "import '../store/gallery-slice';"),
  probe('src/components/probe.tsx', 0, "import '../engine/describe-error';", "import 'react';"),
  // Only the runtime imports ONNX Runtime.
  probe('src/store/probe.ts', 1, "import 'onnxruntime-web';"),
  probe('src/runtime/probe.ts', 0, "import 'onnxruntime-web';"),
];

describe('layer rules (eslint.config.js)', () => {
  it.each(PROBES.map((p) => [p.file, p.source.split('\n')[0], p] as const))(
    '%s: %s',
    async (_file, _first, { file, source, forbidden }) => {
      const errors = await layerErrors(file, source);
      expect(errors, errors.join('\n')).toHaveLength(forbidden);
    },
  );

  it('names the layer rule in the message', async () => {
    const [message] = await layerErrors('src/engine/probe.ts', "import '../store';");
    expect(message).toMatch(/src\/engine is the bottom layer/);
  });
});

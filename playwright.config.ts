// Two browser projects: WebGPU through SwiftShader (the real WebGPU provider, on the CPU) runs the
// provider-agreement spec, where WebGPU is what is tested; WASM runs every journey (SwiftShader takes
// seconds per network forward, so the journeys would take most of the CI budget there). Both use Debian's Chromium: Playwright never downloads a browser here.
import { defineConfig } from '@playwright/test';
import {
  CHROMIUM_PATH as chromium,
  QUIET_CHROMIUM_ARGS,
  SWIFTSHADER_WEBGPU_ARGS,
} from './src/cli/headless-chromium';

// E2E_PORT lets two suites run side by side (each builds and serves its own copy).
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig<{ provider: 'webgpu' | 'wasm' }>({
  testDir: 'e2e',
  timeout: 300_000,
  expect: { timeout: 120_000 },
  workers: 1,
  // The second prints the bad-input suite's Playwright count in one line at the end of the run.
  reporter: [['list'], ['./e2e/bad-input-summary-reporter.ts']],
  outputDir: 'test-results',
  // The app's service worker (src/pwa) is blocked except in the specs about it (deploy*.spec.ts allow it):
  // page.route cannot see requests a service worker makes, and the journeys mock responses with it.
  use: { baseURL: `http://127.0.0.1:${port}`, trace: 'retain-on-failure', serviceWorkers: 'block' },
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    timeout: 180_000,
    reuseExistingServer: !process.env.CI,
  },
  projects: [
    {
      name: 'webgpu',
      testMatch: /(generate|deploy-csp)\.spec\.ts$/,
      use: {
        provider: 'webgpu',
        launchOptions: {
          executablePath: chromium,
          args: [...QUIET_CHROMIUM_ARGS, ...SWIFTSHADER_WEBGPU_ARGS],
        },
      },
    },
    {
      name: 'wasm',
      use: { provider: 'wasm', launchOptions: { executablePath: chromium, args: [...QUIET_CHROMIUM_ARGS] } },
    },
  ],
});

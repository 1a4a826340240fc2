// Two browser projects: WebGPU through SwiftShader (the real WebGPU provider, on the CPU) runs the
// provider-agreement spec, where WebGPU is what is tested; WASM runs every journey (SwiftShader takes
// seconds per network forward, so the journeys would take most of the CI budget there). Both use Debian's Chromium: Playwright never downloads a browser here.
import { defineConfig } from '@playwright/test';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const quietChromium = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const swiftShaderWebGpu = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
];
// E2E_PORT lets two suites run side by side (each builds and serves its own copy).
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig<{ provider: 'webgpu' | 'wasm' }>({
  testDir: 'e2e',
  timeout: 300_000,
  expect: { timeout: 120_000 },
  workers: 1,
  reporter: [['list']],
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
        launchOptions: { executablePath: chromium, args: [...quietChromium, ...swiftShaderWebGpu] },
      },
    },
    {
      name: 'wasm',
      use: { provider: 'wasm', launchOptions: { executablePath: chromium, args: quietChromium } },
    },
  ],
});

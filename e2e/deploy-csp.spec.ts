// The preview server sends the production headers (vite.config.ts: CSP, nosniff, COOP/COEP, the .onnx
// content type); on each provider (WebGPU through SwiftShader, WASM) the studio loads, generates and no
// Content-Security-Policy violation is reported, so the policy allows what ONNX Runtime needs.
import { E2E_MODEL_SET, expect, test } from './fixtures';
import { StudioPage } from './studio-page';

test('generates under the Content-Security-Policy with no violation', async ({ page, provider, request }) => {
  const headers = (await request.get('/')).headers();
  expect(headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  const onnx = await request.head(`/models/${E2E_MODEL_SET}/dit.onnx`);
  expect(onnx.headers()['content-type']).toBe('application/octet-stream');

  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective}: ${event.blockedURI}`),
    );
  });
  const consoleViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) consoleViolations.push(message.text());
  });
  const studio = new StudioPage(page);
  await studio.open(E2E_MODEL_SET, provider);
  await studio.setSettings({ classId: 1, seed: 3, steps: 1, guidance: 4 });
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(1);
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual(
    [],
  );
  expect(consoleViolations).toEqual([]);
});

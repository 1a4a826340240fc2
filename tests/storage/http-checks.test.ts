// The checks every file request shares (model files, manifests, ONNX Runtime's own files): an HTML page
// by content type or first bytes, and a watchdog that ends a wait that went silent, but not one that
// only took turns with a slow consumer.
import { describe, expect, it } from 'vitest';
import { servedHtmlPage, servedMarkup, StallWatchdog, STALL_TIMEOUT_MS } from '../../src/storage/http-checks';
import { LIMITS } from '../../src/engine/limits';

const URL = 'https://host.test/models/dit.onnx';
const text = (value: string) => new TextEncoder().encode(value);
const typed = (type: string) => new Response('x', { headers: { 'content-type': type } });
const never = <T>() => new Promise<T>(() => {});
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('servedHtmlPage', () => {
  it('names the URL and the content type of an HTML page', () => {
    expect(servedHtmlPage(URL, typed('text/html; charset=utf-8'))).toBe(
      `${URL} served an HTML page (content-type text/html; charset=utf-8)`,
    );
    expect(servedHtmlPage(URL, typed('TEXT/HTML'))).toBe(
      `${URL} served an HTML page (content-type TEXT/HTML)`,
    );
  });

  it.each(['application/octet-stream', 'text/javascript', 'application/wasm', 'text/htmlx', ''])(
    'passes %j',
    (type) => {
      expect(servedHtmlPage(URL, type ? typed(type) : new Response('x'))).toBeNull();
    },
  );
});

describe('servedMarkup', () => {
  it('names markup by its first bytes, whitespace collapsed and leading whitespace skipped', () => {
    expect(servedMarkup(URL, text('<!DOCTYPE html>\n<html lang="en"><body>'))).toBe(
      `${URL} served text starting "<!DOCTYPE html> <html la" (an HTML page?)`,
    );
    expect(servedMarkup(URL, text('\r\n  <?xml version="1.0"?><Error>'))).toBe(
      `${URL} served text starting "<?xml version="1.0"?><Er" (an HTML page?)`,
    );
  });

  it.each([
    ['an ONNX file (protobuf starts 0x08)', Uint8Array.of(0x08, 0x07, 0x12, 0x3c, 0x3c)],
    ['WebAssembly', Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0)],
    ['a script', text('export default 1;')],
    ['"<" followed by binary', Uint8Array.of(0x3c, 0x00, 0xff, 0x10)],
    ['nothing', new Uint8Array()],
  ])('passes %s', (_name, head) => {
    expect(servedMarkup(URL, head)).toBeNull();
  });
});

describe('StallWatchdog', () => {
  it('waits for the limit of the network (LIMITS.networkStallMs) by default', () => {
    expect(STALL_TIMEOUT_MS).toBe(LIMITS.networkStallMs);
    const watchdog = new StallWatchdog();
    expect(watchdog.limitMs).toBe(LIMITS.networkStallMs);
    expect(watchdog.limitText).toBe(`${LIMITS.networkStallMs / 1000} s (STALL_TIMEOUT_MS)`);
  });

  it('passes steps that arrive within the limit, each with the whole limit', async () => {
    const watchdog = new StallWatchdog({ limitMs: 40 });
    for (let i = 0; i < 3; i++) expect(await watchdog.wait(after(10, i))).toBe(i);
    // between waits nothing is timed: a slow consumer is not a silent host
    await after(60, null);
    expect(await watchdog.wait(after(1, 'next'))).toBe('next');
    expect(watchdog.stalled).toBe(false);
    expect(watchdog.signal.aborted).toBe(false);
  });

  it('aborts its signal and rejects a step that sends nothing for the limit', async () => {
    const watchdog = new StallWatchdog({ limitMs: 20 });
    const error = await watchdog.wait(never()).catch((caught: unknown) => caught);
    expect(watchdog.stalled).toBe(true);
    expect(watchdog.signal.aborted).toBe(true);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
    // a stalled request stays stalled: a later wait rejects at once
    await expect(watchdog.wait(after(1, 'late'))).rejects.toBe(error);
  });

  it("ends a wait at the caller's abort, which is no stall", async () => {
    const caller = new AbortController();
    const watchdog = new StallWatchdog({ limitMs: 10_000, signal: caller.signal });
    const waiting = watchdog.wait(never());
    caller.abort(new Error('Cancel'));
    await expect(waiting).rejects.toThrow('Cancel');
    expect(watchdog.signal.aborted).toBe(true);
    expect(watchdog.stalled).toBe(false);
  });

  it("passes a step's own failure through", async () => {
    const watchdog = new StallWatchdog({ limitMs: 1000 });
    await expect(watchdog.wait(Promise.reject(new TypeError('Failed to fetch')))).rejects.toThrow(
      'Failed to fetch',
    );
    expect(watchdog.stalled).toBe(false);
  });
});

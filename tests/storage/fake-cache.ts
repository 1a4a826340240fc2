// A Map-backed stand-in for one Cache Storage cache (Node has none). Like Chromium's, `put` reads the
// body as a stream and stores nothing when the stream errors; an optional byte quota throws the
// browser's QuotaExceededError part-way through the body, cancelling it. Response headers are kept with
// the entry, as Cache Storage keeps them (the model cache records a file's verification in one).
import type { CacheStore } from '../../src/storage/model-cache';

const keyOf = (key: RequestInfo | URL) =>
  key instanceof Request ? new URL(key.url).pathname : String(key).replace(/^https?:\/\/[^/]+/, '');

export class FakeCache implements CacheStore {
  readonly entries = new Map<string, Uint8Array>();
  /** each entry's response headers (tests may edit them to tamper with what an entry records) */
  readonly headers = new Map<string, Headers>();
  quotaBytes = Infinity;
  /** how many puts started, for tests that count writes */
  puts = 0;

  usedBytes(): number {
    return [...this.entries.values()].reduce((sum, b) => sum + b.byteLength, 0);
  }

  async match(key: RequestInfo | URL): Promise<Response | undefined> {
    const bytes = this.entries.get(keyOf(key));
    if (!bytes) return undefined;
    return new Response(bytes.slice() as BodyInit, { headers: this.headers.get(keyOf(key)) ?? {} });
  }

  async put(key: RequestInfo | URL, response: Response): Promise<void> {
    this.puts++;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const used = this.usedBytes() - (this.entries.get(keyOf(key))?.byteLength ?? 0);
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (used + size > this.quotaBytes) {
          const full = new DOMException('full', 'QuotaExceededError');
          await reader.cancel(full);
          throw full;
        }
        chunks.push(value);
      }
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.entries.set(keyOf(key), bytes);
    this.headers.set(keyOf(key), new Headers(response.headers));
  }

  async delete(key: RequestInfo | URL): Promise<boolean> {
    this.headers.delete(keyOf(key));
    return this.entries.delete(keyOf(key));
  }

  async keys(): Promise<readonly Request[]> {
    return [...this.entries.keys()].map((key) => new Request(`http://localhost${key}`));
  }
}

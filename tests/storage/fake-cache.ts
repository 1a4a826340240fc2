// A Map-backed stand-in for one Cache Storage cache (Node has none), with an optional byte quota that
// throws the browser's QuotaExceededError.
import type { CacheStore } from '../../src/storage/model-cache';

export class FakeCache implements CacheStore {
  readonly entries = new Map<string, Uint8Array>();
  quotaBytes = Infinity;

  async match(key: RequestInfo | URL): Promise<Response | undefined> {
    const bytes = this.entries.get(String(key instanceof Request ? new URL(key.url).pathname : key));
    return bytes ? new Response(bytes.slice() as BodyInit) : undefined;
  }

  async put(key: RequestInfo | URL, response: Response): Promise<void> {
    const bytes = new Uint8Array(await response.arrayBuffer());
    const used = [...this.entries.values()].reduce((sum, b) => sum + b.byteLength, 0);
    if (used + bytes.byteLength > this.quotaBytes) throw new DOMException('full', 'QuotaExceededError');
    this.entries.set(String(key), bytes);
  }

  async delete(key: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(String(key));
  }

  async keys(): Promise<readonly Request[]> {
    return [...this.entries.keys()].map((key) => new Request(`http://localhost${key}`));
  }
}

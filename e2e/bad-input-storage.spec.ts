// Bad stored state in a real browser: a malformed gallery record in IndexedDB and malformed values in
// localStorage must not break start-up. After a reload the studio loads and generates, the bad record
// is set aside (reported once, with Export/Delete in the gallery), the good entries remain, and the
// bad localStorage value is kept under the quarantine key.
import { playwrightCasesLine } from '../tests/bad-input/summary';
import { expect, test } from './fixtures';

/** What this spec seeds, one row per bad value (counted for the suite's per-surface line). */
const BAD_VALUES = [
  { where: 'IndexedDB gallery', what: 'a record with settings: null' },
  { where: 'IndexedDB gallery', what: 'a record whose image is a string' },
  { where: 'localStorage svg-studio.url-model-sets', what: '[null, ["x", "not a url"]]' },
] as const;

test.afterAll(() => {
  console.log(playwrightCasesLine('stored state', BAD_VALUES.length));
});

test('malformed stored records and preferences are set aside; the studio and the good gallery entries survive', async ({
  studio,
  page,
}) => {
  await studio.setSettings({ classId: 1, seed: 77, steps: 1, guidance: 2 });
  await studio.generateAndWait();
  const notice = page.getByRole('status', { name: 'Studio notice' });
  const galleryTab = page.getByRole('tab', { name: 'Gallery' });
  const thumbnails = page.getByRole('button', { name: /^Open result: / });
  await galleryTab.click();
  await expect(thumbnails).toHaveCount(1);

  // Seed the bad values the way a damaged profile or an older build could have left them.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('svg-studio');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const transaction = db.transaction('gallery', 'readwrite');
    const store = transaction.objectStore('gallery');
    const [good] = await new Promise<Record<string, unknown>[]>((resolve) => {
      const all = store.getAll();
      all.onsuccess = () => resolve(all.result as Record<string, unknown>[]);
    });
    store.put({ ...good, id: 'malformed-settings', createdAt: Date.now() + 1, settings: null });
    store.put({ ...good, id: 'malformed-image', createdAt: Date.now() + 2, image: 'not an image' });
    await new Promise((resolve) => (transaction.oncomplete = resolve));
    db.close();
    localStorage.setItem('svg-studio.url-model-sets', JSON.stringify([null, ['x', 'not a url']]));
  });

  await page.reload();
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
  await expect(notice).toContainText('2 gallery records could not be read and were set aside');
  await expect(notice).toContainText('Stored settings that could not be read were set aside');
  await expect(notice).toContainText('svg-studio.url-model-sets');

  await galleryTab.click();
  await expect(thumbnails).toHaveCount(1);
  const setAside = page.getByRole('region', { name: 'Set-aside records' });
  await expect(setAside).toContainText('2 stored records could not be read');
  await expect(setAside).toContainText('settings: must be an object of settings');
  await expect(setAside).toContainText('image: must be an image');
  const exported = await studio.download('Export set-aside records');
  expect(exported.suggestedFilename()).toBe('svg-studio-set-aside-records.json');

  const quarantined = await page.evaluate(() => localStorage.getItem('svg-studio.quarantine'));
  expect(JSON.parse(quarantined ?? '[]')).toMatchObject([
    { key: 'svg-studio.url-model-sets', text: '[null,["x","not a url"]]' },
  ]);

  // The studio still generates, and the new result joins the good one.
  await page.getByRole('tab', { name: 'Generate' }).click();
  await studio.setSettings({ classId: 2, seed: 78, steps: 1, guidance: 2 });
  await studio.generateAndWait();
  await galleryTab.click();
  await expect(thumbnails).toHaveCount(2);

  // Reported once: the next start says nothing about it, and the records are still kept aside.
  await page.reload();
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
  await expect(notice).toHaveCount(0);
  await galleryTab.click();
  await expect(thumbnails).toHaveCount(2);
  await expect(setAside).toBeVisible();
  page.once('dialog', (dialog) => void dialog.accept());
  await setAside.getByRole('button', { name: 'Delete set-aside records' }).click();
  await expect(setAside).toHaveCount(0);
  await expect(thumbnails).toHaveCount(2);
  await expect(page.getByRole('status', { name: 'Gallery status' })).toHaveText(
    '2 results · saved in this browser',
  );
});

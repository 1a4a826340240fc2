// Turns what the user picked or dropped into LocalModelFile paths relative to the chosen folder:
// `<input webkitdirectory>` gives webkitRelativePath, a dropped folder is walked with the File and
// Directory Entries API, loose files keep their names.
import type { LocalModelFile } from '../../engine/api/studio-engine';

export function fromFileList(list: FileList): LocalModelFile[] {
  return Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, data: file }));
}

const readEntries = (reader: FileSystemDirectoryReader) =>
  new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));

async function walk(entry: FileSystemEntry, prefix: string, out: LocalModelFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push({ path: prefix + entry.name, data: file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches until it returns an empty one.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

/** Files of a drop, folders included (walked recursively). */
export async function fromDataTransfer(transfer: DataTransfer): Promise<LocalModelFile[]> {
  const entries = Array.from(transfer.items, (item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.some((entry) => entry === null)) return fromFileList(transfer.files);
  const out: LocalModelFile[] = [];
  for (const entry of entries) await walk(entry as FileSystemEntry, '', out);
  return out;
}

// Saves bytes made in the page as a file, through a temporary object URL and a synthetic link click.

export function downloadBytes(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started by the next tasks; a generous delay keeps slow browsers safe.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

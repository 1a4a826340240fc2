// The bundled sample images (public/samples, see its README for their origin), as a table.
export interface SampleImage {
  readonly id: string;
  readonly label: string;
  readonly file: string;
}

export const SAMPLE_IMAGES: readonly SampleImage[] = [
  { id: 'sunset', label: 'Sunset (drawn, 320x240)', file: 'samples/sunset.png' },
  { id: 'shapes', label: 'Shapes (drawn, 256x256)', file: 'samples/shapes.png' },
  { id: 'cat', label: 'Cat emoji (Noto, 64x64)', file: 'samples/cat-emoji.png' },
  { id: 'apple', label: 'Apple emoji (Noto, 64x64)', file: 'samples/apple-emoji.png' },
];

/** Fetches a sample as a Blob, relative to the page (the studio may be served under a sub-path). */
export async function fetchSample(sample: SampleImage): Promise<Blob> {
  const response = await fetch(new URL(sample.file, document.baseURI));
  if (!response.ok) throw new Error(`${sample.file}: HTTP ${response.status}`);
  return response.blob();
}

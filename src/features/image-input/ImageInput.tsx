// One image input for every view: bundled samples, a file picker, drag and drop, and paste from the
// clipboard. Whatever the source, the bytes go through loadImageBlob, so every view refuses bad files
// with the same named messages; the previous image stays until a new one has loaded.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { describeError } from '../../engine/api/describe-error';
import { SvgStudioError } from '../../engine/errors';
import { loadImageBlob, type LoadedImage } from './load-image';
import { fetchSample, SAMPLE_IMAGES } from './samples';
import './image-input.css';

export interface ImageInputProps {
  readonly onImage: (loaded: LoadedImage) => void;
  /** Accessible names of the controls (a view with two inputs names the second differently). */
  readonly sampleLabel?: string;
  readonly uploadLabel?: string;
  /** Whether pasting anywhere in the page loads into this input (one input per view should). */
  readonly acceptsPaste?: boolean;
  /** Sample loaded on mount, if any. */
  readonly initialSample?: string;
}

function messageOf(error: unknown): string {
  if (error instanceof SvgStudioError) return error.message;
  return `Could not read the image: ${describeError(error)}`;
}

export function ImageInput({
  onImage,
  sampleLabel = 'Sample image',
  uploadLabel = 'Upload image',
  acceptsPaste = false,
  initialSample,
}: ImageInputProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState<LoadedImage | null>(null);
  const [sampleId, setSampleId] = useState(initialSample ?? '');
  const [dragging, setDragging] = useState(false);

  const load = useCallback(
    async (source: () => Promise<Blob>, name: string) => {
      setBusy(true);
      setError(null);
      try {
        const result = await loadImageBlob(await source(), name);
        setLoaded(result);
        onImage(result);
      } catch (failure) {
        setError(messageOf(failure));
      } finally {
        setBusy(false);
      }
    },
    [onImage],
  );

  const loadSampleImage = useCallback(
    (id: string) => {
      const sample = SAMPLE_IMAGES.find((s) => s.id === id);
      if (sample) void load(() => fetchSample(sample), sample.file.split('/').pop() ?? sample.id);
    },
    [load],
  );

  // The initial sample loads once, on mount; later choices go through the picker.
  const pendingInitialSample = useRef(initialSample);
  useEffect(() => {
    const id = pendingInitialSample.current;
    pendingInitialSample.current = undefined;
    if (id) loadSampleImage(id);
  }, [loadSampleImage]);

  useEffect(() => {
    if (!acceptsPaste) return;
    const onPaste = (event: ClipboardEvent) => {
      const file = [...(event.clipboardData?.files ?? [])][0];
      if (!file) return;
      event.preventDefault();
      void load(async () => file, file.name || 'pasted image');
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [acceptsPaste, load]);

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void load(async () => file, file.name);
    else setError('Nothing to load: drop an image file');
  };

  return (
    <div
      className={`image-input${dragging ? ' image-input--dragging' : ''}`}
      role="group"
      aria-label={`${uploadLabel}: drop, paste or choose`}
      aria-busy={busy}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label>
        {sampleLabel}
        <select
          aria-label={sampleLabel}
          value={sampleId}
          onChange={(event) => {
            setSampleId(event.target.value);
            loadSampleImage(event.target.value);
          }}
        >
          <option value="">Choose a sample…</option>
          {SAMPLE_IMAGES.map((sample) => (
            <option key={sample.id} value={sample.id}>
              {sample.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {uploadLabel}
        <input
          type="file"
          aria-label={uploadLabel}
          accept="image/png,image/jpeg,image/gif,image/webp,image/bmp"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) {
              setSampleId('');
              void load(async () => file, file.name);
            }
          }}
        />
      </label>
      <p className="image-input__hint">
        {busy ? 'Decoding…' : `Drop an image here${acceptsPaste ? ' or paste one (Ctrl+V)' : ''}.`}
      </p>
      {loaded && (
        <p className="image-input__info" aria-label={`${uploadLabel} details`}>
          {loaded.name}: {loaded.header.format.toUpperCase()} {loaded.orientedWidth}x{loaded.orientedHeight}
          {loaded.header.notes.length > 0 && ` · ${loaded.header.notes.join(' · ')}`}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

// Opens a PNG saved with its latent (tEXt "svg-studio-latent", engine/formats/latent-payload.ts), so a downloaded
// result is used exactly as it was made instead of through the encoders. Shared by Interpolate and Edit.
import { useState } from 'react';
import type { RgbaImage } from '../../engine/formats/pixels';
import { readStoredLatent } from '../../engine/formats/latent-payload';
import { decodePng } from '../../engine/formats/png';
import { describeError } from '../../engine/api/describe-error';

export interface StoredLatentImage {
  readonly name: string;
  readonly image: RgbaImage;
  /** Standardised latent tokens [N, C] of one image. */
  readonly latentTokens: Float32Array;
}

export function LatentPngInput({
  label,
  tokenCount,
  onLatent,
}: {
  readonly label: string;
  /** N * C of the loaded model set: a latent of another size is refused. */
  readonly tokenCount: number;
  readonly onLatent: (stored: StoredLatentImage) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const open = async (file: File) => {
    setError(null);
    try {
      const { image, text } = await decodePng(new Uint8Array(await file.arrayBuffer()));
      const stored = await readStoredLatent(text);
      if (!stored)
        throw new Error(`${file.name} carries no stored latent (save it with "Store latent in PNG")`);
      if (stored.values.length !== tokenCount)
        throw new Error(
          `${file.name}: its latent [${stored.dims.join(', ')}] does not fit this model set (${tokenCount} values)`,
        );
      onLatent({ name: file.name, image, latentTokens: stored.values });
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <div className="latent-png-input">
      <label>
        {label}
        <input
          type="file"
          accept="image/png"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void open(file);
          }}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}

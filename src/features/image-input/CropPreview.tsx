// The loaded image with the square the models will see outlined: resizeAndCenterCrop keeps the centred
// min(width, height) square, so the user sees what is cut off before encoding.
import { useCallback } from 'react';
import { RgbaCanvas } from '../../components/RgbaCanvas';
import { toImageData } from '../../components/image-data';
import { centerCropRect, type RgbaImage } from '../../engine/formats/pixels';

export function CropPreview({
  image,
  label,
  size = 256,
}: {
  image: RgbaImage;
  label: string;
  size?: number;
}) {
  // Over the painted image: everything outside the crop dimmed, the crop repainted and outlined.
  const outlineCrop = useCallback(
    (context: CanvasRenderingContext2D) => {
      const crop = centerCropRect(image.width, image.height);
      const line = Math.max(2, Math.round(Math.max(image.width, image.height) / 128));
      context.fillStyle = 'rgba(0, 0, 0, 0.45)';
      context.fillRect(0, 0, image.width, image.height);
      context.putImageData(toImageData(image), 0, 0, crop.x, crop.y, crop.side, crop.side);
      context.strokeStyle = '#ffd400';
      context.lineWidth = line;
      context.strokeRect(crop.x + line / 2, crop.y + line / 2, crop.side - line, crop.side - line);
    },
    [image],
  );
  return <RgbaCanvas image={image} label={label} size={size} smooth overlay={outlineCrop} />;
}

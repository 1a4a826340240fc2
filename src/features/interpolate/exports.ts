// The Interpolate view's exports, all made in the page from a finished run: the animated GIF and the PNG
// strip come from the engine pipeline (the bytes `svg-studio interpolate` writes), the WebM video from
// MediaRecorder on a canvas stream, where the browser has it.
import { toImageData } from '../../components/image-data';
import type { RgbaImage } from '../../engine/formats/pixels';

export class WebmUnsupportedError extends Error {}

const WEBM_TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

/** Records the frames (each shown for delayMs) from a canvas stream into a WebM blob. */
export async function webmBlob(frames: readonly RgbaImage[], delayMs: number): Promise<Blob> {
  const first = frames[0];
  if (!first) throw new RangeError('no frames to record');
  const type =
    typeof MediaRecorder === 'undefined'
      ? undefined
      : WEBM_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
  const canvas = document.createElement('canvas');
  if (!type || typeof canvas.captureStream !== 'function')
    throw new WebmUnsupportedError(
      'This browser cannot record WebM video (no MediaRecorder with WebM); export a GIF instead.',
    );
  canvas.width = first.width;
  canvas.height = first.height;
  const context = canvas.getContext('2d');
  if (!context) throw new WebmUnsupportedError('This browser gave no 2-D canvas to record from.');
  const stream = canvas.captureStream(Math.max(1, Math.round(1000 / delayMs)));
  const recorder = new MediaRecorder(stream, { mimeType: type });
  const parts: Blob[] = [];
  recorder.ondataavailable = (event) => parts.push(event.data);
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
  recorder.start();
  for (const frame of frames) {
    context.putImageData(toImageData(frame), 0, 0);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  recorder.stop();
  await stopped;
  stream.getTracks().forEach((track) => track.stop());
  return new Blob(parts, { type: 'video/webm' });
}

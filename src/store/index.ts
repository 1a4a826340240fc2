// The studio's one zustand store, composed from slices; components read it through selectors.
import { create } from 'zustand';
import { createEditSlice, type EditSlice } from './edit-slice';
import { createGallerySlice, type GallerySlice } from './gallery-slice';
import { createGenerationSlice, type GenerationSlice } from './generation-slice';
import { createGridSlice, type GridSlice } from './grid-slice';
import { createInspectSlice, type InspectSlice } from './inspect-slice';
import { createInterpolateSlice, type InterpolateSlice } from './interpolate-slice';
import { createModelSlice, type ModelSlice } from './model-slice';
import { createReconstructSlice, type ReconstructSlice } from './reconstruct-slice';

export type StudioState = ModelSlice &
  GenerationSlice &
  GridSlice &
  GallerySlice &
  InterpolateSlice &
  EditSlice &
  ReconstructSlice &
  InspectSlice;

export const useStudio = create<StudioState>()((...args) => ({
  ...createModelSlice(...args),
  ...createGenerationSlice(...args),
  ...createGridSlice(...args),
  ...createGallerySlice(...args),
  ...createInterpolateSlice(...args),
  ...createEditSlice(...args),
  ...createReconstructSlice(...args),
  ...createInspectSlice(...args),
}));

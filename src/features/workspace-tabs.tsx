// The studio's views, as a table: App renders one tab per row, so adding a view is adding a row here
// (and never another branch in App). Order is the order of the tab strip.
import type { ComponentType } from 'react';
import { GalleryView } from './gallery/GalleryView';
import { GenerateWorkspace } from './generate/GenerateWorkspace';
import { FeatureInspector } from './inspector/FeatureInspector';
import { ReconstructionLab } from './lab/ReconstructionLab';
import { InterpolateView } from './interpolate/InterpolateView';
import { EditView } from './edit/EditView';
import { ModelsView } from './models/ModelsView';

export interface WorkspaceTab {
  /** Stable id: used in the URL (?view=) and as the DOM id prefix. */
  readonly id: string;
  readonly label: string;
  readonly View: ComponentType;
}

export const WORKSPACE_TABS: readonly WorkspaceTab[] = [
  { id: 'generate', label: 'Generate', View: GenerateWorkspace },
  { id: 'gallery', label: 'Gallery', View: GalleryView },
  { id: 'reconstruct', label: 'Reconstruct', View: ReconstructionLab },
  { id: 'inspect', label: 'Inspect', View: FeatureInspector },
  { id: 'interpolate', label: 'Interpolate', View: InterpolateView },
  { id: 'edit', label: 'Edit', View: EditView },
  { id: 'models', label: 'Models', View: ModelsView },
];

export function findTab(id: string | null): WorkspaceTab {
  return WORKSPACE_TABS.find((tab) => tab.id === id) ?? WORKSPACE_TABS[0]!;
}

/** The notice line for a link whose ?view= names no tab (it opens the first tab), or null. */
export function unknownViewNotice(id: string | null): string | null {
  if (id === null || WORKSPACE_TABS.some((tab) => tab.id === id)) return null;
  const first = WORKSPACE_TABS[0]!;
  return `The link's view "${id}" does not exist (${WORKSPACE_TABS.map((tab) => tab.id).join(', ')}); opening ${first.label}.`;
}

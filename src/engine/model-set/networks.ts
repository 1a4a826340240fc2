// The four networks of a model set and which of them each task needs: the one table the engine's
// methods, the session set's eviction and the planner's memory check all read.

export const NETWORK_ROLES = ['dinoEncoder', 'residualEncoder', 'decoder', 'dit'] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

/** How the studio names each network to the user. */
export const NETWORK_LABEL: Readonly<Record<NetworkRole, string>> = {
  dinoEncoder: 'DINO encoder',
  residualEncoder: 'residual encoder',
  decoder: 'decoder',
  dit: 'DiT',
};

/**
 * Networks x tasks, one row per StudioEngine method that runs networks. generate: the DiT samples and the
 * decoder turns latents (and previews) into images; reconstruct (the reconstruction view): encoders then
 * decoder; encodeImages (inspector, editing): both encoders; decodeLatents: the decoder.
 */
export const TASK_NETWORKS = {
  generate: ['dit', 'decoder'],
  reconstruct: ['dinoEncoder', 'residualEncoder', 'decoder'],
  encodeImages: ['dinoEncoder', 'residualEncoder'],
  decodeLatents: ['decoder'],
} as const satisfies Record<string, readonly NetworkRole[]>;

export type StudioTask = keyof typeof TASK_NETWORKS;
export const STUDIO_TASKS = Object.keys(TASK_NETWORKS) as StudioTask[];

/** The task a set loads for first: its networks are opened with the set, the rest on first use. */
export const FIRST_TASK: StudioTask = 'generate';

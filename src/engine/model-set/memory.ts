// How much memory an open session is assumed to take, for the capability check and the session set's
// budget: the variant's file bytes (graph + external data) times SESSION_MEMORY_FACTOR.
import { variantBytes, type NetworkVariant } from './schema';

/**
 * Resident bytes per file byte of an open session: ONNX Runtime keeps the weights once (the file is
 * mostly initialisers), plus its allocator's arena and the graph's optimised copies of constant-folded
 * tensors, which we budget at half the weights again. Loading briefly holds the file bytes as well,
 * one session at a time, which the planner's activation allowance covers for networks up to its size.
 */
export const SESSION_MEMORY_FACTOR = 1.5;

export const estimateSessionBytes = (variant: NetworkVariant): number =>
  Math.ceil(variantBytes(variant) * SESSION_MEMORY_FACTOR);

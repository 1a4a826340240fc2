// The class part of sampleFlow's options for the scheduler tests that sample one item without guidance:
// there the solver, the time grid or the start is under test, never the labels.
import type { SampleFlowOptions } from '../../../src/engine/schedulers/sampler';

/** One item of class 0 (null class 1), no guidance: one model call per evaluation at batch 1. */
export const ONE_UNGUIDED: Pick<SampleFlowOptions<unknown>, 'labels' | 'nullId' | 'guidance'> = {
  labels: [0],
  nullId: 1,
  guidance: null,
};

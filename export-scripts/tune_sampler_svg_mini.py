#!/usr/bin/env python3
"""Measure SVG-Mini's sampler settings (shift x guidance at the default step count) and write the sweep with
the chosen defaults (thin CLI over svg_mini.sampler_sweep). The chosen values are the ones the pipeline
writes into the manifest.

  /usr/bin/python3 export-scripts/tune_sampler_svg_mini.py --run export-scripts/runs/svg-mini \
      --out docs/svg-mini/sampler-sweep.json
  /usr/bin/python3 export-scripts/tune_sampler_svg_mini.py --version 2 --run export-scripts/runs/svg-mini-v2 \
      --out docs/svg-mini-v2/sampler-sweep.json [--shifts 0.4,0.686,1 --guidance-scales 3,4.5,6,8]
The v2 export takes the chosen shift and guidance from that file (train_svg_mini_v2.py --sampler-sweep).
"""
import argparse
from pathlib import Path

import torch

from svg_mini.cli import V2_DATA, add_run_arguments, run_from_arguments, timestamped_log
from svg_mini.sampler_sweep import GUIDANCE_SCALES, sweep, sweep_v2



def positive_floats(text: str) -> tuple[float, ...]:
    """"0.4,0.686" -> (0.4, 0.686); argparse reports the ValueError's message with the option's name."""
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers") from None
    if not values or any(not v > 0 or v != v or v == float("inf") for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: give positive finite numbers, comma-separated")
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, help="the sweep's JSON file")
    parser.add_argument("--version", type=int, choices=(1, 2), default=1)
    parser.add_argument("--data", type=Path, default=V2_DATA, help="v2: the prepared data file")
    parser.add_argument("--shifts", type=positive_floats, help="v2: shifts to sweep, comma-separated "
                        "(default: v1's grid plus the training shift)")
    parser.add_argument("--guidance-scales", type=positive_floats, default=GUIDANCE_SCALES,
                        help="v2: guidance scales to sweep, comma-separated")
    parser.add_argument("--samples-per-class", type=int, default=8, help="v2: samples per class and setting")
    args = parser.parse_args()
    if args.samples_per_class < 1:
        parser.error(f"--samples-per-class must be at least 1, got {args.samples_per_class}")
    if args.version == 1:
        from svg_mini.pipeline import DEFAULT_STEPS

        sweep(run_from_arguments(args), DEFAULT_STEPS, args.out, seed=args.seed)
        return
    from svg_mini.pipeline_v2 import BUDGETS, DEFAULT_STEPS, Run
    from svg_mini.prepared import load_prepared

    torch.set_num_threads(args.threads)
    log = timestamped_log()
    data = load_prepared(args.data)
    result = Run(args.run, data, BUDGETS["cpu"], args.seed, log=log).all(with_ablations=False)
    sweep_v2(result, data, DEFAULT_STEPS, args.out, seed=args.seed, samples_per_class=args.samples_per_class,
             shifts=args.shifts, guidance_scales=args.guidance_scales, log=log)


if __name__ == "__main__":
    main()

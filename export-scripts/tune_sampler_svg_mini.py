#!/usr/bin/env python3
"""Measure SVG-Mini's sampler settings (shift x guidance at the default step count) and write the sweep with
the chosen defaults (thin CLI over svg_mini.sampler_sweep). The chosen values are the ones the pipeline
writes into the manifest.

  /usr/bin/python3 export-scripts/tune_sampler_svg_mini.py --run export-scripts/runs/svg-mini \
      --out docs/svg-mini/sampler-sweep.json
  /usr/bin/python3 export-scripts/tune_sampler_svg_mini.py --version 2 --run export-scripts/runs/svg-mini-v2 \
      --out docs/svg-mini-v2/sampler-sweep.json
"""
import argparse
from pathlib import Path

import torch

from svg_mini.cli import add_run_arguments, run_from_arguments, timestamped_log
from svg_mini.sampler_sweep import sweep, sweep_v2

DEFAULT_V2_DATA = Path(__file__).resolve().parent / "runs" / "svg-mini-v2-data.npz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, help="the sweep's JSON file")
    parser.add_argument("--version", type=int, choices=(1, 2), default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_V2_DATA, help="v2: the prepared data file")
    args = parser.parse_args()
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
    sweep_v2(result, data, DEFAULT_STEPS, args.out, seed=args.seed, log=log)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Measure SVG-Mini's sampler settings (shift x guidance at the default step count) and write the sweep with
the chosen defaults to docs/svg-mini/sampler-sweep.json (thin CLI over svg_mini.sampler_sweep). The chosen
values are the ones svg_mini.pipeline writes into the manifest.

  /usr/bin/python3 export-scripts/tune_sampler_svg_mini.py --run export-scripts/runs/svg-mini \
      --out docs/svg-mini/sampler-sweep.json
"""
import argparse
from pathlib import Path

from svg_mini.cli import add_run_arguments, run_from_arguments
from svg_mini.pipeline import DEFAULT_STEPS
from svg_mini.sampler_sweep import sweep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, help="the sweep's JSON file")
    args = parser.parse_args()
    sweep(run_from_arguments(args), DEFAULT_STEPS, args.out, seed=args.seed)


if __name__ == "__main__":
    main()

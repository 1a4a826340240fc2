#!/usr/bin/env python3
"""Evaluate the trained SVG-Mini run and write docs/svg-mini/metrics.json and PNG grids (thin CLI).

  /usr/bin/python3 export-scripts/evaluate_svg_mini.py --run export-scripts/runs/svg-mini \
      --manifest public/models/svg-mini/manifest.json --out docs/svg-mini
"""
import argparse
import json
from pathlib import Path

from svg_mini.cli import add_run_arguments, run_from_arguments
from svg_mini.evaluate import evaluate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser)
    parser.add_argument("--manifest", type=Path, required=True, help="the exported manifest (sampler defaults)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    evaluate(run_from_arguments(args), json.loads(args.manifest.read_text()), args.out, seed=args.seed)


if __name__ == "__main__":
    main()

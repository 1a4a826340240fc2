#!/usr/bin/env python3
"""Train SVG-Mini end to end and export it as a model set (thin CLI over svg_mini.pipeline).

  nohup nice /usr/bin/python3 export-scripts/train_svg_mini.py --run export-scripts/runs/svg-mini \
      --out public/models/svg-mini > export-scripts/runs/svg-mini.log 2>&1 &

Resumable: re-running the same command skips finished stages and resumes the interrupted one. Runs on the
CPU (2 threads by default); deterministic for a seed.
"""
import argparse
from pathlib import Path

from svg_export.cli import add_ort_check_argument
from svg_mini.cli import add_run_arguments, run_from_arguments, timestamped_log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser, run_help="folder for checkpoints and stage outputs")
    parser.add_argument("--out", type=Path, help="model-set folder to export to (e.g. public/models/svg-mini)")
    add_ort_check_argument(parser)
    args = parser.parse_args()
    log = timestamped_log()
    run_from_arguments(args, log=log, export_to=args.out, check_with_ort=not args.no_ort_check)
    log("done")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Train SVG-Mini end to end and export it as a model set (thin CLI over svg_mini.pipeline).

  nohup nice /usr/bin/python3 export-scripts/train_svg_mini.py --run export-scripts/runs/svg-mini \
      --out public/models/svg-mini > export-scripts/runs/svg-mini.log 2>&1 &

Resumable: re-running the same command skips finished stages and resumes the interrupted one. Runs on the
CPU (2 threads by default); deterministic for a seed.
"""
import argparse
import time
from pathlib import Path

import torch

from svg_mini.pipeline import BUDGETS, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="folder for checkpoints and stage outputs")
    parser.add_argument("--out", type=Path, help="model-set folder to export to (e.g. public/models/svg-mini)")
    parser.add_argument("--budget", choices=sorted(BUDGETS), default="full")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--node-modules", type=Path, default=Path(__file__).resolve().parent.parent / "node_modules")
    parser.add_argument("--no-ort-check", action="store_true", help="skip the ONNX Runtime (Node) comparison")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    started = time.time()
    log = lambda message: print(f"[{time.time() - started:7.0f} s] {message}", flush=True)  # noqa: E731
    run(args.run, args.node_modules, BUDGETS[args.budget], args.seed, log=log, export_to=args.out,
        check_with_ort=not args.no_ort_check)
    log("done")


if __name__ == "__main__":
    main()

"""What the SVG-Mini command lines share: the run-folder arguments and a timestamped log."""
import argparse
import time
from pathlib import Path

import torch

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
V2_DATA = Path(__file__).resolve().parents[1] / "runs" / "svg-mini-v2-data.npz"  # prepare_svg_mini_v2.py's --out


def add_run_arguments(parser: argparse.ArgumentParser, run_help: str = "the finished SVG-Mini training run") -> None:
    from .pipeline import BUDGETS  # v1 only; imported here so v2's GPU command needs neither onnx nor Pillow

    parser.add_argument("--run", type=Path, required=True, help=run_help)
    parser.add_argument("--budget", choices=sorted(BUDGETS), default="full")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--node-modules", type=Path, default=NODE_MODULES)


def timestamped_log():
    started = time.time()
    return lambda message: print(f"[{time.time() - started:7.0f} s] {message}", flush=True)


def run_from_arguments(args: argparse.Namespace, log=lambda _: None, **options) -> dict:
    """pipeline.run on the parsed arguments (on a finished run it only loads the stages)."""
    from .pipeline import BUDGETS, run

    torch.set_num_threads(args.threads)
    return run(args.run, args.node_modules, BUDGETS[args.budget], args.seed, log=log, **options)

#!/usr/bin/env python3
"""Train SVG-Mini v2 (64 px, svg_mini/classes.json) from the prepared data file, stage by stage, and
optionally export it as a model set (thin CLI over svg_mini.pipeline_v2).

CPU (resumable; re-running the same command skips finished stages and resumes the interrupted one):
  nohup nice -n 19 /usr/bin/python3 export-scripts/train_svg_mini_v2.py --run export-scripts/runs/svg-mini-v2 \
      --snapshot-every 100 >> export-scripts/runs/svg-mini-v2.log 2>&1 &
CUDA (one command, time-budgeted, writes the 8 stage files; see gpu_train_svg_mini_v2.sh):
  python3 export-scripts/train_svg_mini_v2.py --device cuda --budget gpu --run "$OUT/svg-mini-v2" --scratch /tmp/s
Export a finished run (checked in ONNX Runtime through Node):
  /usr/bin/python3 export-scripts/train_svg_mini_v2.py --run export-scripts/runs/svg-mini-v2 --out public/models/svg-mini-v2
"""
import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import torch

from svg_export.cli import add_ort_check_argument
from svg_mini.cli import NODE_MODULES, V2_DATA, timestamped_log
from svg_mini.pipeline_v2 import BUDGETS, EXPORT_VARIANTS, SIZES, Run, describe, export
from svg_mini.prepared import load_prepared, prepare



def clean_decoder(run: Run) -> None:
    dino = run.ssl()
    run.decoder(dino, run.autoencoder(dino), 0.0)


# Stages `--only` trains on their own (finished stages they need are loaded, missing ones trained first).
SINGLE_STAGES = {"classifier": Run.classifier, "decoder-clean": clean_decoder}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="folder of the stage files")
    parser.add_argument("--data", type=Path, default=V2_DATA,
                        help="prepared data (.npz); made from --node-modules when missing and they exist")
    parser.add_argument("--node-modules", type=Path, default=NODE_MODULES)
    parser.add_argument("--scratch", type=Path, help="folder for resumable checkpoints (default: --run)")
    parser.add_argument("--budget", choices=sorted(BUDGETS), default="cpu")
    parser.add_argument("--sizes", choices=sorted(SIZES), default="full", help="network sizes (tiny: tests)")
    parser.add_argument("--seconds", type=float, help="time-budget the stages to this many seconds in all")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", choices=sorted(SINGLE_STAGES),
                        help="train just this stage (classifier: needs no other; decoder-clean: the ablation's "
                             "control decoder, needs ssl and autoencoder)")
    parser.add_argument("--no-ablations", action="store_true", help="skip decoder-clean and the shift ablation")
    parser.add_argument("--snapshot-every", type=int, help="keep stage snapshots every N steps (run/snapshots)")
    parser.add_argument("--out", type=Path, help="model-set folder to export to (e.g. public/models/svg-mini-v2)")
    parser.add_argument("--sampler-sweep", type=Path,
                        help="with --out: take the manifest's shift and guidance from this sweep's choice "
                             "(tune_sampler_svg_mini.py --version 2); default: training shift, guidance 3")
    add_ort_check_argument(parser)
    parser.add_argument("--variants", default=",".join(EXPORT_VARIANTS),
                        help="precision ids to export, comma-separated (src/engine/model-set/precisions.json)")
    args = parser.parse_args(argv)
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        parser.error(f"--device {args.device}: no CUDA device is available to torch {torch.__version__}")
    if args.sampler_sweep is not None and not args.sampler_sweep.is_file():
        parser.error(f"--sampler-sweep {args.sampler_sweep}: no such file")
    if args.seconds is not None and args.seconds <= 0:
        parser.error(f"--seconds must be positive, got {args.seconds}")
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    log = timestamped_log()
    if not args.data.exists():
        if not (args.node_modules / "emoji-datasource-google").is_dir():
            raise SystemExit(f"{args.data}: no prepared data and no emoji packages under {args.node_modules} to "
                             "make it (run export-scripts/prepare_svg_mini_v2.py where they are installed)")
        log(f"preparing {args.data}: {json.dumps(prepare(args.node_modules, args.data, seed=args.seed))}")
    data = load_prepared(args.data)
    budget = BUDGETS[args.budget] if args.seconds is None else replace(BUDGETS[args.budget], seconds=args.seconds)
    sizes = SIZES[args.sizes]
    log(f"data: {len(data.train_index)} training and {len(data.held_index)} held-out images, "
        f"{len(data.class_names)} classes; {describe(budget, sizes)}; torch {torch.__version__} on {args.device}")
    run = Run(args.run, data, budget, args.seed, sizes=sizes, device=args.device, scratch=args.scratch, log=log,
              snapshot_every=args.snapshot_every)
    started = time.time()
    if args.only is not None:
        SINGLE_STAGES[args.only](run)
        log("done")
        return {}
    result = run.all(with_ablations=not args.no_ablations)
    log(f"trained in {time.time() - started:.0f} s")
    if args.out is not None:
        export(result, data.class_names, data.images.shape[-1], args.out, log=log,
               variants=tuple(v.strip() for v in args.variants.split(",") if v.strip()),
               check_with_ort=not args.no_ort_check, sampler_sweep=args.sampler_sweep)
    log("done")
    return result


if __name__ == "__main__":
    main()

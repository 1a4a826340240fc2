#!/usr/bin/env python3
"""PyTorch-eager side of `npm run bench`: one DiT of a given config with seeded random weights, exported
to ONNX (so onnxruntime-node runs the same weights) and timed in PyTorch at a given batch and thread count.

  bench_torch.py --config '{"hidden_size": 128, ...}' --threads 2 --batch 2 --onnx /tmp/dit.onnx --repeats 7

--config: a DiT config object (a manifest's networks.dit.config) or the name of a preset (B, L, XL).
Prints one JSON line: torchMs (median of --repeats after one warm-up forward), the BLAS library the process
actually loaded (read from /proc/self/maps after a matmul: Debian's torch reports BLAS_INFO=generic at
build time and uses whichever libblas.so.3 the alternatives system points to), threads and parameters.
The ONNX file is written only when missing (the weights come from --seed, so a cached file matches).
"""
import argparse
import json
import os
import statistics
import time
from pathlib import Path

import torch

from svg_export.networks import build_network, export_role
from svg_models.dit import DiTConfig
from svg_models.random_init import randomize_weights


def loaded_blas() -> str:
    """The BLAS shared object mapped into this process (after torch has run a matmul)."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps", encoding="utf-8") as maps:
        libraries = {line.split()[-1] for line in maps if ".so" in line}
    for marker in ("openblas", "mkl", "blis", "libblas"):
        found = sorted(lib for lib in libraries if marker in os.path.basename(lib))
        if found:
            return found[0]
    return "none found"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="DiT config JSON object, or a preset name (B, L, XL)")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--onnx", required=True, help="where the ONNX export of the same weights goes")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    config = DiTConfig.preset(args.config) if args.config in ("B", "L", "XL") else DiTConfig.from_dict(json.loads(args.config))
    model = randomize_weights(build_network("dit", config), args.seed).eval()
    onnx_path = Path(args.onnx)
    if not onnx_path.exists():
        onnx_path.parent.mkdir(parents=True, exist_ok=True)
        export_role("dit", model, onnx_path, batch=args.batch, check_with_ort=False)

    gen = torch.Generator().manual_seed(args.seed + 1)
    x = torch.randn(args.batch, config.num_tokens, config.in_channels, generator=gen)
    t = torch.full((args.batch,), 0.5)
    y = torch.zeros(args.batch, dtype=torch.long)
    times = []
    with torch.inference_mode():
        for i in range(args.repeats + 1):
            start = time.perf_counter()
            model(x, t, y)
            if i > 0:  # the first forward allocates and is left out, as on the ONNX Runtime side
                times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({
        "torchMs": statistics.median(times),
        "torchTimesMs": times,
        "threads": torch.get_num_threads(),
        "blas": loaded_blas(),
        "parameters": sum(p.numel() for p in model.parameters()),
        "tokens": config.num_tokens,
        "channels": config.in_channels,
        "onnx": str(onnx_path),
    }))


if __name__ == "__main__":
    main()

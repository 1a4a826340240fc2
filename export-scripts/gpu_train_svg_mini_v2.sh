#!/usr/bin/env bash
# SVG-Mini v2 on one CUDA GPU in one command (<= 9 minutes): every stage, time-budgeted, from the prepared
# data file; writes the 8 stage files (<= 16 MiB each) and a log into $OUT/svg-mini-v2, scratch in /tmp.
# Export and evaluation run afterwards on the CPU machine (train_svg_mini_v2.py --run <those files> --out ...).
#
#   bash export-scripts/gpu_train_svg_mini_v2.sh          # on the GPU machine; carry the data file there:
#                                                          # export-scripts/runs/svg-mini-v2-data.npz
#   bash export-scripts/gpu_train_svg_mini_v2.sh tiny     # the same command at tiny size on the CPU (tests)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
OUT=${OUT:-export-scripts/runs/gpu}
DATA=${DATA:-export-scripts/runs/svg-mini-v2-data.npz}
RUN="$OUT/svg-mini-v2"
mkdir -p "$RUN"
if [ "${1:-}" = "tiny" ]; then
  # Tiny networks, a few steps, CPU: the whole command path (calibration included) in seconds.
  "$PYTHON" export-scripts/train_svg_mini_v2.py --run "$RUN" --data "$DATA" --scratch "${SCRATCH:-$RUN/scratch}" \
    --budget smoke --sizes tiny --seconds "${SECONDS_BUDGET:-4}" --device cpu --threads "${THREADS:-1}" \
    2>&1 | tee "$RUN/train-log.txt"
  exit "${PIPESTATUS[0]}"
fi
"$PYTHON" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else "no CUDA device visible to torch")'
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
# 450 s of stage training (budget "gpu") + calibration, CUDA start-up, data, latents and file writes; the
# timeout is the hard stop at 9 minutes (finished stages are already on disk; a re-run resumes the rest).
timeout 540 "$PYTHON" export-scripts/train_svg_mini_v2.py --run "$RUN" --data "$DATA" \
  --scratch "${SCRATCH:-/tmp/svg-mini-v2-scratch}" --budget gpu --device cuda --threads 16 \
  2>&1 | tee "$RUN/train-log.txt"
ls -la "$RUN"

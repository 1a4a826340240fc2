#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine: system packages (Chromium for the e2e tests, Debian's
# PyTorch/ONNX for export-scripts) when missing, then the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
/usr/bin/python3 -c 'import torch, torchvision, onnx, numpy' >/dev/null 2>&1 ||
  missing+=(python3-torch python3-torchvision python3-onnx python3-numpy)
# Debian's torch links the reference BLAS by default; OpenBLAS replaces it (libblas.so.3 alternative) and
# is what `npm run bench` compares onnxruntime-node against.
dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q 'ok installed' ||
  missing+=(libopenblas0-pthread)
/usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 || missing+=(python3-pytest)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# onnxruntime-node's install script downloads CUDA files; its CPU binaries ship in the package.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Check that OpenBLAS takes effect: the BLAS library PyTorch actually maps after a matmul (its build
# info says BLAS_INFO=generic whichever libblas.so.3 the alternatives system selects).
blas=$(/usr/bin/python3 -c '
import os, torch
torch.ones(64, 64) @ torch.ones(64, 64)
libs = {l.split()[-1] for l in open("/proc/self/maps") if ".so" in l}
print(next((l for l in sorted(libs) if "blas" in os.path.basename(l)), "none"))' 2>/dev/null || echo "unknown")
case "$blas" in
  *openblas*) echo "setup: PyTorch uses OpenBLAS ($blas)" ;;
  *) echo "setup: warning: PyTorch loads $blas, not OpenBLAS; see update-alternatives --display libblas.so.3-$(uname -m)-linux-gnu" >&2 ;;
esac

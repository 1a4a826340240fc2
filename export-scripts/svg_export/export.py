"""Export one PyTorch network to ONNX and prove the file computes what PyTorch computes.

Why this file: every graph the studio loads goes through `export_network`: opset 17, float32, a dynamic
batch axis named "batch" and every other axis fixed, constant-folded tables, no control-flow nodes,
`onnx.checker`, then a run in ONNX Runtime (Node, via `src/cli/ort-run.ts`, since Python has no
onnxruntime here) compared with PyTorch at the example batch and at other batch sizes. Graphs over 2 GB
keep their weights in one external-data file next to the .onnx.
"""
import hashlib
import json
import subprocess
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import Tensor, nn

from .float16 import convert_file

REPO_ROOT = Path(__file__).resolve().parents[2]
ORT_RUN = ("npx", "tsx", "src/cli/ort-run.ts")
OPSET = 17
PROTOBUF_LIMIT = 2**31 - 1
GRAPH_HEADROOM = 64 << 20  # room for the graph itself next to the weights in one protobuf
FLOAT16_RELATIVE_TOLERANCE = 1e-2  # of the output range: float16 keeps about 3 significant digits
FORBIDDEN_OPS = frozenset({"If", "Loop", "Scan"})
_ONNX_DTYPES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.INT64: "int64"}


class ExportCheckError(RuntimeError):
    """The exported graph is invalid or disagrees with PyTorch beyond the tolerance."""


@dataclass
class ExportReport:
    path: Path
    bytes: int  # of the .onnx file
    sha256: str
    parameters: int
    inputs: list[dict]  # [{"name", "dtype", "shape": ["batch", 3, 64, 64]}]
    outputs: list[dict]
    ops: dict[str, int]  # node count per op type
    export_seconds: float
    external_data: dict | None = None  # {"file", "bytes", "sha256"} of the weights of a graph over 2 GB
    tolerance: float = 1e-4
    max_abs_error: dict[int, float] = field(default_factory=dict)  # batch size -> max |ORT - PyTorch|
    check_seconds: float = 0.0
    float16: dict | None = None  # the manifest's `float16` entry of the half-precision variant, if written

    def summary(self) -> str:
        shapes = lambda ios: ", ".join(f"{io['name']} {io['dtype']}{io['shape']}" for io in ios)
        if self.max_abs_error:
            check = ", ".join(f"batch {b}: {e:.3g}" for b, e in sorted(self.max_abs_error.items()))
            check = f"max abs error vs PyTorch ({check}; tolerance {self.tolerance:g}) in {self.check_seconds:.1f} s"
        else:
            check = "ONNX Runtime check skipped"
        size = self.bytes + (self.external_data["bytes"] if self.external_data else 0)
        external = f" + external data {self.external_data['file']}" if self.external_data else ""
        if self.float16:
            error = self.float16.get("maxRelativeError")
            check += (f"\n  float16 variant {self.float16['file']}: {self.float16['bytes'] / 2**20:.2f} MiB"
                      + (f", max error {error:.3g} of the output range" if error is not None else ""))
        return "\n".join(
            [
                f"{self.path}{external}: {size / 2**20:.2f} MiB, {self.parameters:,} parameters, "
                f"exported in {self.export_seconds:.1f} s",
                f"  inputs:  {shapes(self.inputs)}",
                f"  outputs: {shapes(self.outputs)}",
                f"  {sum(self.ops.values())} nodes: "
                + ", ".join(f"{op} {n}" for op, n in sorted(self.ops.items(), key=lambda kv: -kv[1])),
                f"  {check}",
            ]
        )


def ort_run_available(repo_root: Path = REPO_ROOT) -> bool:
    """Whether the Node runner and its TypeScript loader are present in the checkout."""
    return (repo_root / ORT_RUN[-1]).is_file() and (repo_root / "node_modules" / ".bin" / "tsx").exists()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 24), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _io_description(values) -> list[dict]:
    out = []
    for value in values:
        tensor_type = value.type.tensor_type
        shape = [d.dim_param if d.dim_param else d.dim_value for d in tensor_type.shape.dim]
        out.append({"name": value.name, "dtype": _ONNX_DTYPES[tensor_type.elem_type], "shape": shape})
    return out


def _save(proto: onnx.ModelProto, out_path: Path, external: bool) -> str | None:
    """Write the model; with `external`, its weights go to one file `<name>.data` next to it."""
    data_file = out_path.with_name(out_path.name + ".data")
    data_file.unlink(missing_ok=True)
    if not external:
        onnx.save_model(proto, str(out_path))
        return None
    onnx.save_model(proto, str(out_path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=data_file.name, size_threshold=1024)
    return data_file.name


def _outputs(model: nn.Module, inputs: Sequence[Tensor]) -> tuple[Tensor, ...]:
    out = model(*inputs)
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def _declare_output_shapes(proto: onnx.ModelProto, outputs: Sequence[Tensor],
                           dynamic_axes: Mapping[str, Mapping[int, str]]) -> None:
    """Declare each graph output with PyTorch's shape, named dynamic axes kept symbolic.

    torch 1.13 loses static sizes after any Reshape with -1 on a dynamic batch and writes placeholder
    names for them; its partial value_info is dropped too (onnx shape inference redoes it at the check).
    """
    del proto.graph.value_info[:]
    for value, tensor in zip(proto.graph.output, outputs):
        dims = value.type.tensor_type.shape.dim
        del dims[:]
        for axis, size in enumerate(tensor.shape):
            dim = dims.add()
            if axis in dynamic_axes.get(value.name, {}):
                dim.dim_param = dynamic_axes[value.name][axis]
            else:
                dim.dim_value = size


def _cycle_batch(inputs: Sequence[Tensor], batch: int) -> tuple[Tensor, ...]:
    """The example inputs re-indexed to another batch size (rows repeated cyclically)."""
    rows = torch.arange(batch) % inputs[0].shape[0]
    return tuple(x[rows] for x in inputs)


def run_with_ort(model_path: Path, inputs: Mapping[str, Tensor], output_names: Sequence[str],
                 repo_root: Path = REPO_ROOT) -> dict[str, np.ndarray]:
    """Run an ONNX file in onnxruntime-node through `ort-run.ts` (inputs and outputs as .npy files)."""
    with tempfile.TemporaryDirectory(prefix="svg-ort-") as tmp:
        tmp_dir = Path(tmp)
        job = {"model": str(model_path.resolve()), "inputs": {}, "outputs": {}}
        for name, value in inputs.items():
            array = value.numpy()
            array = array.astype("<i8" if array.dtype.kind in "iu" else "<f4")  # little-endian, C order
            job["inputs"][name] = str(tmp_dir / f"in_{name}.npy")
            np.save(job["inputs"][name], np.ascontiguousarray(array))
        for name in output_names:
            job["outputs"][name] = str(tmp_dir / f"out_{name}.npy")
        job_path = tmp_dir / "job.json"
        job_path.write_text(json.dumps(job))
        result = subprocess.run([*ORT_RUN, str(job_path)], cwd=repo_root, capture_output=True, text=True)
        if result.returncode != 0:
            raise ExportCheckError(f"ort-run failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
        return {name: np.load(job["outputs"][name]) for name in output_names}


def compare_with_ort(model: nn.Module, example_inputs: Sequence[Tensor], input_names: Sequence[str],
                     output_names: Sequence[str], path: Path, check_batches: Sequence[int],
                     expected: Sequence[Tensor] | None = None, repo_root: Path = REPO_ROOT) -> dict[int, tuple[float, float]]:
    """Run `path` in ONNX Runtime at the example batch and each of `check_batches` against PyTorch:
    {batch: (max |ORT - PyTorch|, max |PyTorch|)} over all outputs. A shape mismatch raises ExportCheckError."""
    results = {}
    for batch in [example_inputs[0].shape[0], *check_batches]:
        inputs = _cycle_batch(example_inputs, batch)
        want_outputs = expected if expected is not None and batch == example_inputs[0].shape[0] else _outputs(model, inputs)
        got = run_with_ort(path, dict(zip(input_names, inputs)), output_names, repo_root)
        errors, scales = [], []
        for name, want in zip(output_names, want_outputs):
            if got[name].shape != tuple(want.shape):
                raise ExportCheckError(f"{path}: {name} has shape {got[name].shape} in ONNX Runtime, "
                                       f"{tuple(want.shape)} in PyTorch (batch {batch})")
            errors.append(float(np.abs(got[name] - want.numpy()).max()))
            scales.append(float(want.abs().max()))
        results[batch] = (max(errors), max(scales))
    return results


def write_float16_variant(model: nn.Module, example_inputs: Sequence[Tensor], input_names: Sequence[str],
                          output_names: Sequence[str], path: Path, check_with_ort: bool = True,
                          repo_root: Path = REPO_ROOT) -> dict:
    """Convert the exported float32 graph at `path` to `<name>.fp16.onnx` (float16.py) and, with
    `check_with_ort`, compare it in ONNX Runtime against PyTorch's float32 outputs: the largest error
    relative to the largest output must stay within FLOAT16_RELATIVE_TOLERANCE. -> the manifest's
    `float16` entry {"file", "bytes", "sha256"} (+ "maxRelativeError" when checked)."""
    half_path = convert_file(path)
    entry = {"file": half_path.name, "bytes": half_path.stat().st_size, "sha256": sha256_file(half_path)}
    if check_with_ort:
        compared = compare_with_ort(model, example_inputs, input_names, output_names, half_path, (), None, repo_root)
        relative = max(error / max(scale, 1e-12) for error, scale in compared.values())
        if not relative <= FLOAT16_RELATIVE_TOLERANCE:
            raise ExportCheckError(f"{half_path}: float16 differs from PyTorch float32 by {relative:.3g} of the output "
                                   f"range > {FLOAT16_RELATIVE_TOLERANCE:g}")
        entry["maxRelativeError"] = float(f"{relative:.3g}")
    return entry


@torch.no_grad()
def export_network(
    model: nn.Module,
    example_inputs: Sequence[Tensor],
    input_names: Sequence[str],
    output_names: Sequence[str],
    dynamic_axes: Mapping[str, Mapping[int, str]],
    out_path: str | Path,
    *,
    tolerance: float = 1e-4,
    check_with_ort: bool = True,
    check_batches: Sequence[int] = (1, 3),
    external_data: bool | None = None,
    float16: bool = False,
    repo_root: Path = REPO_ROOT,
) -> ExportReport:
    """Export `model` (eval, fp32, opset 17), check the graph, and compare ONNX Runtime with PyTorch.

    Weights go to an external-data file when `external_data` is true, or (None) when the graph would
    exceed protobuf's 2 GB.
    The comparison runs at the example batch and at each size in `check_batches` (which proves the batch
    axis is dynamic); raises ExportCheckError when any output differs by more than `tolerance`.
    With `float16`, also writes `<name>.fp16.onnx` (write_float16_variant).
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    example_inputs = tuple(example_inputs)
    expected = _outputs(model, example_inputs)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=out_path.parent, prefix=".export-") as tmp:
        traced_path = Path(tmp) / "model.onnx"  # torch may scatter >2 GB weights next to it
        with warnings.catch_warnings():
            # expected and harmless here: constants read during tracing (shapes, RoPE tables), torch's
            # own shape-inference gaps (output shapes are declared below), unfoldable constant Slices
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.onnx")
            torch.onnx.export(
                model, example_inputs, str(traced_path), opset_version=OPSET, do_constant_folding=True,
                input_names=list(input_names), output_names=list(output_names),
                dynamic_axes={k: dict(v) for k, v in dynamic_axes.items()},
            )
        proto = onnx.load(str(traced_path))
        _declare_output_shapes(proto, expected, dynamic_axes)
        if external_data is None:
            external_data = sum(len(t.raw_data) for t in proto.graph.initializer) > PROTOBUF_LIMIT - GRAPH_HEADROOM
        data_file = _save(proto, out_path, external_data)
    export_seconds = time.perf_counter() - start

    # strict shape inference: the declared output shapes must follow from the graph (adds value_info)
    onnx.checker.check_model(str(out_path), full_check=True)
    ops = dict(Counter(node.op_type for node in proto.graph.node))
    if FORBIDDEN_OPS & ops.keys():
        raise ExportCheckError(f"{out_path}: control-flow nodes {sorted(FORBIDDEN_OPS & ops.keys())}")
    weights = None
    if data_file:
        data_path = out_path.with_name(data_file)
        weights = {"file": data_file, "bytes": data_path.stat().st_size, "sha256": sha256_file(data_path)}
    report = ExportReport(
        path=out_path,
        bytes=out_path.stat().st_size,
        sha256=sha256_file(out_path),
        parameters=sum(p.numel() for p in model.parameters()),
        inputs=_io_description(proto.graph.input),
        outputs=_io_description(proto.graph.output),
        ops=ops,
        export_seconds=export_seconds,
        external_data=weights,
        tolerance=tolerance,
    )
    del proto
    if check_with_ort:
        start = time.perf_counter()
        report.max_abs_error = {b: e for b, (e, _) in compare_with_ort(
            model, example_inputs, input_names, output_names, out_path, check_batches, expected, repo_root).items()}
        report.check_seconds = time.perf_counter() - start
        worst = max(report.max_abs_error.values())
        if not worst <= tolerance:
            raise ExportCheckError(f"ONNX Runtime differs from PyTorch by {worst:.3g} > {tolerance:g}\n{report.summary()}")
    if float16:
        report.float16 = write_float16_variant(model, example_inputs, input_names, output_names, out_path,
                                               check_with_ort, repo_root)
    return report

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

from . import float16 as float16_conversion
from . import int4 as int4_conversion
from .precisions import REFERENCE, Precision, precisions

REPO_ROOT = Path(__file__).resolve().parents[2]
ORT_RUN = ("npx", "tsx", "src/cli/ort-run.ts")
OPSET = 17
PROTOBUF_LIMIT = 2**31 - 1
GRAPH_HEADROOM = 64 << 20  # room for the graph itself next to the weights in one protobuf
FLOAT16_RELATIVE_TOLERANCE = 1e-2  # of the output range: float16 keeps about 3 significant digits
# of the output range: 4-bit weights of a random-weight DiT move the velocity by ~10 % of its range; a
# packing or layout bug gives errors of the order of the range itself, which this sanity bound catches
INT4_RELATIVE_TOLERANCE = 0.5
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
    # precision id -> manifest variant entry {"file", "bytes", "sha256", "externalData"?, "check"?,
    # "quantization"?} (contract §1); the float32 entry describes the file above
    variants: dict[str, dict] = field(default_factory=dict)
    variant_max_abs_error: dict[str, float] = field(default_factory=dict)  # precision -> max |ORT - PyTorch|
    variant_notes: list[str] = field(default_factory=list)  # conversions skipped, layer decisions

    @property
    def float16(self) -> dict | None:
        """The schemaVersion-1 `float16` entry {"file", "bytes", "sha256", "maxRelativeError"?}."""
        entry = self.variants.get("float16")
        if entry is None:
            return None
        error = entry.get("check", {}).get("maxRelativeError")
        return {key: entry[key] for key in ("file", "bytes", "sha256")} | (
            {"maxRelativeError": error} if error is not None else {})

    def summary(self) -> str:
        shapes = lambda ios: ", ".join(f"{io['name']} {io['dtype']}{io['shape']}" for io in ios)
        if self.max_abs_error:
            check = ", ".join(f"batch {b}: {e:.3g}" for b, e in sorted(self.max_abs_error.items()))
            check = f"max abs error vs PyTorch ({check}; tolerance {self.tolerance:g}) in {self.check_seconds:.1f} s"
        else:
            check = "ONNX Runtime check skipped"
        size = self.bytes + (self.external_data["bytes"] if self.external_data else 0)
        external = f" + external data {self.external_data['file']}" if self.external_data else ""
        for precision, entry in self.variants.items():
            if precision == REFERENCE:
                continue
            error = entry.get("check", {}).get("maxRelativeError")
            check += (f"\n  {precision} variant {entry['file']}: {entry['bytes'] / 2**20:.2f} MiB"
                      + (f", max error {error:.3g} of the output range" if error is not None else ""))
        for note in self.variant_notes:
            check += f"\n  {note}"
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


def _variant_tolerance(precision: Precision) -> float:
    return INT4_RELATIVE_TOLERANCE if precision.weights == "int4" else FLOAT16_RELATIVE_TOLERANCE


def write_variant(precision: Precision, model: nn.Module, example_inputs: Sequence[Tensor],
                  input_names: Sequence[str], output_names: Sequence[str], path: Path, *,
                  int4_roles: frozenset[str] = frozenset(), int4_block_size: int | None = None,
                  check_with_ort: bool = True, repo_root: Path = REPO_ROOT) -> tuple[dict | None, float | None, str]:
    """Convert the exported float32 graph at `path` to `precision`'s file next to it and, with
    `check_with_ort`, compare it in ONNX Runtime against PyTorch's float32 outputs at the example batch.

    -> (manifest variant entry or None when the precision does not apply, max abs error, a note).
    Converters by the table's (weights, activations): float16.py for float16; int4.py for int4 weights
    (only the layers of `int4_roles`; a network without such layers gets no int4 variant).
    """
    out = path.with_name(precision.file_for(path.name))
    entry: dict = {}
    if precision.weights == "float16" and precision.activations == "float16":
        proto = float16_conversion.to_float16(onnx.load(str(path)))
        note = ""
    elif precision.weights == "int4" and precision.activations in ("float32", "float16"):
        proto = onnx.load(str(path))
        block_size = int4_block_size or int4_conversion.default_block_size(precision.activations)
        layers = int4_conversion.select_layers(int4_conversion.find_linear_layers(proto), int4_roles)[0]
        if not layers:
            return None, None, f"{precision.id}: no layers to quantise in {path.name}, no variant written"
        if precision.activations == "float16":
            proto = float16_conversion.to_float16(proto)
        proto, quantized = int4_conversion.to_int4(
            proto, block_size, lambda found: int4_conversion.select_layers(found, int4_roles))
        entry["quantization"] = quantized.manifest_entry()
        note = f"{precision.id}: {quantized.summary()}"
    else:
        raise ExportCheckError(f"no converter for precision {precision.id!r} "
                               f"(weights {precision.weights}, activations {precision.activations})")
    onnx.save(proto, str(out))
    del proto
    entry = {"file": out.name, "bytes": out.stat().st_size, "sha256": sha256_file(out)} | entry
    max_abs = None
    if check_with_ort:
        compared = compare_with_ort(model, example_inputs, input_names, output_names, out, (), None, repo_root)
        relative = max(error / max(scale, 1e-12) for error, scale in compared.values())
        max_abs = max(error for error, _ in compared.values())
        tolerance = _variant_tolerance(precision)
        if not relative <= tolerance:
            raise ExportCheckError(f"{out}: {precision.id} differs from PyTorch float32 by {relative:.3g} of the "
                                   f"output range > {tolerance:g}")
        entry["check"] = {"maxRelativeError": float(f"{relative:.3g}")}
    return entry, max_abs, note


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
    variants: Sequence[str] = (REFERENCE,),
    int4_roles: frozenset[str] = frozenset(),
    int4_block_size: int | None = None,
    repo_root: Path = REPO_ROOT,
) -> ExportReport:
    """Export `model` (eval, fp32, opset 17), check the graph, and compare ONNX Runtime with PyTorch.

    Weights go to an external-data file when `external_data` is true, or (None) when the graph would
    exceed protobuf's 2 GB.
    The comparison runs at the example batch and at each size in `check_batches` (which proves the batch
    axis is dynamic); raises ExportCheckError when any output differs by more than `tolerance`.
    `variants`: precision ids of precisions.json to write next to the float32 file (write_variant);
    `float16=True` is short for adding "float16".
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
    report.variants[REFERENCE] = {"file": report.path.name, "bytes": report.bytes, "sha256": report.sha256,
                                  **({"externalData": weights} if weights else {})}
    if report.max_abs_error:
        report.variant_max_abs_error[REFERENCE] = worst
    table = precisions()
    wanted = [*variants, *(["float16"] if float16 else [])]
    for precision in [table[p] for p in table if p in wanted and p != REFERENCE]:
        entry, max_abs, note = write_variant(precision, model, example_inputs, input_names, output_names, out_path,
                                             int4_roles=int4_roles, int4_block_size=int4_block_size,
                                             check_with_ort=check_with_ort, repo_root=repo_root)
        if note:
            report.variant_notes.append(note)
        if entry is not None:
            report.variants[precision.id] = entry
            if max_abs is not None:
                report.variant_max_abs_error[precision.id] = max_abs
    return report

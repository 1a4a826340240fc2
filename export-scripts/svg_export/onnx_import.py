"""A network's PyTorch weights read back from its exported float32 ONNX graph (the inverse of export_role).

Why this file: the committed model set is the one durable copy of a trained model; training checkpoints live
in git-ignored run folders and are gone on a fresh clone. Evaluations, sampler sweeps and comparisons that
start from a trained network (svg_mini/restore.py) read it back from the committed graph instead.

How: torch's exporter renames and re-lays some weights (a Linear's weight becomes a transposed MatMul
initializer under an `onnx::MatMul_N` name), so names alone do not say where a value goes. The module is
exported once with every parameter element set to its own integer tag (exact in float32 below 2^24); each
tagged initializer of that graph then names, element by element, the parameter element it holds, and the
committed graph's initializer of the same name gives its value. The restore is then checked exactly: the
restored module, exported again, must reproduce every node and every initializer value of the committed graph.
One thing it cannot recover: the sign of a zero that a parameter leaves in a folded constant when the graph
multiplies it by zero (DINO's masked key bias): those elements restore as +0, the graph computes the same, and a
re-export differs from the committed file in those zeros' sign bits only.
"""
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

from .networks import export_role

TAG_START = 2 ** 20  # above any small float constant a graph holds (eps, scales, 0, 1)
TAG_END = 2 ** 24  # float32 holds every integer below this exactly


@dataclass(frozen=True)
class RestoredWeights:
    state_dict: dict[str, torch.Tensor]
    # parameters some of whose elements no initializer holds (set to zero; shown harmless)
    unread: tuple[str, ...]


class OnnxImportError(ValueError):
    """The graph does not hold this module's weights (another architecture, exporter or config)."""


@dataclass(frozen=True)
class _Graph:
    initializers: dict[str, np.ndarray]  # the float ones
    nodes: list[tuple[str, tuple[str, ...]]]  # (op type, input names) in graph order, Identity left out


def _read(path: Path) -> _Graph:
    graph = onnx.load(str(path)).graph  # external data, when the export used it, is loaded from beside it
    # Identity nodes only rename: the exporter adds them where parameters of equal value were merged, so
    # their number depends on the weights. Inputs are read through them and they are left out.
    alias: dict[str, str] = {}
    nodes = []
    for node in graph.node:
        inputs = tuple(alias.get(name, name) for name in node.input)
        if node.op_type == "Identity":
            alias[node.output[0]] = inputs[0]
        else:
            nodes.append((node.op_type, inputs))
    return _Graph({t.name: numpy_helper.to_array(t) for t in graph.initializer
                   if t.data_type == onnx.TensorProto.FLOAT}, nodes)


def _export(role: str, model: nn.Module, folder: Path, image_size: int | None) -> _Graph:
    path = folder / f"{role}.onnx"
    export_role(role, model, path, image_size=image_size, check_with_ort=False)
    return _read(path)


def _same_initializers(tagged: _Graph, committed: _Graph, onnx_path: Path) -> dict[str, str]:
    """{tagged initializer: the committed one the same node input reads}. Names alone do not do: the exporter
    merges initializers of equal value (a trained graph's unchanged norm weights), which the tagged one never has."""
    if [op for op, _ in tagged.nodes] != [op for op, _ in committed.nodes]:
        raise OnnxImportError(f"{onnx_path}: its nodes are not the ones this module exports (another "
                              "architecture, config or exporter version)")
    same: dict[str, str] = {}
    for (_, ours), (_, theirs) in zip(tagged.nodes, committed.nodes):
        for mine, other in zip(ours, theirs):
            if mine in tagged.initializers:
                if other not in committed.initializers or same.setdefault(mine, other) != other:
                    raise OnnxImportError(f"{onnx_path}: initializer {mine} of this module's graph has no single "
                                          "counterpart there (another architecture, config or exporter version)")
    return same


@torch.no_grad()
def restore_state_dict(role: str, model: nn.Module, onnx_path: str | Path, *,
                       image_size: int | None = None) -> RestoredWeights:
    """The state dict of `model` (built from the same config as the graph) with the parameters `onnx_path`
    holds; buffers are the module's own (they follow from the config, and the final check covers them).
    Raises OnnxImportError naming what does not fit. `model` is left as it was."""
    onnx_path = Path(onnx_path)
    committed = _read(onnx_path)
    params = dict(model.named_parameters())
    original = {name: p.detach().clone() for name, p in params.items()}
    starts, offset = {}, TAG_START
    for name, p in params.items():
        starts[name] = offset
        offset += p.numel()
    if offset > TAG_END:
        raise OnnxImportError(f"{role}: {offset - TAG_START} parameters exceed the {TAG_END - TAG_START} that "
                              "integer tags can tell apart in float32")
    names = list(params)
    bounds = np.array([starts[n] for n in names] + [offset], dtype=np.int64)
    restored = {name: torch.full_like(p, float("nan")) for name, p in params.items()}
    try:
        for name, p in params.items():
            p.copy_(torch.arange(starts[name], starts[name] + p.numel(), dtype=torch.float64).view_as(p))
        with tempfile.TemporaryDirectory(prefix="onnx-import-") as tmp:
            tagged = _export(role, model, Path(tmp), image_size)
    finally:
        for name, p in params.items():
            p.copy_(original[name])

    same = _same_initializers(tagged, committed, onnx_path)
    for key, other in same.items():
        tags = tagged.initializers[key]
        if tags.shape != committed.initializers[other].shape:
            raise OnnxImportError(f"{onnx_path}: initializer {other} has shape {committed.initializers[other].shape}, "
                                  f"this module exports {tags.shape}")
        # Element by element: a tag is a parameter element; anything else is a constant of the graph (the zeros
        # a parameter is padded with, a folded table), which the final check compares.
        flat = tags.astype(np.float64).ravel()
        is_tag = (flat >= TAG_START) & (flat < offset) & (flat == np.round(flat))
        tag_values = flat[is_tag].astype(np.int64)
        values = committed.initializers[other].ravel()[is_tag]
        owner = np.searchsorted(bounds, tag_values, side="right") - 1
        for index in np.unique(owner):
            name = names[index]
            picked = owner == index
            positions = torch.from_numpy(tag_values[picked] - starts[name])
            restored[name].view(-1)[positions] = torch.from_numpy(values[picked].astype(np.float32)).to(
                restored[name].dtype)
    # Elements no initializer holds: unused by the graph (a training-only mask token, a key bias the graph
    # masks to zero) or folded into a computed constant. They are set to zero (the same file on every
    # restore, whatever the module's initialisation); the check below then proves they do not matter.
    unread = []
    for name, t in restored.items():
        absent = torch.isnan(t)
        if absent.any():
            t[absent] = 0.0
            unread.append(name)

    state = {**model.state_dict(), **restored}
    check = type(model)(model.config)
    check.load_state_dict(state, strict=True)
    with tempfile.TemporaryDirectory(prefix="onnx-import-") as tmp:
        again = _export(role, check.eval(), Path(tmp), image_size)
    differing = [key for key in committed.initializers
                 if not np.array_equal(again.initializers.get(key), committed.initializers[key])]
    if differing or again.nodes != committed.nodes:
        raise OnnxImportError(f"{onnx_path}: the restored {role}, exported again, differs from it in "
                              f"initializers {differing[:5]}"
                              + (f" (parameters {unread[:5]} are not held by any initializer)" if unread else ""))
    return RestoredWeights(state, tuple(unread))

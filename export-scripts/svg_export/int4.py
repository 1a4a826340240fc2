"""4-bit weight variants of exported graphs: large linear layers as `com.microsoft.MatMulNBits` (manifest `int4`).

Why this file: the DiT-XL is 2.7 GB in float32 and 1.35 GB in float16, too much for a browser tab; its
linear layers are almost all of it. MatMulNBits stores a [K, N] weight as 4-bit codes in blocks of
`block_size` along K with one scale per block, and onnxruntime-node/-web (WASM and WebGPU) dequantise it
inside the matrix product. Python onnxruntime (and its quantiser) is not installable here, so the packing is
written with numpy from the contrib-op specification (SPEC §7, checked in onnxruntime-node and -web):

  A       float  [..., K]                 activations (float32 here; float16 in the int4-float16 variant)
  B       uint8  [N, ceil(K/bs), bs/2]    codes of W^T: byte j of block b of row n holds k = b*bs + 2j in its
                                          low nibble and k + 1 in its high nibble
  scales  float  [N * ceil(K/bs)]         row-major over (n, b), same type as A
  (no zero_points input: the zero point is 8)   value = (q - 8) * scale

The exporter writes linear layers as MatMul(x, W^T initializer) (+ Add bias) or Gemm(x, W, b, transB=1);
both become MatMulNBits (+ Add bias). Which layers are rewritten is decided per layer role (LAYER_ROLES):
the roles were chosen by measuring the DiT's velocity error with each role quantised alone (see
export-scripts/FULL_SIZE_EXPORT.md); layers too small to matter stay float32 whatever their role.
"""
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .float16 import to_float16

MS_DOMAIN = "com.microsoft"
OP = "MatMulNBits"
BITS = 4
ZERO_POINT = 8  # implied when MatMulNBits has no zero_points input
DEFAULT_BLOCK_SIZE = 32
# Block size per activation type: one scale per block costs 32 bits / bs in float32 and 16 bits / bs in
# float16, so bs 64 with float32 scales and bs 32 with float16 scales both spend 4.5 bits per weight
# (DiT-XL: ~0.38 GB; bs 32 with float32 scales would be 0.42 GB, over the 0.40 GB target). Measured on
# svg-mini's trained DiT, bs 64 moved the velocity by the same relative RMS error as bs 32 (0.138 / 0.136).
BLOCK_SIZE_BY_ACTIVATIONS = {"float32": 64, "float16": 32}
MIN_PARAMETERS = 16384  # smaller layers stay float32: their bytes do not matter and their error is not free
# Float weights left in an int4 graph (kept layers, label table, positions) at least this large are stored
# as float16 with one Cast to float32 in front: ONNX Runtime folds the Cast when the session opens, so the
# graph computes in float32 as before while the file carries half the bytes (DiT-XL: 27 MB -> 14 MB, which
# brings the int4 file under the 0.40 GB target). float16 rounds them by ~5e-4 relative, far below int4.
FLOAT16_STORAGE_MIN_ELEMENTS = 16384
# Scale candidates per block, as multiples of (signed extremum / -8): the one with the least squared
# error is kept. 1.0 maps the extremum exactly onto code 0; smaller ratios clip the tail for finer steps.
SCALE_RATIOS = (1.0, 0.95, 0.9, 0.85, 0.8)

# Role of a linear layer from the exporter's node name (torch.onnx names nodes after module paths).
# (role, pattern, quantised by default). The DiT's in-projection (ln1: 392 -> hidden) sees the raw
# latent and its K is no multiple of 32; the timestep MLP reads a sinusoid embedding whose error spreads
# to every block through adaLN; the final layer writes the velocity itself. Their measured error share
# is large against their size (well under 1 % of the DiT's weights), so they stay float32.
LAYER_ROLES: tuple[tuple[str, re.Pattern, bool], ...] = (
    ("in_projection", re.compile(r"/ln1/"), False),
    ("timestep_mlp", re.compile(r"/t_embedder/"), False),
    ("final_adaln", re.compile(r"/final_layer/adaLN_modulation"), False),
    ("final_linear", re.compile(r"/final_layer/linear"), False),
    ("adaln", re.compile(r"/adaLN_modulation"), True),
    ("attention_qkv", re.compile(r"/attn/qkv/"), True),
    ("attention_proj", re.compile(r"/attn/proj/"), True),
    ("mlp_fc1", re.compile(r"/mlp/fc1/"), True),
    ("mlp_fc2", re.compile(r"/mlp/fc2/"), True),
)
DEFAULT_ROLES = frozenset(role for role, _, on in LAYER_ROLES if on)


class Int4Error(ValueError):
    """A graph or weight that cannot be written as MatMulNBits (names the node and the reason)."""


@dataclass(frozen=True)
class LinearLayer:
    """One linear layer of a graph: x [..., K] @ W^T -> [..., N] with a constant weight."""

    node: str  # node name
    op: str  # "MatMul" or "Gemm"
    role: str  # from LAYER_ROLES, "other" when no pattern matches
    weight: str  # initializer name
    k: int
    n: int

    @property
    def parameters(self) -> int:
        return self.k * self.n


@dataclass
class Int4Report:
    block_size: int
    quantized: list[str] = field(default_factory=list)  # node names rewritten to MatMulNBits
    kept: dict[str, str] = field(default_factory=dict)  # node name -> why it stayed float
    weight_relative_error: dict[str, float] = field(default_factory=dict)  # ||W - Wq|| / ||W|| per layer
    float16_storage_bytes_saved: int = 0

    def manifest_entry(self) -> dict:
        """The variant's `quantization` object (contract §1)."""
        return {"op": f"{MS_DOMAIN}.{OP}", "bits": BITS, "blockSize": self.block_size, "layers": len(self.quantized)}

    def summary(self) -> str:
        worst = max(self.weight_relative_error.values(), default=0.0)
        kept = "; ".join(f"{node} ({why})" for node, why in self.kept.items())
        stored = (f"; other float32 weights stored as float16 ({self.float16_storage_bytes_saved / 1e6:.1f} MB saved)"
                  if self.float16_storage_bytes_saved else "")
        return (f"{len(self.quantized)} linear layers as {OP} (block {self.block_size}, worst relative weight "
                f"error {worst:.3g}); kept float: {kept or 'none'}{stored}")


def default_block_size(activations: str) -> int:
    return BLOCK_SIZE_BY_ACTIVATIONS.get(activations, DEFAULT_BLOCK_SIZE)


def layer_role(node_name: str) -> str:
    return next((role for role, pattern, _ in LAYER_ROLES if pattern.search(node_name)), "other")


def _attribute(node: onnx.NodeProto, name: str, default):
    for attribute in node.attribute:
        if attribute.name == name:
            return helper.get_attribute_value(attribute)
    return default


def find_linear_layers(model: onnx.ModelProto) -> list[LinearLayer]:
    """MatMul with a 2-D float initializer as B, and Gemm(x, W[N, K], b, transB=1, alpha=beta=1)."""
    inits = {t.name: t for t in model.graph.initializer}
    layers = []
    for node in model.graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits:
            weight = inits[node.input[1]]
            if len(weight.dims) == 2 and weight.data_type in (TensorProto.FLOAT, TensorProto.FLOAT16):
                k, n = weight.dims
                layers.append(LinearLayer(node.name, "MatMul", layer_role(node.name), weight.name, k, n))
        elif node.op_type == "Gemm" and node.input[1] in inits:
            plain = (_attribute(node, "transA", 0), _attribute(node, "transB", 0),
                     _attribute(node, "alpha", 1.0), _attribute(node, "beta", 1.0)) == (0, 1, 1.0, 1.0)
            weight = inits[node.input[1]]
            if plain and len(weight.dims) == 2:
                n, k = weight.dims
                layers.append(LinearLayer(node.name, "Gemm", layer_role(node.name), weight.name, k, n))
    return layers


def quantize_weight(weight_t: np.ndarray, block_size: int = DEFAULT_BLOCK_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """W^T [N, K] float -> (B uint8 [N, ceil(K/bs), bs/2], scales float32 [N * ceil(K/bs)]).

    K is zero-padded to whole blocks. Each block takes, of the SCALE_RATIOS candidates, the scale with the
    least squared error; every code is round(w / scale) + 8 clipped to 0..15.
    """
    if block_size < 16 or block_size & (block_size - 1):
        raise Int4Error(f"block size must be a power of two >= 16, got {block_size}")
    n, k = weight_t.shape
    blocks = -(-k // block_size)
    padded = np.zeros((n, blocks * block_size), np.float32)
    padded[:, :k] = weight_t
    w = padded.reshape(n, blocks, block_size)  # [N, nb, bs]
    index = np.abs(w).argmax(axis=2)[..., None]
    extremum = np.take_along_axis(w, index, axis=2)  # signed value of largest magnitude [N, nb, 1]
    base = np.where(extremum == 0, 1.0, extremum / -ZERO_POINT).astype(np.float32)
    best_scale, best_error = base, np.full(base.shape, np.inf, np.float32)
    for ratio in SCALE_RATIOS:
        scale = (base * np.float32(ratio)).astype(np.float32)
        q = np.clip(np.rint(w / scale) + ZERO_POINT, 0, 15)
        error = np.square((q - ZERO_POINT) * scale - w).sum(axis=2, keepdims=True)
        better = error < best_error
        best_scale, best_error = np.where(better, scale, best_scale), np.where(better, error, best_error)
    codes = np.clip(np.rint(w / best_scale) + ZERO_POINT, 0, 15).astype(np.uint8)
    packed = (codes[..., 0::2] | (codes[..., 1::2] << 4)).astype(np.uint8)  # even k low nibble
    return packed, best_scale.reshape(-1).astype(np.float32)


def dequantize_weight(packed: np.ndarray, scales: np.ndarray, k: int) -> np.ndarray:
    """Inverse of quantize_weight: B [N, nb, bs/2], scales [N * nb] -> W^T [N, K] float32."""
    n, blocks, half = packed.shape
    codes = np.empty((n, blocks, half * 2), np.float32)
    codes[..., 0::2] = packed & 0x0F
    codes[..., 1::2] = packed >> 4
    values = (codes - ZERO_POINT) * scales.reshape(n, blocks, 1).astype(np.float32)
    return values.reshape(n, blocks * half * 2)[:, :k]


def select_layers(layers: Iterable[LinearLayer], roles: Iterable[str] = DEFAULT_ROLES,
                  min_parameters: int = MIN_PARAMETERS) -> tuple[list[LinearLayer], dict[str, str]]:
    """(layers to quantise, {node: why kept float}) by role and size."""
    roles = frozenset(roles)
    chosen, kept = [], {}
    for layer in layers:
        if layer.role not in roles:
            kept[layer.node] = f"role {layer.role} stays float"
        elif layer.parameters < min_parameters:
            kept[layer.node] = f"{layer.parameters} parameters < {min_parameters}"
        else:
            chosen.append(layer)
    return chosen, kept


def store_as_float16(model: onnx.ModelProto, min_elements: int = FLOAT16_STORAGE_MIN_ELEMENTS) -> int:
    """Large float32 initializers -> float16 initializer + Cast(to float32) under the original name, the
    Casts first in the node list. Returns the bytes saved."""
    graph = model.graph
    casts, saved = [], 0
    for tensor in graph.initializer:
        if tensor.data_type != TensorProto.FLOAT or int(np.prod(tensor.dims)) < min_elements:
            continue
        values = numpy_helper.to_array(tensor)
        name = tensor.name
        tensor.CopyFrom(numpy_helper.from_array(values.astype(np.float16), f"{name}__float16"))
        casts.append(helper.make_node("Cast", [tensor.name], [name], to=TensorProto.FLOAT, name=f"{name}__to_float32"))
        saved += values.size * 2
    nodes = [*casts, *graph.node]
    del graph.node[:]
    graph.node.extend(nodes)
    return saved


def to_int4(model: onnx.ModelProto, block_size: int = DEFAULT_BLOCK_SIZE,
            choose: Callable[[list[LinearLayer]], tuple[list[LinearLayer], dict[str, str]]] = select_layers,
            float16_storage: bool = True) -> tuple[onnx.ModelProto, Int4Report]:
    """Rewrite `model` in place: the layers `choose` picks become MatMulNBits (+ Add of a Gemm's bias);
    with `float16_storage`, the float32 weights left over are stored as float16 (store_as_float16).

    Float16 weights (a graph already converted by float16.py) give float16 scales, so A and scales share
    the activations' type as the op requires. Graph IO and every other node are unchanged.
    """
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    chosen, kept = choose(find_linear_layers(model))
    report = Int4Report(block_size, kept=dict(kept))
    by_node = {layer.node: layer for layer in chosen}
    readers = Counter(name for node in graph.node for name in node.input)
    new_nodes, dropped = [], set()
    for node in graph.node:
        layer = by_node.get(node.name)
        if layer is None:
            new_nodes.append(node)
            continue
        weight_init = inits[layer.weight]
        weight = numpy_helper.to_array(weight_init).astype(np.float32)
        weight_t = weight.T if layer.op == "MatMul" else weight  # -> [N, K]
        packed, scales = quantize_weight(np.ascontiguousarray(weight_t), block_size)
        restored = dequantize_weight(packed, scales, layer.k)
        report.weight_relative_error[node.name] = float(
            np.linalg.norm(restored - weight_t) / max(float(np.linalg.norm(weight_t)), 1e-30))
        scale_type = np.float16 if weight_init.data_type == TensorProto.FLOAT16 else np.float32
        stem = f"{layer.weight}__int4"
        graph.initializer.extend([numpy_helper.from_array(packed, f"{stem}_B"),
                                  numpy_helper.from_array(scales.astype(scale_type), f"{stem}_scales")])
        readers[layer.weight] -= 1
        if readers[layer.weight] == 0:
            dropped.add(layer.weight)
        has_bias = layer.op == "Gemm" and len(node.input) > 2 and node.input[2]
        product = f"{node.output[0]}__nobias" if has_bias else node.output[0]
        new_nodes.append(helper.make_node(
            OP, [node.input[0], f"{stem}_B", f"{stem}_scales"], [product], name=node.name, domain=MS_DOMAIN,
            K=layer.k, N=layer.n, bits=BITS, block_size=block_size))
        if has_bias:
            new_nodes.append(helper.make_node("Add", [product, node.input[2]], [node.output[0]], name=f"{node.name}_bias"))
        report.quantized.append(node.name)
    kept_inits = [t for t in graph.initializer if t.name not in dropped]
    del graph.initializer[:]
    graph.initializer.extend(kept_inits)
    del graph.node[:]
    graph.node.extend(new_nodes)
    if not any(o.domain == MS_DOMAIN for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MS_DOMAIN, 1))
    if float16_storage:
        report.float16_storage_bytes_saved = store_as_float16(model)
    return model, report


def to_int4_float16(model: onnx.ModelProto, block_size: int = DEFAULT_BLOCK_SIZE,
                    choose=select_layers) -> tuple[onnx.ModelProto, Int4Report]:
    """float16 activations and scales, float32 graph IO: float16.py's conversion, then the int4 rewrite."""
    return to_int4(to_float16(model), block_size, choose)

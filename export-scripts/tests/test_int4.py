"""4-bit variants: the MatMulNBits packing (layout and error bound), the graph rewrite of MatMul/Gemm linear
layers, the per-role layer choice, and (in ONNX Runtime) the same products as a numpy dequantise-then-matmul."""
import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper

from svg_export import int4
from svg_export.export import run_with_ort
from svg_export.networks import export_role


def test_packing_layout_even_k_in_low_nibble():
    """Row n, block b, byte j holds k = b*bs + 2j low and k + 1 high; codes are w / scale + 8."""
    k = 32
    codes = np.arange(k) % 16  # one block whose extremum (code 0) is -8 * scale
    scale = 0.5
    weight_t = ((codes - 8) * scale).astype(np.float32)[None, :]  # [N=1, K]
    packed, scales = int4.quantize_weight(weight_t, block_size=16)
    assert packed.shape == (1, 2, 8) and packed.dtype == np.uint8 and scales.shape == (2,)
    for b in range(2):
        block = codes[b * 16:(b + 1) * 16]
        assert list(packed[0, b]) == [int(block[2 * j]) | int(block[2 * j + 1]) << 4 for j in range(8)]
    assert scales.tolist() == [scale, scale]
    assert np.array_equal(int4.dequantize_weight(packed, scales, k), weight_t)


@pytest.mark.parametrize("block_size", [16, 32, 64])
def test_round_trip_within_the_4_bit_bound(block_size):
    rng = np.random.default_rng(0)
    n, k = 24, 200  # K not a multiple of the block: zero-padded
    weight_t = (rng.standard_normal((n, k)) * rng.uniform(0.01, 3, (n, 1))).astype(np.float32)
    packed, scales = int4.quantize_weight(weight_t, block_size)
    blocks = -(-k // block_size)
    assert packed.shape == (n, blocks, block_size // 2) and scales.shape == (n * blocks,)
    restored = int4.dequantize_weight(packed, scales, k)
    error = np.abs(restored - weight_t)
    per_element_scale = np.repeat(np.abs(scales).reshape(n, blocks), block_size, axis=1)[:, :k]
    signed = np.repeat(scales.reshape(n, blocks), block_size, axis=1)[:, :k]
    low, high = np.minimum(-8 * signed, 7 * signed), np.maximum(-8 * signed, 7 * signed)
    inside = (weight_t >= low) & (weight_t <= high)
    # rounding moves a representable value by at most half a step
    assert np.all(error[inside] <= per_element_scale[inside] / 2 * (1 + 1e-5))
    # the scale search never does worse than mapping each block's extremum exactly onto code 0
    extremum_scale = np.take_along_axis(
        np.pad(weight_t, ((0, 0), (0, blocks * block_size - k))).reshape(n, blocks, block_size),
        np.abs(np.pad(weight_t, ((0, 0), (0, blocks * block_size - k))).reshape(n, blocks, block_size))
        .argmax(axis=2)[..., None], axis=2) / -8
    plain = np.clip(np.rint(np.pad(weight_t, ((0, 0), (0, blocks * block_size - k))).reshape(n, blocks, block_size)
                            / extremum_scale) + 8, 0, 15)
    plain_error = np.square((plain - 8) * extremum_scale
                            - np.pad(weight_t, ((0, 0), (0, blocks * block_size - k))).reshape(n, blocks, block_size))
    assert np.square(error).sum() <= plain_error.sum() * (1 + 1e-6)
    relative = np.linalg.norm(restored - weight_t) / np.linalg.norm(weight_t)
    assert 0.02 < relative < 0.12  # 4 bits: ~16 levels per block


def test_bad_block_size():
    with pytest.raises(int4.Int4Error, match="power of two"):
        int4.quantize_weight(np.ones((2, 32), np.float32), 24)


def _linear_graph(rng, k=64, n=48, hidden=40) -> tuple[onnx.ModelProto, dict]:
    """x [B, T, K] -> MatMul(W1^T) + b1 -> [B, T, N]; pooled [B, N] -> Gemm(W2, b2, transB) -> [B, hidden]."""
    w1t = rng.standard_normal((k, n)).astype(np.float32) * 0.2  # [K, N] as torch.onnx writes a Linear
    b1 = rng.standard_normal(n).astype(np.float32)
    w2 = rng.standard_normal((hidden, n)).astype(np.float32) * 0.2  # [N_out, K] of a Gemm
    b2 = rng.standard_normal(hidden).astype(np.float32)
    nodes = [
        helper.make_node("MatMul", ["x", "w1t"], ["h0"], name="/dit/blocks.0/mlp/fc1/MatMul"),
        helper.make_node("Add", ["h0", "b1"], ["h"], name="/dit/blocks.0/mlp/fc1/Add"),
        helper.make_node("ReduceMean", ["h"], ["pooled"], axes=[1], keepdims=0, name="pool"),
        helper.make_node("Gemm", ["pooled", "w2", "b2"], ["y"], transB=1, name="/dit/blocks.0/adaLN_modulation/Gemm"),
    ]
    graph = helper.make_graph(
        nodes, "linear", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 5, k])],
        [helper.make_tensor_value_info("h", TensorProto.FLOAT, ["batch", 5, n]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", hidden])],
        [numpy_helper.from_array(a, name) for a, name in ((w1t, "w1t"), (b1, "b1"), (w2, "w2"), (b2, "b2"))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    return model, {"w1t": w1t, "b1": b1, "w2": w2, "b2": b2}


def test_rewrite_matches_numpy_dequantise_then_matmul_in_ort(tmp_path, ort_options):
    rng = np.random.default_rng(1)
    model, weights = _linear_graph(rng)
    rewritten, report = int4.to_int4(model, block_size=32, choose=lambda found: int4.select_layers(found, min_parameters=1))
    assert sorted(report.quantized) == ["/dit/blocks.0/adaLN_modulation/Gemm", "/dit/blocks.0/mlp/fc1/MatMul"]
    assert report.manifest_entry() == {"op": "com.microsoft.MatMulNBits", "bits": 4, "blockSize": 32, "layers": 2}
    ops = [node.op_type for node in rewritten.graph.node]
    assert ops.count("MatMulNBits") == 2 and "Gemm" not in ops and ops.count("Add") == 2  # Gemm bias as an Add
    nbits = [node for node in rewritten.graph.node if node.op_type == "MatMulNBits"]
    assert all(node.domain == "com.microsoft" for node in nbits)
    attributes = {a.name: helper.get_attribute_value(a) for a in nbits[0].attribute}
    assert attributes == {"K": 64, "N": 48, "bits": 4, "block_size": 32}
    assert any(o.domain == "com.microsoft" for o in rewritten.opset_import)
    # the float weights are gone; B and scales replace them
    names = {t.name for t in rewritten.graph.initializer}
    assert not {"w1t", "w2"} & names
    inits = {t.name: numpy_helper.to_array(t) for t in rewritten.graph.initializer}
    w1 = int4.dequantize_weight(inits["w1t__int4_B"], inits["w1t__int4_scales"], 64).T  # [K, N]
    w2 = int4.dequantize_weight(inits["w2__int4_B"], inits["w2__int4_scales"], 48)  # [N_out, K]
    x = rng.standard_normal((3, 5, 64)).astype(np.float32)
    h = x @ w1 + weights["b1"]
    y = h.mean(axis=1) @ w2.T + weights["b2"]
    if not ort_options["check_with_ort"]:
        pytest.skip("no onnxruntime-node in this checkout")
    path = tmp_path / "int4.onnx"
    onnx.save(rewritten, path)
    got = run_with_ort(path, {"x": torch.from_numpy(x)}, ["h", "y"], ort_options["repo_root"])
    assert np.abs(got["h"] - h).max() < 1e-4 and np.abs(got["y"] - y).max() < 1e-4
    # float16 activations and scales, float32 IO: the same products within half precision
    half, _ = int4.to_int4_float16(_linear_graph(np.random.default_rng(1))[0], 32,
                                   lambda found: int4.select_layers(found, min_parameters=1))
    scales = [t for t in half.graph.initializer if t.name.endswith("__int4_scales")]
    assert scales and all(t.data_type == TensorProto.FLOAT16 for t in scales)
    assert [i.type.tensor_type.elem_type for i in half.graph.input] == [TensorProto.FLOAT]
    onnx.save(half, tmp_path / "int4-fp16.onnx")
    inits = {t.name: numpy_helper.to_array(t) for t in half.graph.initializer}
    w1 = int4.dequantize_weight(inits["w1t__int4_B"], inits["w1t__int4_scales"].astype(np.float32), 64).T
    h = x @ w1 + weights["b1"]
    got = run_with_ort(tmp_path / "int4-fp16.onnx", {"x": torch.from_numpy(x)}, ["h", "y"], ort_options["repo_root"])
    assert np.abs(got["h"] - h).max() < 1e-2 * np.abs(h).max()


def test_layer_roles_and_selection():
    assert int4.layer_role("/dit/blocks.3/attn/qkv/MatMul") == "attention_qkv"
    assert int4.layer_role("/dit/blocks.3/adaLN_modulation/adaLN_modulation.1/Gemm") == "adaln"
    assert int4.layer_role("/dit/final_layer/adaLN_modulation/adaLN_modulation.1/Gemm") == "final_adaln"
    assert int4.layer_role("/dit/ln1/MatMul") == "in_projection"
    assert int4.layer_role("/dit/t_embedder/mlp/mlp.0/Gemm") == "timestep_mlp"
    assert int4.layer_role("/dit/final_layer/linear/MatMul") == "final_linear"
    assert int4.layer_role("/something/else") == "other"
    layers = [int4.LinearLayer("/dit/ln1/MatMul", "MatMul", "in_projection", "a", 392, 1152),
              int4.LinearLayer("/b/mlp/fc1/MatMul", "MatMul", "mlp_fc1", "b", 1152, 4608),
              int4.LinearLayer("/c/mlp/fc2/MatMul", "MatMul", "mlp_fc2", "c", 8, 8)]
    chosen, kept = int4.select_layers(layers)
    assert [layer.node for layer in chosen] == ["/b/mlp/fc1/MatMul"]
    assert set(kept) == {"/dit/ln1/MatMul", "/c/mlp/fc2/MatMul"} and "parameters" in kept["/c/mlp/fc2/MatMul"]


def test_gemm_that_is_not_a_plain_linear_layer_is_left_alone():
    rng = np.random.default_rng(2)
    model, _ = _linear_graph(rng)
    gemm = next(node for node in model.graph.node if node.op_type == "Gemm")
    gemm.attribute.append(helper.make_attribute("alpha", 2.0))
    assert [layer.op for layer in int4.find_linear_layers(model)] == ["MatMul"]


def test_dit_int4_variant_of_the_fixture_dit(fx, tmp_path, ort_options):
    """export_role writes dit.int4.onnx with the DiT's roles quantised and checks it against PyTorch."""
    report = export_role("dit", fx.network("dit"), tmp_path / "dit.onnx", check_batches=(),
                         variants=("float32", "int4"), **ort_options)
    entry = report.variants["int4"]
    assert entry["file"] == "dit.int4.onnx" and entry["bytes"] == (tmp_path / "dit.int4.onnx").stat().st_size
    assert entry["quantization"]["op"] == "com.microsoft.MatMulNBits" and entry["quantization"]["layers"] > 0
    model = onnx.load(tmp_path / "dit.int4.onnx")
    kept_roles = {int4.layer_role(node.name) for node in model.graph.node if node.op_type in ("MatMul", "Gemm")
                  and node.input[1] in {t.name for t in model.graph.initializer}}
    assert {"in_projection", "final_linear"} <= kept_roles
    if ort_options["check_with_ort"]:
        assert 0 < entry["check"]["maxRelativeError"] <= 0.5 and report.variant_max_abs_error["int4"] > 0
    # encoders and decoder get no int4 variant: only the DiT has int4 roles
    other = export_role("residual", fx.network("residual"), tmp_path / "residual.onnx", check_batches=(),
                        image_size=fx.array("image").shape[-1], variants=("float32", "int4"), check_with_ort=False)
    assert set(other.variants) == {"float32"} and "no layers to quantise" in other.variant_notes[0]


def test_leftover_float_weights_are_stored_as_float16(tmp_path, ort_options):
    """A large float32 weight becomes a float16 initializer + Cast under its old name: same graph, half the bytes."""
    rng = np.random.default_rng(3)
    table = rng.standard_normal((200, 100)).astype(np.float32)
    small = rng.standard_normal(100).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "table"], ["h"]), helper.make_node("Add", ["h", "small"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [200, 100])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [200, 100])],
        [numpy_helper.from_array(table, "table"), numpy_helper.from_array(small, "small")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    assert int4.store_as_float16(model) == table.size * 2
    types = {t.name: t.data_type for t in model.graph.initializer}
    assert types == {"table__float16": TensorProto.FLOAT16, "small": TensorProto.FLOAT}  # small ones stay
    assert model.graph.node[0].op_type == "Cast" and list(model.graph.node[0].output) == ["table"]
    onnx.checker.check_model(model)
    if not ort_options["check_with_ort"]:
        pytest.skip("no onnxruntime-node in this checkout")
    onnx.save(model, tmp_path / "m.onnx")
    x = np.zeros((200, 100), np.float32)
    got = run_with_ort(tmp_path / "m.onnx", {"x": torch.from_numpy(x)}, ["y"], ort_options["repo_root"])["y"]
    assert np.abs(got - (table + small)).max() <= np.abs(table).max() * 2**-11

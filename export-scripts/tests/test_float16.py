"""Half-precision variants: same float32 IO, float16 inside, float32 kept where float16 cannot carry it,
and (in ONNX Runtime) the same outputs as PyTorch within half precision."""
import onnx
import pytest
from onnx import TensorProto

from svg_export.float16 import float16_path, to_float16
from svg_export.networks import NETWORKS, export_role


def _elem_types(model: onnx.ModelProto) -> dict[str, int]:
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    g = inferred.graph
    return {v.name: v.type.tensor_type.elem_type for v in [*g.value_info, *g.input, *g.output]}


@pytest.mark.parametrize("role", sorted(NETWORKS))
def test_float16_variant_of_each_network(fx, role, tmp_path, ort_options):
    spec = NETWORKS[role]
    report = export_role(role, fx.network(role), tmp_path / spec.file, image_size=fx.array("image").shape[-1],
                         check_batches=(3,), float16=True, **ort_options)
    half_path = float16_path(tmp_path / spec.file)
    assert report.float16["file"] == half_path.name and report.float16["bytes"] == half_path.stat().st_size
    full, half = onnx.load(tmp_path / spec.file), onnx.load(half_path)
    # The graph's IO is unchanged, so the studio swaps files without touching its tensors.
    assert [(i.name, i.type) for i in half.graph.input] == [(i.name, i.type) for i in full.graph.input]
    assert [(o.name, o.type) for o in half.graph.output] == [(o.name, o.type) for o in full.graph.output]
    # Every weight of any size is float16 and the file is about half as large.
    assert all(t.data_type != TensorProto.FLOAT for t in half.graph.initializer if len(t.dims) > 1)
    assert half_path.stat().st_size < 0.6 * (tmp_path / spec.file).stat().st_size
    if ort_options["check_with_ort"]:
        assert report.float16["maxRelativeError"] <= 1e-2


def test_timestep_embedding_stays_float32(fx, tmp_path):
    """Sin/Cos read t * frequency (up to ~1000), where float16 steps by 0.5: they and their inputs stay float32."""
    export_role("dit", fx.network("dit"), tmp_path / "dit.onnx", check_with_ort=False)
    half = to_float16(onnx.load(tmp_path / "dit.onnx"))
    types = _elem_types(half)
    trig = [n for n in half.graph.node if n.op_type in ("Sin", "Cos")]
    assert trig and all(types[name] == TensorProto.FLOAT for n in trig for name in [*n.input, *n.output])
    # ...while the transformer's matrix products run in float16.
    matmuls = [n for n in half.graph.node if n.op_type in ("MatMul", "Gemm")]
    assert matmuls and all(types[n.output[0]] == TensorProto.FLOAT16 for n in matmuls)

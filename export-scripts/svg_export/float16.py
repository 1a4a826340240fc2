"""Half-precision variants of exported graphs, for WebGPU adapters with shader-f16 (manifest `float16`).

Why this file: halving the download and the GPU memory is worth it only if the file stays a drop-in
replacement. So the graph keeps its float32 inputs and outputs (Cast nodes at the IO), and the tensors that
float16 cannot carry stay float32:
- Sin/Cos and everything that feeds them: the DiT's timestep embedding multiplies t by frequencies up to
  about 1000, where float16 steps by 0.5 and the sines would be noise;
- inputs that ONNX types as float32 whatever the graph's precision (Resize's scales).
Everything else (weights, activations, constants) becomes float16; a Cast is inserted wherever a value
crosses between the two precisions. export.write_float16_variant converts an exported file and checks it in
ONNX Runtime against PyTorch's float32 outputs, with a tolerance for half precision.
"""
from collections import defaultdict
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT, HALF = TensorProto.FLOAT, TensorProto.FLOAT16
FLOAT32_ONLY_INPUTS = {("Resize", 2)}  # (op type, input index): typed tensor(float) by the ONNX spec
FLOAT32_OPS = ("Sin", "Cos")  # kept float32 with every node upstream of them


INFERENCE_STRIP_BYTES = 1 << 20  # initializers this large lend only their type and shape to shape inference


def _infer_shapes(model: onnx.ModelProto) -> onnx.ModelProto:
    """onnx shape inference, also for graphs over protobuf's 2 GB (the DiT-XL in float32): the raw bytes
    of large initializers are lifted out for the call (inference reads only their type and dims) and
    put back afterwards, so nothing is copied."""
    lifted = {}
    for tensor in model.graph.initializer:
        if len(tensor.raw_data) >= INFERENCE_STRIP_BYTES:
            lifted[tensor.name] = tensor.raw_data
            tensor.ClearField("raw_data")
    try:
        return onnx.shape_inference.infer_shapes(model)
    finally:
        for tensor in model.graph.initializer:
            if tensor.name in lifted:
                tensor.raw_data = lifted[tensor.name]


def _tensor_types(model: onnx.ModelProto) -> dict[str, int]:
    """Element type of every named tensor, from shape inference plus initializers and Constant nodes."""
    inferred = _infer_shapes(model)
    g = inferred.graph
    types = {v.name: v.type.tensor_type.elem_type for v in [*g.value_info, *g.input, *g.output]}
    types.update({t.name: t.data_type for t in g.initializer})
    for node in g.node:
        if node.op_type == "Constant" and node.attribute[0].name == "value":
            types[node.output[0]] = node.attribute[0].t.data_type
    return types


def _float32_nodes(nodes) -> set[int]:
    """Indices of FLOAT32_OPS nodes and of every node upstream of one."""
    producer = {out: i for i, node in enumerate(nodes) for out in node.output}
    keep: set[int] = set()
    stack = [i for i, node in enumerate(nodes) if node.op_type in FLOAT32_OPS]
    while stack:
        i = stack.pop()
        if i not in keep:
            keep.add(i)
            stack.extend(producer[name] for name in nodes[i].input if name in producer)
    return keep


def _half_tensor(tensor: TensorProto) -> TensorProto:
    values = numpy_helper.to_array(tensor)
    finite = np.finfo(np.float16).max
    return numpy_helper.from_array(np.clip(values, -finite, finite).astype(np.float16), tensor.name)


def to_float16(model: onnx.ModelProto) -> onnx.ModelProto:
    """A float16 copy of `model` with the same float32 inputs and outputs (see the module header)."""
    types = _tensor_types(model)
    graph = model.graph
    nodes = list(graph.node)
    keep = _float32_nodes(nodes)

    def required(i: int, index: int) -> int:
        return FLOAT if i in keep or (nodes[i].op_type, index) in FLOAT32_ONLY_INPUTS else HALF

    # Sources (initializers and Constant outputs) become float16 unless only float32 consumers read them.
    needs = defaultdict(set)
    for i, node in enumerate(nodes):
        for index, name in enumerate(node.input):
            if types.get(name) == FLOAT:
                needs[name].add(required(i, index))
    precision = {v.name: FLOAT for v in graph.input}
    for t in graph.initializer:
        if t.data_type == FLOAT and HALF in needs[t.name]:
            t.CopyFrom(_half_tensor(t))
        precision[t.name] = t.data_type
    for i, node in enumerate(nodes):
        if node.op_type == "Constant" and types.get(node.output[0]) == FLOAT:
            half = HALF in needs[node.output[0]]
            if half:
                node.attribute[0].t.CopyFrom(_half_tensor(node.attribute[0].t))
            precision[node.output[0]] = HALF if half else FLOAT
            continue
        if i not in keep:
            for attribute in node.attribute:
                if node.op_type == "Cast" and attribute.name == "to" and attribute.i == FLOAT:
                    attribute.i = HALF
                elif node.op_type == "ConstantOfShape" and attribute.t.data_type == FLOAT:
                    attribute.t.CopyFrom(_half_tensor(attribute.t))
        for name in node.output:
            if types.get(name) == FLOAT:
                precision[name] = FLOAT if i in keep else HALF

    # Casts wherever a value is read in the other precision, placed just before their first reader.
    converted: dict[tuple[str, int], str] = {}
    ordered = []
    for i, node in enumerate(nodes):
        for index, name in enumerate(node.input):
            if types.get(name) != FLOAT or precision[name] == required(i, index):
                continue
            want = required(i, index)
            key = (name, want)
            if key not in converted:
                converted[key] = f"{name}__as_{'float16' if want == HALF else 'float32'}"
                ordered.append(helper.make_node("Cast", [name], [converted[key]], to=want, name=f"cast_{converted[key]}"))
            node.input[index] = converted[key]
        ordered.append(node)
    # Float32 outputs: the last node writes a float16 tensor, one Cast restores the declared name and type.
    for output in graph.output:
        if precision.get(output.name) == HALF:
            inner = f"{output.name}__float16"
            for node in ordered:
                node.output[:] = [inner if o == output.name else o for o in node.output]
                node.input[:] = [inner if o == output.name else o for o in node.input]
            ordered.append(helper.make_node("Cast", [inner], [output.name], to=FLOAT, name=f"cast_{output.name}"))
    del graph.node[:]
    graph.node.extend(ordered)
    del graph.value_info[:]  # float32 intermediate types no longer hold; ONNX Runtime infers them
    onnx.checker.check_model(model)
    return model


def float16_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.fp16{path.suffix}")


def convert_file(path: Path) -> Path:
    """`<name>.onnx` -> `<name>.fp16.onnx` next to it (half-precision weights under protobuf's 2 GB)."""
    out = float16_path(path)
    onnx.save(to_float16(onnx.load(path)), out)
    return out

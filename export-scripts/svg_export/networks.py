"""The four SVG networks as export roles: module, config, graph file and the ONNX I/O contract.

Why this file: the CLIs, the model-set builder and the tests all need the same mapping from a role
("dino", "residual", "decoder", "dit") to its config parsing, example inputs and graph names. The graph
names and dtypes are not written here: they come from src/engine/model-set/graph-io.json, the table the
TypeScript manifest check and session binding read too (dino_encoder.onnx: pixels -> patch_tokens;
residual_encoder.onnx: pixels -> residual; decoder.onnx: latent -> image; dit.onnx: x, t, y -> velocity).
"""
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import torch
from torch import Tensor, nn

from svg_models.decoder import Decoder, DecoderConfig
from svg_models.dinov3 import DinoV3, DinoV3Config
from svg_models.dit import DiT, DiTConfig
from svg_models.residual_vit import ResidualViT, ResidualViTConfig

from .export import ExportCheckError, ExportReport, export_network
from .int4 import DEFAULT_ROLES as DIT_INT4_ROLES

MODEL_SET_SCHEMA = "svg-studio/model-set"
GRAPH_IO_JSON = Path(__file__).resolve().parents[2] / "src" / "engine" / "model-set" / "graph-io.json"


@cache
def graph_io(path: Path = GRAPH_IO_JSON) -> dict[str, dict]:
    """{manifest key: {"inputs": [{"name", "dtype", "shape"}], "outputs": [...]}} as graph-io.json has it."""
    return json.loads(path.read_text(encoding="utf-8"))["networks"]


@dataclass(frozen=True)
class NetworkSpec:
    manifest_key: str  # key under manifest.json "networks" and graph-io.json "networks"
    file: str
    config_cls: type
    model_cls: type
    # linear-layer roles (int4.LAYER_ROLES) an int4 variant quantises; none: the network gets no int4
    # variant (the encoders define the latent and the decoder is convolutional: only the DiT is large)
    int4_roles: frozenset[str] = frozenset()

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(tensor["name"] for tensor in graph_io()[self.manifest_key]["inputs"])

    @property
    def output_names(self) -> tuple[str, ...]:
        return tuple(tensor["name"] for tensor in graph_io()[self.manifest_key]["outputs"])

    def dtypes(self, side: str) -> list[str]:
        """The dtypes graph-io.json gives the "inputs" or "outputs" of this network, in order."""
        return [tensor["dtype"] for tensor in graph_io()[self.manifest_key][side]]


NETWORKS = {
    "dino": NetworkSpec("dinoEncoder", "dino_encoder.onnx", DinoV3Config, DinoV3),
    "residual": NetworkSpec("residualEncoder", "residual_encoder.onnx", ResidualViTConfig, ResidualViT),
    "decoder": NetworkSpec("decoder", "decoder.onnx", DecoderConfig, Decoder),
    "dit": NetworkSpec("dit", "dit.onnx", DiTConfig, DiT, DIT_INT4_ROLES),
}
if sorted(spec.manifest_key for spec in NETWORKS.values()) != sorted(graph_io()):
    raise RuntimeError(f"{GRAPH_IO_JSON} lists networks {sorted(graph_io())}, the exporter "
                       f"{sorted(spec.manifest_key for spec in NETWORKS.values())}")


class VelocityOnly(nn.Module):
    """The DiT graph the studio runs: only the velocity half of the learned-sigma output."""

    def __init__(self, dit: DiT):
        super().__init__()
        self.dit = dit

    def forward(self, x: Tensor, t: Tensor, y: Tensor) -> Tensor:  # [B, N, C], [B], [B] -> [B, N, C]
        return self.dit.velocity(x, t, y)


def config_from_json(role: str, data: dict):
    """A network config from a fixture *_state_dict_config.json, one of our manifest `config` entries,
    or a whole model-set manifest.json (the role's entry is taken)."""
    spec = NETWORKS[role]
    if data.get("schema") == MODEL_SET_SCHEMA:
        data = data["networks"][spec.manifest_key]["config"]
    if "builder" in data:
        return spec.config_cls.from_fixture_config(data)
    return spec.config_cls.from_dict(data)


def build_network(role: str, config, state_dict: dict[str, Tensor] | None = None) -> nn.Module:
    """The module in eval mode; with `state_dict`, loaded strictly."""
    model = NETWORKS[role].model_cls(config)
    if state_dict is not None:
        model.load_state_dict(state_dict, strict=True)
    return model.eval()


def example_inputs(role: str, model: nn.Module, batch: int, seed: int, image_size: int | None = None) -> tuple[Tensor, ...]:
    """Seeded inputs of the shapes the graph is exported for. `image_size` is needed only for DINO, which
    accepts any multiple of its patch size (the other networks fix their sizes in their configs)."""
    gen = torch.Generator().manual_seed(seed)
    cfg = model.config
    if role == "dino":
        if image_size is None or image_size % cfg.patch_size:
            raise ValueError(f"DINO export needs an image size that is a multiple of {cfg.patch_size}")
        return (torch.randn(batch, cfg.in_chans, image_size, image_size, generator=gen),)
    if role == "residual":
        return (torch.randn(batch, 3, cfg.image_size, cfg.image_size, generator=gen),)
    if role == "decoder":
        return (torch.randn(batch, cfg.z_channels, cfg.latent_size, cfg.latent_size, generator=gen),)
    labels = cfg.num_classes + (cfg.null_class is not None)  # the null label is exported too
    return (
        torch.randn(batch, cfg.num_tokens, cfg.in_channels, generator=gen),
        torch.rand(batch, generator=gen),
        torch.randint(0, labels, (batch,), generator=gen),
    )


def export_role(role: str, model: nn.Module, out_path: str | Path, *, image_size: int | None = None,
                batch: int = 2, seed: int = 0, **check_options) -> ExportReport:
    """Export one SVG network under its graph contract (batch axis "batch" on every input and output)."""
    spec = NETWORKS[role]
    module = VelocityOnly(model) if role == "dit" else model
    names = spec.input_names + spec.output_names
    report = export_network(
        module,
        example_inputs(role, model, batch, seed, image_size),
        spec.input_names,
        spec.output_names,
        {name: {0: "batch"} for name in names},
        out_path,
        int4_roles=spec.int4_roles,
        **check_options,
    )
    # The names are the table's by construction; a dtype comes from the example inputs and the module, so
    # a graph the studio would refuse (its manifest check reads the same table) is caught here instead.
    for side in ("inputs", "outputs"):
        written = [tensor["dtype"] for tensor in getattr(report, side)]
        if written != spec.dtypes(side):
            raise ExportCheckError(f"{out_path}: {side} dtypes {written}, graph-io.json says {spec.dtypes(side)}")
    return report

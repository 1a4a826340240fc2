"""Write a studio model set: the four ONNX graphs (and their precision variants) plus manifest.json
(schema "svg-studio/model-set", schemaVersion 2: one `variants` map per network; version 1 on request).

Why this file: the TypeScript side validates manifest.json and trusts it for every size it uses (image
resolution, latent grid and channels, standardisation statistics, class names, sampler defaults, graph
I/O). `write_model_set` is the single place that checks the four networks fit together, exports them and
writes the manifest; export_svg.py, make_random_set.py and the tests all go through it.
"""
import json
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

from svg_models.decoder import Decoder
from svg_models.dinov3 import DinoV3
from svg_models.dit import DiT
from svg_models.latent import measure_latent_stats
from svg_models.random_init import randomize_weights
from svg_models.residual_vit import ResidualViT

from .export import REPO_ROOT, ExportCheckError, ExportReport
from .networks import MODEL_SET_SCHEMA, NETWORKS, build_network, export_role
from .precisions import REFERENCE, precisions

ROLES = ("dino", "residual", "decoder", "dit")

SCHEMA_VERSION = 2  # what write_model_set writes by default
SCHEMA_VERSIONS = (1, 2)  # version 1: top-level file/bytes/sha256 (+ externalData, float16); no other precisions
VARIANT_CHECK = ("npx", "tsx", "src/cli/variant-check.ts")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
SOLVERS_JSON = Path(__file__).resolve().parents[2] / "src" / "engine" / "schedulers" / "solvers.json"
# the sampler ids of the TypeScript solver registry (solvers.json is generated from it, and tested equal)
SOLVER_IDS = tuple(row["id"] for row in json.loads(SOLVERS_JSON.read_text(encoding="utf-8"))["solvers"])
SCHEDULES_JSON = SOLVERS_JSON.with_name("guidance-schedules.json")
# what the TypeScript parser (schedulers/guidance.ts, GUIDANCE_SCHEDULES) accepts: a head, then parameters
_PARAMETER = {"integer": r"\d+", "number": r"(?:\d+(?:\.\d*)?|\.\d+)"}
_SCHEDULE = re.compile(
    "|".join(
        "-".join([re.escape(row["head"]), *(_PARAMETER[kind] for kind in row["parameters"])])
        for row in json.loads(SCHEDULES_JSON.read_text(encoding="utf-8"))["schedules"]
    )
)


@dataclass(frozen=True)
class SamplerDefaults:
    steps: int = 25
    sampler: str = "euler"  # one of SOLVER_IDS
    shift: float = 0.15
    guidance_scale: float = 4.0
    guidance_schedule: str = "constant"  # a form of guidance-schedules.json, e.g. cfg_star-<k>-<r>

    def __post_init__(self):
        if self.sampler not in SOLVER_IDS or self.steps < 1:
            raise ValueError(f"bad sampler settings {self}")
        if not _SCHEDULE.fullmatch(self.guidance_schedule):
            raise ValueError(f"unknown guidance schedule {self.guidance_schedule!r}")

    def to_manifest(self) -> dict:
        return {
            "steps": self.steps,
            "sampler": self.sampler,
            "shift": self.shift,
            "guidanceScale": self.guidance_scale,
            "guidanceSchedule": self.guidance_schedule,
        }


@dataclass(frozen=True)
class ModelSetInfo:
    id: str
    name: str
    description: str
    random_weights: bool
    license: str
    attribution: str
    resolution: int
    class_names: tuple[str, ...]
    latent_mean: tuple[float, ...]  # per channel, DINO channels first
    latent_std: tuple[float, ...]
    sampler: SamplerDefaults
    created_by: str
    alignment_eps: float = 1e-6


@dataclass
class SvgNetworks:
    dino: DinoV3
    residual: ResidualViT
    decoder: Decoder
    dit: DiT

    @classmethod
    def build(cls, configs: dict, state_dicts: dict | None = None, seed: int = 0) -> "SvgNetworks":
        """The four networks from their configs (keyed by role), loaded strictly from `state_dicts`, or
        with seeded random weights (seed, seed+1, ... per role) when there are none."""
        models = {}
        for i, role in enumerate(ROLES):
            if state_dicts is None:
                models[role] = randomize_weights(build_network(role, configs[role]), seed + i)
            else:
                models[role] = build_network(role, configs[role], state_dicts[role])
        return cls(**models)

    def check_fit(self, info: ModelSetInfo) -> tuple[int, int]:
        """Raise unless the networks and the metadata agree; returns the latent grid side and channels."""
        dino, res, dec, dit = (m.config for m in (self.dino, self.residual, self.decoder, self.dit))
        patch, size = dino.patch_size, info.resolution
        grid = size // patch
        channels = dino.embed_dim + res.output_dim
        problems = [
            (size % patch == 0, f"resolution {size} is not a multiple of the DINO patch {patch}"),
            ((res.image_size, res.patch_size) == (size, patch),
             f"residual ViT is for {res.image_size}px / patch {res.patch_size}, not {size}px / {patch}"),
            ((dec.z_channels, dit.in_channels) == (channels, channels),
             f"latent channels: DINO {dino.embed_dim} + residual {res.output_dim} = {channels}, "
             f"decoder {dec.z_channels}, DiT {dit.in_channels}"),
            ((dec.latent_size, dec.resolution) == (grid, size),
             f"decoder maps {dec.latent_size}^2 to {dec.resolution}px, not {grid}^2 to {size}px"),
            (dit.grid == (grid, grid), f"DiT grid {dit.grid} is not {grid} x {grid}"),
            (dit.null_class is not None, "the DiT has no null label (class_dropout_prob 0): no guidance"),
            (len(info.class_names) == dit.num_classes, f"{len(info.class_names)} class names, {dit.num_classes} classes"),
            (len(info.latent_mean) == len(info.latent_std) == channels, f"latent statistics are not {channels} long"),
            (min(info.latent_std) > 0, "latent std must be positive"),
        ]
        failed = [message for ok, message in problems if not ok]
        if failed:
            raise ValueError("model set does not fit together: " + "; ".join(failed))
        return grid, channels


def random_pixels(count: int, resolution: int, seed: int) -> Tensor:
    """Seeded uniform-noise images, ImageNet-normalised as both encoders expect: [count, 3, S, S]."""
    gen = torch.Generator().manual_seed(seed)
    images = torch.rand(count, 3, resolution, resolution, generator=gen)
    return (images - torch.tensor(IMAGENET_MEAN)[:, None, None]) / torch.tensor(IMAGENET_STD)[:, None, None]


@torch.no_grad()
def random_image_latent_stats(networks: SvgNetworks, resolution: int, count: int, seed: int,
                              eps: float = 1e-6) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Latent mean / std per channel measured on `count` random images (for sets without real statistics)."""
    pixels = random_pixels(count, resolution, seed)
    grid = resolution // networks.dino.config.patch_size
    mean, std = measure_latent_stats(networks.dino(pixels), networks.residual(pixels), (grid, grid), eps)
    return tuple(mean.tolist()), tuple(std.tolist())


def _f32(values) -> list[float]:
    """float32 values as the shortest JSON numbers that round-trip."""
    return [float(f"{float(v):.9g}") for v in values]


def _network_entry_v1(report: ExportReport, config: dict) -> dict:
    return {
        "file": report.path.name,
        "bytes": report.bytes,
        "sha256": report.sha256,
        "parameters": report.parameters,
        "inputs": report.inputs,
        "outputs": report.outputs,
        "config": config,
        # only graphs over 2 GB: {"file", "bytes", "sha256"} of the weights file that ONNX Runtime must be
        # given as external data (session option externalData, path = file)
        **({"externalData": report.external_data} if report.external_data else {}),
        # the half-precision variant for WebGPU adapters with shader-f16: {"file", "bytes", "sha256",
        # "maxRelativeError"} (its error against PyTorch float32, relative to the output range)
        **({"float16": report.float16} if report.float16 else {}),
    }


def _network_entry_v2(role: str, report: ExportReport, config: dict) -> dict:
    """Contract §1: graph IO (the float32 contract of every variant), config, and one entry per precision
    {"file", "bytes", "sha256", "externalData"?, "check"?, "quantization"?} in precisions.json's order."""
    variants = {}
    for precision in precisions():
        entry = report.variants.get(precision)
        if entry is None:
            continue
        entry = json.loads(json.dumps(entry))  # a copy the manifest owns
        if role == "dit" and precision != REFERENCE and precision in report.variant_max_abs_error:
            entry.setdefault("check", {})["velocityMaxAbs"] = float(f"{report.variant_max_abs_error[precision]:.3g}")
        variants[precision] = entry
    return {
        "parameters": report.parameters,
        "inputs": report.inputs,
        "outputs": report.outputs,
        "config": config,
        "variants": variants,
    }


def run_variant_check(out_dir: Path, dit_files: Sequence[str], repo_root: Path = REPO_ROOT,
                      log=print) -> dict[str, dict]:
    """The pipeline check of DiT variants (src/cli/variant-check.ts): the manifest's default sampler with
    guidance, same seed, each file against the float32 DiT, decoded by the float32 decoder.
    -> {file: {"latentMaxAbs", "decodedPsnrDb"}}."""
    with tempfile.TemporaryDirectory(prefix="svg-variant-check-") as tmp:
        result_path = Path(tmp) / "result.json"
        command = [*VARIANT_CHECK, "--set", str(out_dir.resolve()), "--out", str(result_path)]
        for file in dit_files:
            command += ["--dit", file]
        result = subprocess.run(command, cwd=repo_root, capture_output=True, text=True)
        if result.returncode != 0:
            raise ExportCheckError(f"variant-check failed ({result.returncode}): "
                                   f"{result.stderr.strip() or result.stdout.strip()}")
        report = json.loads(result_path.read_text(encoding="utf-8"))
    for file, figures in report["candidates"].items():
        log(f"  pipeline check {file}: final latent max abs error {figures['latentMaxAbs']:.3g}, decoded image "
            f"PSNR {figures['decodedPsnrDb']:.2f} dB against float32 ({report['steps']} steps, guidance "
            f"{report['guidanceScale']})")
    return {file: {"latentMaxAbs": float(f"{figures['latentMaxAbs']:.3g}"),
                   "decodedPsnrDb": round(figures["decodedPsnrDb"], 2)}
            for file, figures in report["candidates"].items()}


def write_model_set(networks: SvgNetworks, info: ModelSetInfo, out_dir: str | Path, *, log=print,
                    schema_version: int = SCHEMA_VERSION, variants: Sequence[str] = (REFERENCE,),
                    pipeline_check: bool | None = None, **export_options) -> dict:
    """Export the four graphs (each in the precisions `variants` that apply to it) into `out_dir` and write
    manifest.json; returns the manifest.

    `export_options` go to export_network (check_with_ort, tolerance, check_batches, float16, int4_block_size).
    `pipeline_check` (default: with check_with_ort) runs run_variant_check on the DiT's int4 variants and
    writes their figures into the variants' `check`. Version 1 carries only float32 and float16.
    """
    if schema_version not in SCHEMA_VERSIONS:
        raise ValueError(f"schema version {schema_version} is not one of {SCHEMA_VERSIONS}")
    table = precisions()
    unknown = [p for p in variants if p not in table]
    if unknown:
        raise ValueError(f"unknown precision(s) {unknown} (known: {', '.join(table)})")
    if schema_version == 1 and set(variants) - {REFERENCE, "float16"}:
        raise ValueError(f"manifest version 1 carries float32 and float16 only, not {sorted(set(variants))}")
    grid, channels = networks.check_fit(info)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = {}
    for role in ROLES:
        spec, model = NETWORKS[role], getattr(networks, role)
        report = export_role(role, model, out_dir / spec.file, image_size=info.resolution, variants=variants,
                             **export_options)
        log(report.summary())
        config = model.config.to_dict()
        entries[spec.manifest_key] = (_network_entry_v1(report, config) if schema_version == 1
                                      else _network_entry_v2(role, report, config))
    manifest = {
        "schema": MODEL_SET_SCHEMA,
        "schemaVersion": schema_version,
        "id": info.id,
        "name": info.name,
        "description": info.description,
        "randomWeights": info.random_weights,
        "license": info.license,
        "attribution": info.attribution,
        "image": {
            "resolution": info.resolution,
            "patchSize": networks.dino.config.patch_size,
            "normalization": {"mean": list(IMAGENET_MEAN), "std": list(IMAGENET_STD)},
        },
        "latent": {
            "grid": [grid, grid],
            "dinoChannels": networks.dino.config.embed_dim,
            "residualChannels": networks.residual.config.output_dim,
            "channels": channels,
            "alignmentEps": info.alignment_eps,
            "mean": _f32(info.latent_mean),
            "std": _f32(info.latent_std),
        },
        "classes": {
            "count": len(info.class_names),
            "names": list(info.class_names),
            "nullId": networks.dit.config.null_class,
        },
        "sampler": info.sampler.to_manifest(),
        "networks": entries,
        "createdBy": info.created_by,
    }
    write_manifest(out_dir, manifest)
    if pipeline_check is None:
        pipeline_check = export_options.get("check_with_ort", True)
    dit_variants = entries[NETWORKS["dit"].manifest_key].get("variants", {})
    checked = {p: e for p, e in dit_variants.items() if table[p].weights == "int4"}
    if pipeline_check and checked:
        figures = run_variant_check(out_dir, [e["file"] for e in checked.values()], log=log)
        for entry in checked.values():
            entry.setdefault("check", {}).update(figures[entry["file"]])
        write_manifest(out_dir, manifest)
    return manifest


def write_manifest(out_dir: Path, manifest: dict) -> None:
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

"""A v2 run folder's stage files restored from the committed model set (public/models/svg-mini-v2).

Why: training checkpoints live in the git-ignored export-scripts/runs/ and are gone on a fresh clone, while
the evaluation, the sampler sweep and the SVG-vs-KL-VAE comparison start from the trained networks. The
committed float32 graphs hold those networks exactly (svg_export/onnx_import.py checks every value), so
every stage whose network ships is read back from them:

  ssl.pt (the DINO encoder), autoencoder.pt (its residual ViT), decoder.pt (the noise-robust decoder),
  dit.pt (the DiT, with the manifest's latent statistics and the training shift).

Not restorable, because they never ship: the decoder the autoencoder stage trained jointly (the start of the
decoder fine-tunes, so the clean-decoder control cannot be retrained from a restored run), the ablation DiTs,
the judge (classifier.pt: Run.classifier retrains it, seeded), the snapshots of the training curve and the
DiT's training step count (recorded as None). Each restored file says where it came from ("restored_from").
"""
import json
from pathlib import Path

import torch

from svg_export.networks import NETWORKS, build_network, config_from_json
from svg_export.onnx_import import restore_state_dict

from .flow import dimension_shift
from .pipeline_v2 import PATCH, Run, full, half, save_atomic

RESTORED_STAGES = {"ssl": "dino", "autoencoder": "residual", "decoder": "decoder", "dit": "dit"}  # stage: role


class RestoreError(ValueError):
    """The model set does not fit the run (another architecture, resolution or class table) or is unreadable."""


def restore_run(run: Run, model_set: Path, log=print) -> dict[str, str]:
    """Writes each stage file of RESTORED_STAGES that `run` lacks from `model_set`'s float32 graphs (a finished
    stage is never overwritten) -> {stage: "restored" | "kept"}."""
    manifest_path = model_set / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
        resolution = int(manifest["image"]["resolution"])
        mean = torch.tensor(manifest["latent"]["mean"], dtype=torch.float32)
        std = torch.tensor(manifest["latent"]["std"], dtype=torch.float32)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RestoreError(f"{manifest_path}: not a readable model-set manifest ({error!r})") from None
    if resolution != run.data.images.shape[-1]:
        raise RestoreError(f"{manifest_path}: {resolution} px, the run's data is {run.data.images.shape[-1]} px")
    outcome = {}
    for stage, role in RESTORED_STAGES.items():
        if run.file(stage).exists():
            outcome[stage] = "kept"
            continue
        config = config_from_json(role, manifest)
        if config != run.cfg[role]:
            raise RestoreError(f"{manifest_path}: its {role} config {config} is not the run's {run.cfg[role]}")
        graph = model_set / NETWORKS[role].file
        restored = restore_state_dict(role, build_network(role, config), graph, image_size=resolution)
        if restored.unread:
            log(f"{stage}: {', '.join(restored.unread)} not held by the graph (unused by it; zero)")
        state, source = restored.state_dict, str(graph)
        if stage in ("ssl", "decoder"):
            payload = state  # the plain state dict Run.ssl and Run.decoder write
        elif stage == "autoencoder":
            payload = {"residual": state, "decoder": None, "restored_from": source}
        else:
            # Run.dit keeps the EMA in float16 and exports it widened, so narrowing it again loses nothing.
            ema = half(state)
            widened = full(ema)
            if any(not torch.equal(widened[k], v.float()) for k, v in state.items() if v.is_floating_point()):
                raise RestoreError(f"{graph}: its DiT weights are not float16 values, not the shipped DiT's")
            channels = run.cfg["dit"].in_channels
            payload = {"ema": ema, "mean": mean, "std": std, "steps": None, "restored_from": source,
                       "shift": dimension_shift((resolution // PATCH) ** 2, channels)}
        save_atomic(payload, run.file(stage))
        outcome[stage] = "restored"
        log(f"{stage}: restored from {graph}")
    return outcome

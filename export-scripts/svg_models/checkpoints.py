"""Reading the official SVG / DINOv3 checkpoints into our modules (always strict=True after unwrapping).

Why this file: the four networks come in three containers: the DINOv3 hub .pth (a plain state dict), the
SVG autoencoder Lightning .ckpt (`state_dict` with `encoder.*` = DINOv3, `extra_vit.*` = residual ViT,
`decoder.*`, plus training-only keys such as `loss.*`, `mask_token`, `norm_vit.*`), and the SVG DiT .pt
(`ema`, or `model`, or a plain state dict). The fixtures are plain state dicts. Lightning checkpoints also
pickle objects from packages that are not installed here (hyper-parameters); those are read as inert
placeholders since only the tensors matter.
"""
import importlib.abc
import importlib.util
import sys
import types
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import Tensor

StateDict = dict[str, Tensor]

AUTOENCODER_PREFIXES = {"dino": "encoder.", "residual": "extra_vit.", "decoder": "decoder."}


class _Placeholder(dict):
    """Stands in for any pickled object whose class cannot be imported; swallows its state."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def __setstate__(self, state):
        pass

    def append(self, item):
        pass

    def extend(self, items):
        pass


class _StandInModule(types.ModuleType):
    __path__: list = []  # a package, so submodules resolve too

    def __getattr__(self, name: str):
        return _Placeholder


class _StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: only modules no real finder knows get an inert stand-in."""

    def __init__(self):
        self.created: list[str] = []

    def find_spec(self, name, path, target=None):
        self.created.append(name)
        return importlib.util.spec_from_loader(name, self, is_package=True)

    def create_module(self, spec):
        return _StandInModule(spec.name)

    def exec_module(self, module):
        pass


def read_checkpoint(path: str | Path) -> object:
    """torch.load on the CPU, tolerating pickled objects from absent packages (e.g. pytorch_lightning).

    (torch 1.13.0 ignores torch.load's pickle_module, hence an import hook rather than a custom unpickler.)
    """
    finder = _StandInFinder()
    sys.meta_path.append(finder)
    try:
        return torch.load(path, map_location="cpu")
    finally:
        sys.meta_path.remove(finder)
        for name in finder.created:
            sys.modules.pop(name, None)


def _tensors(obj: object, what: str) -> StateDict:
    if not isinstance(obj, Mapping) or not obj or not all(isinstance(v, Tensor) for v in obj.values()):
        raise ValueError(f"{what} is not a state dict of tensors")
    return dict(obj)


def strip_prefix(state_dict: Mapping[str, Tensor], prefix: str) -> StateDict:
    """The entries under `prefix`, with the prefix removed; other keys are dropped."""
    out = {k[len(prefix) :]: v for k, v in state_dict.items() if k.startswith(prefix)}
    if not out:
        raise KeyError(f"no keys start with {prefix!r}")
    return out


def _without_ddp_prefix(state_dict: StateDict) -> StateDict:
    if all(k.startswith("module.") for k in state_dict):
        return strip_prefix(state_dict, "module.")
    return state_dict


def plain_state_dict(checkpoint: object) -> StateDict:
    """A fixture *_state_dict.pt or the DINOv3 hub .pth: the checkpoint is the state dict."""
    return _without_ddp_prefix(_tensors(checkpoint, "checkpoint"))


def autoencoder_state_dicts(checkpoint: object) -> dict[str, StateDict]:
    """SVG autoencoder .ckpt -> {"dino", "residual", "decoder"} state dicts with prefixes stripped."""
    if not isinstance(checkpoint, Mapping) or "state_dict" not in checkpoint:
        raise ValueError("not a Lightning checkpoint: no 'state_dict' entry")
    state_dict = _tensors(checkpoint["state_dict"], "checkpoint['state_dict']")
    return {name: strip_prefix(state_dict, prefix) for name, prefix in AUTOENCODER_PREFIXES.items()}


def dit_state_dict(checkpoint: object) -> StateDict:
    """SVG DiT .pt: the EMA weights when present (as the official sampler uses), else `model`, else plain."""
    if isinstance(checkpoint, Mapping):
        for key in ("ema", "model"):
            if key in checkpoint:
                return _without_ddp_prefix(_tensors(checkpoint[key], f"checkpoint[{key!r}]"))
    return plain_state_dict(checkpoint)


def network_state_dict(role: str, checkpoint: object) -> StateDict:
    """One network's weights ("dino", "residual", "decoder" or "dit") from any of the containers above."""
    if isinstance(checkpoint, Mapping) and "state_dict" in checkpoint:
        if role not in AUTOENCODER_PREFIXES:
            raise ValueError(f"an autoencoder checkpoint holds no {role!r} network")
        return autoencoder_state_dicts(checkpoint)[role]
    return dit_state_dict(checkpoint) if role == "dit" else plain_state_dict(checkpoint)

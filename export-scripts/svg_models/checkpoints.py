"""Reading the official SVG / DINOv3 checkpoints into our modules (always strict=True after unwrapping).

Why this file: the four networks come in three containers: the DINOv3 hub .pth (a plain state dict), the
SVG autoencoder Lightning .ckpt (`state_dict` with `encoder.*` = DINOv3, `extra_vit.*` = residual ViT,
`decoder.*`, plus training-only keys such as `loss.*`, `mask_token`, `norm_vit.*`), and the SVG DiT .pt
(`ema`, or `model`, or a plain state dict). The fixtures are plain state dicts. Lightning checkpoints also
pickle objects from packages that are not installed here (hyper-parameters); those are read as inert
placeholders since only the tensors matter.
"""
import pickle
import types
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import Tensor, nn

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


class _LenientUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            return _Placeholder


_lenient_pickle = types.ModuleType("svg_lenient_pickle")
_lenient_pickle.Unpickler = _LenientUnpickler
_lenient_pickle.load = lambda file, **kwargs: _LenientUnpickler(file, **kwargs).load()


def read_checkpoint(path: str | Path) -> object:
    """torch.load on the CPU, tolerating pickled objects from absent packages (e.g. pytorch_lightning)."""
    return torch.load(path, map_location="cpu", pickle_module=_lenient_pickle)


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


def load_weights(model: nn.Module, state_dict: Mapping[str, Tensor]) -> nn.Module:
    """Strict load (every key must match, as the official builders require) and switch to eval."""
    model.load_state_dict(state_dict, strict=True)
    return model.eval()

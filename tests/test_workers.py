"""PagePool: pages on every core, bounded in flight, a page that hangs, crashes or hogs memory
costs that page only, and an asyncio-friendly way in for the crawl."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
import zlib
from collections.abc import Iterator

import pytest

import crawler.page.process
from crawler.page.pool import PagePool, release_page_buffers, usable_cores
from crawler.page.process import PageResult, process_page
from storage import MinHashParams

URL = "https://www.lakeside-gazette.example/news/2025/04/ferry-timetable-moves-forward"
WORDS = " ".join(f"word{i} and more of the story number {i}" for i in range(30))
PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>A story</title>
<meta property="og:type" content="article"></head><body><article><h1>A story</h1>
<p>{WORDS}</p><p>{WORDS.replace("word", "line")}</p></article>
<a href="/news/2025/04/another-story-on-the-lake-shore">next</a></body></html>""".encode()


# Functions run inside the workers: module level, so the workers can import them.


def misbehave(
    body: bytes, url: str, encoding: str | None, params: object, *, links: bool = True
) -> PageResult:
    """Hang, crash or hog memory when the URL asks for it; else handle the page normally.

    (The base URL holds none of the words looked for.)
    """
    if "hang" in url:
        while True:  # never done: only the pool's time limit (or a cancel) ends it
            time.sleep(1)
    if "quick" in url:
        return PageResult(url=url, detail="quick")  # no parsing: done in no time on any machine
    if "gate" in url:
        # Done once the file named after "?" exists: the caller's event loop must create it.
        gate = url.partition("?")[2]
        for _ in range(1000):
            if os.path.exists(gate):
                return process_page(body, url, encoding, params, links=links)  # type: ignore[arg-type]
            time.sleep(0.01)
        return PageResult(url=url, reason="gate_never_opened")
    if "crash" in url:
        os.kill(os.getpid(), signal.SIGKILL)
    if "exit" in url:
        os._exit(3)
    if "hog" in url:
        # A parser that needs far more memory than the cap: the real process_page must turn the
        # MemoryError into a reason, so the extractor is swapped for a greedy one here.
        def greedy(html: str, url: str, **options: object) -> None:
            blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB
            del blocks

        original = crawler.page.process.extract_article
        crawler.page.process.extract_article = greedy  # type: ignore[assignment]
        try:
            return process_page(body, url, encoding, params, links=links)  # type: ignore[arg-type]
        finally:
            crawler.page.process.extract_article = original
    if "slow" in url:
        time.sleep(0.5)
    return process_page(body, url, encoding, params, links=links)  # type: ignore[arg-type]


@pytest.fixture
def pool() -> Iterator[PagePool]:
    # No time limit: a fresh page process spends a while on its first page, more on a loaded
    # machine, and this pool is about results, not limits.
    with PagePool(2, params=MinHashParams(), page_timeout=None, memory_mb=512) as running:
        yield running


def test_pages_are_handled_in_workers_as_in_process(pool: PagePool) -> None:
    futures = [pool.submit(PAGE, f"{URL}-{i}", "utf-8") for i in range(6)]
    results = [future.result(timeout=60) for future in futures]
    expected = process_page(PAGE, f"{URL}-0", "utf-8", MinHashParams())
    assert all(result.ok for result in results)
    assert results[0] == PageResult(**{**vars(expected), "seconds": results[0].seconds})
    assert [r.url for r in results] == [f"{URL}-{i}" for i in range(6)]
    assert pool.stats.done == 6 and pool.stats.submitted == 6


def test_a_hanging_page_times_out_and_the_pool_goes_on() -> None:
    # The page after it needs no parsing, so the replacement process handles it well within
    # the limit however loaded the machine is.
    with PagePool(1, page_timeout=1.0, function=misbehave) as pool:
        hung = pool.submit(PAGE, URL + "-hang")
        after = pool.submit(PAGE, URL + "-quick")
        result = hung.result(timeout=30)
        assert result.reason == "timeout"
        assert "1 s" in result.detail and URL in result.detail
        assert after.result(timeout=30) == PageResult(url=URL + "-quick", detail="quick")
        assert pool.stats.timeouts == 1


@pytest.mark.parametrize(("kind", "code"), [("crash", "-9"), ("exit", "3")])
def test_a_worker_that_dies_costs_its_page_only(kind: str, code: str) -> None:
    with PagePool(1, function=misbehave) as pool:
        dead = pool.submit(PAGE, f"{URL}-{kind}")
        after = pool.submit(PAGE, URL + "-fine")
        result = dead.result(timeout=30)
        assert result.reason == "worker_crashed"
        assert f"exit code {code}" in result.detail
        assert after.result(timeout=30).ok
        assert pool.stats.crashed == 1


def test_a_page_that_blows_up_memory_fails_with_memory_limit() -> None:
    with PagePool(1, memory_mb=256, function=misbehave) as pool:
        hog = pool.submit(PAGE, URL + "-hog")
        after = pool.submit(PAGE, URL + "-fine")
        assert hog.result(timeout=60).reason == "memory_limit"
        assert after.result(timeout=60).ok


def test_oversized_pages_are_not_parsed() -> None:
    with PagePool(1, max_bytes=100) as pool:
        result = pool.submit(PAGE, URL).result(timeout=5)
        assert result.reason == "too_large"
        assert str(len(PAGE)) in result.detail
        assert pool._pool is None  # no worker was started for it


def test_submit_blocks_while_the_pool_is_full() -> None:
    with PagePool(1, max_in_flight=1, function=misbehave) as pool:
        first = pool.submit(PAGE, URL + "-slow")
        started = time.monotonic()
        second = pool.submit(PAGE, URL + "-fine")
        waited = time.monotonic() - started
        assert first.done()  # the second page waited for the first one's slot
        assert waited > 0.1
        assert second.result(timeout=30).ok


def test_asyncio_callers_await_results_without_blocking_the_loop(tmp_path) -> None:
    # Each page is done only once the event loop has created its gate file: were awaiting a
    # page to block the loop, no page would ever be done.
    async def open_gates(gates: list[str]) -> None:
        for gate in gates:
            await asyncio.sleep(0.05)
            open(gate, "w").close()

    async def main(pool: PagePool, loop_name: str) -> list[PageResult]:
        gates = [str(tmp_path / f"{loop_name}-{i}") for i in range(4)]
        opener = asyncio.create_task(open_gates(gates))
        results = await asyncio.gather(
            *(pool.process(PAGE, f"{URL}-gate?{gate}", "utf-8") for gate in gates)
        )
        await opener
        return list(results)

    with PagePool(2, max_in_flight=2, page_timeout=None, function=misbehave) as pool:
        results = asyncio.run(main(pool, "first"))
        again = asyncio.run(main(pool, "second"))  # a second event loop gets its own slots
    assert [r.reason for r in results + again] == [None] * 8
    assert all(r.ok for r in results + again)


def test_cancelling_an_awaited_page_frees_its_slot() -> None:
    async def main(pool: PagePool) -> PageResult:
        task = asyncio.ensure_future(pool.process(PAGE, URL + "-hang"))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await asyncio.wait_for(pool.process(PAGE, URL + "-fine"), 30)

    with PagePool(1, max_in_flight=1, function=misbehave) as pool:
        assert asyncio.run(main(pool)).ok


def test_inline_mode_runs_in_the_calling_thread() -> None:
    seen: list[str] = []

    def record(*args: object, **kwargs: object) -> PageResult:
        seen.append(threading.current_thread().name)
        return process_page(*args, **kwargs)  # type: ignore[arg-type]

    with PagePool(0, function=record) as pool:
        assert pool.submit(PAGE, URL).result().ok
    assert seen == [threading.current_thread().name]


@pytest.mark.parametrize("workers", [1, 0], ids=["worker", "inline"])
def test_kept_pages_come_back_compressed_for_the_store(workers: int) -> None:
    rejected = b"<html><body><p>Too short to be an article.</p></body></html>"
    with PagePool(workers, keep_html=True) as pool:
        article = pool.submit(PAGE, URL, "utf-8").result(timeout=60)
        short = pool.submit(rejected, URL + "-short", "utf-8").result(timeout=60)
    assert article.ok and article.html_zlib is not None
    assert zlib.decompress(article.html_zlib) == PAGE
    assert not short.ok and short.html_zlib is None  # the store keeps articles' pages only
    with PagePool(workers) as pool:
        assert pool.submit(PAGE, URL, "utf-8").result(timeout=60).html_zlib is None


def test_page_buffers_are_released_where_the_c_library_allows() -> None:
    import platform

    expected = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert release_page_buffers() is expected


def test_a_closed_pool_takes_no_pages() -> None:
    pool = PagePool(1)
    assert pool.submit(PAGE, URL).result(timeout=30).ok
    pool.close()
    pool.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        pool.submit(PAGE, URL)


def test_defaults_follow_the_usable_cores() -> None:
    assert usable_cores() == len(os.sched_getaffinity(0))
    pool = PagePool()
    assert pool.workers == usable_cores()
    assert pool.max_in_flight == 4 * usable_cores()
    with pytest.raises(ValueError, match="workers"):
        PagePool(-1)
    with pytest.raises(ValueError, match="page_timeout"):
        PagePool(1, page_timeout=0)

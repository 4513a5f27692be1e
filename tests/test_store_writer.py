"""Group commit of raw documents: grouped under load, each caller told its own sha256."""

from __future__ import annotations

import asyncio
import hashlib

import pytest

from govscrape.crawl.rawstore import RawStore
from govscrape.crawl.store_writer import GroupWriter


class CountingStore(RawStore):
    def __init__(self, root) -> None:
        super().__init__(root)
        self.groups: list[int] = []

    def put_many(self, items: list[bytes]) -> list[str]:
        self.groups.append(len(items))
        return super().put_many(items)


def test_documents_arriving_together_are_written_in_groups(tmp_path):
    store = CountingStore(tmp_path)
    docs = [f"<html>第{i}号报告</html>".encode() * 50 for i in range(40)] + [b"same", b"same"]

    async def go() -> list[str]:
        writer = GroupWriter(store)
        return await asyncio.gather(*(writer.put(d) for d in docs))

    digests = asyncio.run(go())
    assert digests == [hashlib.sha256(d).hexdigest() for d in docs]
    assert all(store.get(h) == d for h, d in zip(digests, docs, strict=True))
    assert sum(store.groups) == len(docs) and len(store.groups) < len(docs)
    assert not list(tmp_path.rglob(".tmp-*"))  # nothing left aside


def test_a_lone_document_is_written_at_once_and_failures_reach_every_waiter(tmp_path):
    store = CountingStore(tmp_path)

    async def one() -> str:
        return await GroupWriter(store).put(b"alone")

    assert asyncio.run(one()) == hashlib.sha256(b"alone").hexdigest() and store.groups == [1]

    class FullDisk(RawStore):
        def put_many(self, items: list[bytes]) -> list[str]:
            raise OSError(28, "No space left on device")

    async def many() -> list[object]:
        writer = GroupWriter(FullDisk(tmp_path))
        return await asyncio.gather(
            *(writer.put(b"x%d" % i) for i in range(5)), return_exceptions=True
        )

    results = asyncio.run(many())
    assert all(isinstance(r, OSError) and r.errno == 28 for r in results)


@pytest.mark.parametrize("count", [1, 2, 5])
def test_put_many_stores_every_document_readably(tmp_path, count):
    store = RawStore(tmp_path)
    docs = [bytes([i]) * 1000 for i in range(count)]
    assert [store.get(h) for h in store.put_many(docs)] == docs

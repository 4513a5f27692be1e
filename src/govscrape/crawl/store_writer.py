"""Group commit for the raw store: documents fetched meanwhile are made durable together."""

from __future__ import annotations

import asyncio

from govscrape.crawl.rawstore import Store


class GroupWriter:
    """`await put(data)` returns the sha256 once the bytes are durable, like RawStore.put, but
    documents arriving while a group is being written wait and go into the next group: one
    thread hand-off and one flush per group rather than per document. Nothing waits on a timer,
    so a lone document is written at once; under load groups grow by themselves."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: list[tuple[bytes, asyncio.Future[str]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def put(self, data: bytes) -> str:
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending.append((data, future))
        if self._writing is None:
            self._writing = asyncio.create_task(self._write_groups())
        return await future

    async def _write_groups(self) -> None:
        try:
            while self._pending:
                group, self._pending = self._pending, []
                try:
                    digests = await asyncio.to_thread(self.store.put_many, [d for d, _ in group])
                except Exception as exc:  # a full disk: every waiting caller hears of it
                    for _, future in group:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), digest in zip(group, digests, strict=True):
                    if not future.done():  # its caller may have been cancelled meanwhile
                        future.set_result(digest)
        finally:
            self._writing = None

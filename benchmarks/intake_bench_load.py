"""A lean HTTP/1.1 load generator for the intake benchmark, run in a process of its own.

httpx with 16 threads spent about 5 ms of CPU per request: on a 2-core machine that is a third of
the machine taken from the server being measured. This client writes pre-built request bytes on
plain asyncio streams (keep-alive when the server allows it, a new connection when it answers
``Connection: close``), reads the status line, headers and ``Content-Length`` body, and times each
request. It costs well under a millisecond of CPU per request, and reports its own CPU time so
the benchmark can say how much of the machine the client took.

Traffic goes to the host and port given (the benchmark passes 127.0.0.1 only) and the loop is
bounded by the list of requests it is given.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    """What one drive measured: wall time, per-request latencies (s), statuses and client CPU (s)."""

    elapsed: float
    latencies: list[float]
    statuses: Counter[int] = field(default_factory=Counter)
    client_cpu: float = 0.0
    connections: int = 0


def request_bytes(path: str, headers: dict[str, str], body: bytes) -> bytes:
    """One complete HTTP/1.1 POST, ready to write."""
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The status and whether the server will close the connection; the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, closes = 0, lines[0].startswith("HTTP/1.0")
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection":
            closes = value.strip().lower() == "close"
    if length:
        await reader.readexactly(length)
    return status, closes


async def _worker(
    host: str, port: int, requests: list[bytes], queue: asyncio.Queue[int], result: LoadResult
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while not queue.empty():
        index = queue.get_nowait()
        started = time.perf_counter()
        if writer is None:
            reader, writer = await asyncio.open_connection(host, port)
            result.connections += 1
        assert reader is not None
        writer.write(requests[index])
        status, closes = await _read_response(reader)
        result.latencies[index] = time.perf_counter() - started
        result.statuses[status] += 1
        if closes:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _drive(host: str, port: int, requests: list[bytes], concurrency: int) -> LoadResult:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(requests)):
        queue.put_nowait(index)
    result = LoadResult(0.0, [0.0] * len(requests))
    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(
        *(_worker(host, port, requests, queue, result) for _ in range(concurrency))
    )
    result.elapsed = time.perf_counter() - started
    result.client_cpu = time.process_time() - cpu
    return result


def drive(host: str, port: int, requests: list[bytes], concurrency: int) -> LoadResult:
    """Send every request, at most ``concurrency`` at a time; returns what was measured."""
    return asyncio.run(_drive(host, port, requests, concurrency))


def drive_in_process(
    conn: object, host: str, port: int, requests: list[bytes], concurrency: int
) -> None:
    """``multiprocessing`` target: drive, then send the :class:`LoadResult` back on ``conn``."""
    result = drive(host, port, requests, concurrency)
    conn.send(result)  # type: ignore[attr-defined]
    conn.close()  # type: ignore[attr-defined]

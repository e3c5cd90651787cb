"""A small fault-injecting TCP proxy on loopback, between the desk and the county server.

Faults are armed for the next N connections, then the proxy passes traffic again:
- "refuse": accept, then close at once (server unreachable mid-way)
- "reset_request": forward only the first bytes of the request, then reset both sides
  (the server never sees a whole request)
- "drop_response": forward the whole request, read the server's answer, then reset the client
  without passing it on (the server committed; the desk never hears so)
- "truncate_response": pass only the first bytes of the answer, then close
- "delay": wait `delay_s` before forwarding the request
- "hook": forward the request, call `hook()` (e.g. kill the server), then pass what is left
"""
from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable

CHUNK = 65536
PARTIAL_BYTES = 120


def _reset(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class FaultProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._fault: str | None = None
        self._remaining = 0
        self.delay_s = 0.0
        self.hook: Callable[[], None] | None = None
        self.faults_applied = 0
        self._closed = False
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def arm(self, fault: str, times: int = 1, *, delay_s: float = 0.0, hook: Callable[[], None] | None = None) -> None:
        with self._lock:
            self._fault, self._remaining, self.delay_s, self.hook = fault, times, delay_s, hook

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _next_fault(self) -> str | None:
        with self._lock:
            if self._remaining <= 0:
                return None
            self._remaining -= 1
            self.faults_applied += 1
            return self._fault

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client, self._next_fault()), daemon=True).start()

    def _serve(self, client: socket.socket, fault: str | None) -> None:
        if fault == "refuse":
            _reset(client)
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=30)
        except OSError:
            _reset(client)
            return
        if fault == "delay":
            time.sleep(self.delay_s)
        if fault == "reset_request":
            data = client.recv(PARTIAL_BYTES)
            upstream.sendall(data)
            _reset(upstream)
            _reset(client)
            return
        done = threading.Event()
        threading.Thread(target=self._pump_up, args=(client, upstream, fault, done), daemon=True).start()
        self._pump_down(upstream, client, fault)
        done.wait(5)

    def _pump_up(self, client: socket.socket, upstream: socket.socket, fault: str | None, done: threading.Event) -> None:
        try:
            while data := client.recv(CHUNK):
                upstream.sendall(data)
                if fault == "hook" and self.hook is not None:
                    hook, self.hook = self.hook, None
                    threading.Thread(target=hook, daemon=True).start()
        except OSError:
            pass
        finally:
            try:
                upstream.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            done.set()

    def _pump_down(self, upstream: socket.socket, client: socket.socket, fault: str | None) -> None:
        try:
            while data := upstream.recv(CHUNK):
                if fault == "drop_response":
                    break
                if fault == "truncate_response":
                    client.sendall(data[: min(len(data), PARTIAL_BYTES)])
                    break
                client.sendall(data)
        except OSError:
            pass
        if fault in ("drop_response", "truncate_response"):
            _reset(client)
            upstream.close()
            return
        for sock in (client, upstream):
            try:
                sock.close()
            except OSError:
                pass

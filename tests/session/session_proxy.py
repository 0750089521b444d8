"""A TCP forwarder in front of a real server, to take the server "down" and back "up".

``stop()`` closes the listening port and cuts every open connection (both sides), so
clients see exactly what a crashed server looks like; ``start()`` listens on the same
port again.
"""

from __future__ import annotations

import contextlib
import socket
import threading

HOST = "127.0.0.1"


class TcpProxy:
    """Forward ``127.0.0.1:<port>`` to ``127.0.0.1:<target>`` while started."""

    def __init__(self, target: int) -> None:
        self.target = target
        self._guard = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        probe = socket.socket()
        probe.bind((HOST, 0))
        self.port: int = probe.getsockname()[1]
        probe.close()

    def start(self) -> None:
        """Listen and forward."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(64)
        with self._guard:
            self._listener = listener
        self._spawn(self._accept, listener)

    def stop(self) -> None:
        """Stop listening and cut every forwarded connection."""
        with self._guard:
            listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._guard:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection((HOST, self.target))
            except OSError:
                client.close()
                continue
            with self._guard:
                stopped = self._listener is not listener
                if not stopped:
                    self._sockets.update((client, upstream))
            if stopped:  # stop() ran while this connection was being made
                client.close()
                upstream.close()
                return
            self._spawn(self._pump, client, upstream)
            self._spawn(self._pump, upstream, client)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

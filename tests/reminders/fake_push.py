"""A fake push service on localhost: records each POST and answers with a chosen status."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid.utils import b64urlencode


class FakePushService:
    def __init__(self):
        self.requests = []
        self.status_by_path = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                service.requests.append({"path": self.path, "body": body,
                                         "headers": {k.lower(): v for k, v in self.headers.items()}})
                self.send_response(service.status_by_path.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("localhost", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def endpoint(self, name: str, status: int = 201) -> str:
        path = f"/push/{name}"
        self.status_by_path[path] = status
        return f"http://localhost:{self.server.server_port}{path}"


def browser_keys() -> dict:
    """A subscription's keys as a browser makes them: a P-256 public key and 16 auth bytes."""
    import os

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"p256dh": b64urlencode(public), "auth": b64urlencode(os.urandom(16))}

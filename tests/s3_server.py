"""An S3-compatible server on 127.0.0.1 for the storage tests: moto's server mode (an emulator of
the S3 protocol, run in a thread), so s3fs talks real HTTP to a real endpoint, not a mock."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest

# The AWS clients read these: fake credentials (moto accepts any), a region, the local endpoint.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """http://127.0.0.1:PORT of a moto server for this test session, named by AWS_ENDPOINT_URL
    in the environment (which botocore, s3fs and processes started later all read)."""
    server_module = pytest.importorskip("moto.server")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per request otherwise
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**CREDENTIALS, "AWS_ENDPOINT_URL": endpoint}.items():
            patch.setenv(key, value)
        yield endpoint
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    """s3://<a new bucket> on the session's server."""
    import s3fs  # the tests that use a bucket need it (the `cluster` extra)

    name = f"govscrape-{uuid.uuid4().hex[:12]}"
    s3fs.S3FileSystem().mkdir(name)
    return f"s3://{name}"

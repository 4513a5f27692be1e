"""Fixtures shared by several test files: the S3 server of the storage tests."""

from s3_server import bucket, s3_endpoint

__all__ = ["bucket", "s3_endpoint"]

"""The server's settings: one validated object, made from the command line or a test."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    #: Largest request body (all files of one upload together).
    max_upload_bytes: int = 100 * MB
    #: Most files in one upload (a zip counts its members).
    max_files: int = 200
    #: How long an upload's results stay downloadable before its folder is removed.
    keep_seconds: int = 3600
    #: Worker processes; documents are CPU-bound.
    jobs: int = 2

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ValueError(f"--port must be 1–65535, got {self.port}")
        for name in ("max_upload_bytes", "max_files", "keep_seconds", "jobs"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")

    @property
    def local_only(self) -> bool:
        """True when only this machine can reach the server."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

"""``duty-lists serve``: the page in the browser (see :mod:`ingest.serve`).

Needs the ``web`` extra (Starlette, uvicorn, python-multipart, Jinja2),
installed by ``make run`` and ``make test``.  Binds 127.0.0.1 unless told
otherwise, and says so loudly when it is told otherwise.  Ctrl-C stops it and
removes every upload.
"""

from __future__ import annotations

import argparse
import sys

WEB_MISSING = "duty-lists serve needs the web extra: pip install 'duty-lists[web]'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from duty_lists.ingest.cli.run import job_count
    from duty_lists.ingest.serve.settings import ServeSettings

    defaults = ServeSettings()
    parser.add_argument("--host", default=defaults.host, help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=defaults.port)
    parser.add_argument("--max-upload-mb", type=int, default=defaults.max_upload_bytes // (1024 * 1024),
                        help="largest upload, all its files together (MB)")
    parser.add_argument("--max-files", type=int, default=defaults.max_files, help="most files in one upload")
    parser.add_argument("--keep-minutes", type=int, default=defaults.keep_seconds // 60,
                        help="how long results stay downloadable before they are removed")
    parser.add_argument("--jobs", type=job_count, default=defaults.jobs, help="worker processes (0: one per core)")


def run(args: argparse.Namespace) -> int:
    import os

    try:
        import uvicorn
        from duty_lists.ingest.serve.app import create_app
        from duty_lists.ingest.serve.settings import MB, ServeSettings
    except ImportError:
        print(WEB_MISSING, file=sys.stderr)
        return 2
    try:
        settings = ServeSettings(host=args.host, port=args.port, max_upload_bytes=args.max_upload_mb * MB,
                                 max_files=args.max_files, keep_seconds=args.keep_minutes * 60,
                                 jobs=args.jobs or os.cpu_count() or 1)
    except ValueError as exc:
        print(f"duty-lists serve: {exc}", file=sys.stderr)
        return 2
    if not settings.local_only:
        print(f"duty-lists serve: 警告：监听 {settings.host}，本机以外的电脑也能访问并上传文件 "
              "(warning: reachable from other machines)", file=sys.stderr)
    print(f"duty-lists serve: 请在浏览器中打开 http://{'127.0.0.1' if settings.host == '0.0.0.0' else settings.host}:"
          f"{settings.port}/ （按 Ctrl-C 停止）", file=sys.stderr)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
    return 0

"""duty-lists, installed as one package: ``duty_lists``.

The repository keeps the three layers in their own top-level folders, and the
install maps them under this one name, so duty-lists adds no top-level module
that another project owns (``schema`` and ``parsers`` are names of PyPI
packages):

* ``duty_lists.parsers`` — ``parsers/``: bytes → the raw table model;
* ``duty_lists.schema`` — ``schema/``: raw tables → records → checks;
* ``duty_lists.ingest`` — ``ingest/``: pipeline, batch runs, reports, analyses, CLI.
"""


def version() -> str:
    """The installed distribution's version, from its metadata: the one place it
    is read (``duty-lists --version``, the manifest and the rerun key use it)."""
    from importlib.metadata import version as installed_version

    return installed_version("duty-lists")

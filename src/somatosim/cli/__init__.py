"""The ``somatosim`` command line.

Each sub-command lives in its own module of this package and registers itself on
:data:`main` when imported below. Every option is documented in ``--help``.
"""

from __future__ import annotations

import click

from somatosim import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="somatosim")
def main() -> None:
    """somatosim: a simulator of the human GH/IGF-1 axis.

    For research and teaching only; not a medical device and not medical advice.
    """


# Sub-commands register themselves on `main` when imported.
from somatosim.cli import analyze as _analyze  # noqa: F401
from somatosim.cli import calibrate as _calibrate  # noqa: F401
from somatosim.cli import compare as _compare  # noqa: F401
from somatosim.cli import igf1 as _igf1  # noqa: F401
from somatosim.cli import lab as _lab  # noqa: F401
from somatosim.cli import run as _run  # noqa: F401
from somatosim.cli import simulate as _simulate  # noqa: F401
from somatosim.cli import stimtest as _stimtest  # noqa: F401
from somatosim.cli import treat as _treat  # noqa: F401
from somatosim.cli import validate as _validate  # noqa: F401

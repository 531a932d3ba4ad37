"""Build this folder's site: ``python build.py [args]`` is ``newsgen build [args]`` run here."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parent)
    from newsgen.cli import main

    sys.exit(main(["build", *sys.argv[1:]]))

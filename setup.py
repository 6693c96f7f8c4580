"""Copies the top-level ``resources/`` into the wheel as ``kfor_desk/_resources``.

Everything else is in pyproject.toml. An editable install and a checkout use ``resources/``
in place (see ``kfor_desk/resources.py``)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        src = Path(__file__).parent / "resources"
        dst = Path(self.build_lib) / "kfor_desk" / "_resources"
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))


setup(cmdclass={"build_py": BuildWithResources})

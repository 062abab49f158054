"""Ships the defaults a registry repository may override (see generator/core/defaults.py) inside the package.

In this checkout they are top-level folders (schemas/, site_templates/, mkdocs.yml, the demo's policy and
audiences); a built wheel carries copies of them as generator/defaults/, so an installed `cadres` works in a
repository that holds only registry/.
"""

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from generator.core.defaults import SHIPPED  # noqa: E402  (the one list of shipped files; imports nothing else)


class BuildWithDefaults(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout itself
            return
        target = Path(self.build_lib) / "generator" / "defaults"
        for name in SHIPPED:
            source, copy = HERE / name, target / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, copy, dirs_exist_ok=True)
            else:
                shutil.copy2(source, copy)


setup(cmdclass={"build_py": BuildWithDefaults})

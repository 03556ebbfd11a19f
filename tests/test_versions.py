"""Library versions in cache keys are read from the installed packages' folders, as their metadata says."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distributions, version

import pytest

from explainer.core.fingerprint import installed_version


def test_every_installed_package_has_the_version_its_metadata_gives():
    names = sorted({dist.metadata["Name"] for dist in distributions()})
    assert "altair" in names and "citeproc-py" in names
    assert {name: installed_version(name) for name in names} == {name: version(name) for name in names}


def test_a_package_that_is_not_installed_is_an_error():
    with pytest.raises(PackageNotFoundError):
        installed_version("no-such-package-installed")

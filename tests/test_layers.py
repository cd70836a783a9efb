"""The package's layers and its Qt-free core, checked by import-linter on every test run (so CI keeps them)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"

# Small leaf modules any layer may use; everything else under esncoach/ must sit in a layer.
UNLAYERED = {"__init__", "__main__", "paths", "licences"}


def _config() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_import_contracts_are_kept(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)  # the contracts name the package as installed from this tree
    exit_code = lint_imports(config_filename=str(PYPROJECT), no_cache=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "0 broken" in report
    for contract in _config()["contracts"]:
        assert f"{contract['name']} KEPT" in " ".join(report.split()), contract["id"]


def test_every_top_level_package_has_a_layer() -> None:
    layered: set[str] = set()
    for contract in _config()["contracts"]:
        if contract["type"] == "layers" and not contract.get("containers"):
            for layer in contract["layers"]:
                layered.update(part.strip().removeprefix("esncoach.") for part in layer.replace(":", "|").split("|"))
    package = ROOT / "esncoach"
    found = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    found |= {p.stem for p in package.glob("*.py")}
    assert found - UNLAYERED - layered == set(), "add the new top-level module to the layers contract in pyproject.toml"


def test_the_core_list_names_every_qt_free_layer() -> None:
    forbidden = next(c for c in _config()["contracts"] if c["id"] == "qt-free-core")
    assert {"esncoach.services", "esncoach.models", "esncoach.store", "esncoach.imports", "esncoach.demo"} <= set(
        forbidden["source_modules"]
    )
    assert "PySide6" in forbidden["forbidden_modules"]

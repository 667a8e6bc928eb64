"""The built wheel is the portal: installed from it (not editable), `portal db upgrade` works.

The wheel is built from a copy of the checkout, installed into a fresh virtual
environment without pip, and run there. That environment reaches this one's
installed dependencies through a .pth line, which adds the directory to sys.path
but runs none of the .pth files in it: the editable install's import hook, which
would serve `portal` from the checkout, never loads, so only the wheel's files can.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.models import metadata

ROOT = Path(__file__).resolve().parents[1]
_SOURCES = ("pyproject.toml", "README.md", "portal", "migrations")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in _SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    # The build backend comes from pip's cache or the index, as for any install.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        cwd=source,
        timeout=300,
    )
    [built] = out.glob("immunization_portal-*.whl")
    return built


def test_the_wheel_holds_every_module_and_migration(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "portal").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert modules - names == set(), "add the package to [tool.setuptools] packages"
    migrations = {
        "portal/" + p.relative_to(ROOT).as_posix()
        for p in (ROOT / "migrations").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert any("/versions/" in m for m in migrations)
    assert migrations - names == set()
    assert "portal/templates/base.html" in names
    assert "portal/translations/es/LC_MESSAGES/messages.mo" in names


def test_the_wheel_holds_the_forecast_schedule_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "portal" / "forecast").glob("data/*.json")
    } | {"portal/forecast/known_failures.txt"}
    assert len(data) > 30
    assert data - names == set(), "add them to [tool.setuptools.package-data]"


def test_the_wheel_holds_the_vaccine_names(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "portal/registry/vaccine_names.toml" in names, "add it to [tool.setuptools.package-data]"


def test_portal_db_upgrade_runs_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
         "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=120,
    )  # fmt: skip
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )  # fmt: skip
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    database = tmp_path / "portal.db"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PORTAL_DATABASE_URL": f"sqlite:///{database}",  # all the README's step 1 sets
    }
    where = subprocess.run(
        [str(python), "-c", "import portal.migrate as m; print(m.__file__, m.MIGRATIONS)"],
        check=True, capture_output=True, text=True, cwd=tmp_path, env=env,
    ).stdout.split()  # fmt: skip
    assert all(Path(p).is_relative_to(site) for p in where), where  # the wheel's, not ours

    done = subprocess.run(
        [str(env_dir / "bin" / "portal"), "db", "upgrade"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Schema is up to date." in done.stdout
    engine = sa.create_engine(f"sqlite:///{database}")
    tables = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert tables == set(metadata.tables) | {"alembic_version"}

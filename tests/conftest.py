"""Test set-up: headless Qt, and every data folder redirected into pytest's temporary tree."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Must be set before anything imports Qt: without a display Qt would abort the process.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_SANDBOX = Path(tempfile.mkdtemp(prefix="minsheng-tests-"))
for _var in ("MINSHENG_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_SANDBOX / _var.lower())

import pytest  # noqa: E402

from app.actor import Actor  # noqa: E402
from app.database import Database  # noqa: E402
from app.services.setup import SetupRequest, perform_setup  # noqa: E402
from app.startup import open_workstation  # noqa: E402

ADMIN_PASSWORD = "abc12345"


def setup_request(**overrides: object) -> SetupRequest:
    values: dict[str, object] = dict(
        center_code="220821100",
        center_name="镇赉镇民生服务中心",
        node_code="01",
        node_name="1号综合受理窗口",
        node_kind="window",
        admin_user="admin",
        admin_password=ADMIN_PASSWORD,
        admin_name="王管理",
    )
    values.update(overrides)
    return SetupRequest(**values)  # type: ignore[arg-type]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def blank_db(data_dir: Path) -> Iterator[Database]:
    db, _ = open_workstation(data_dir)
    yield db
    db.dispose()


@pytest.fixture
def db(blank_db: Database) -> Database:
    perform_setup(blank_db, setup_request())
    return blank_db


@pytest.fixture
def admin(db: Database) -> Actor:
    from app.services.people.auth import login

    return login(db, "admin", ADMIN_PASSWORD)


@pytest.fixture
def china_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Deadlines use the window's local date: run these tests on China time whatever the machine says."""
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.fixture
def center(tmp_path: Path) -> Iterator[object]:
    """A township centre on the run's embedded PostgreSQL (a database of its own), closed afterwards."""
    from tests.sync_helpers import make_center

    c = make_center(tmp_path / "centre")
    yield c
    c.close()


@pytest.fixture
def task_runner(qapp: object) -> Iterator[object]:
    """A TaskRunner for a view under test; an error its background work did not handle fails the test."""
    from app.ui.tasks import TaskRunner

    errors: list[BaseException] = []
    runner = TaskRunner(errors.append)
    yield runner
    runner.wait()
    assert not errors, errors


def add_staff(db: Database, admin: Actor, *numbers: str, workplace: str = "1号窗口") -> None:
    """Staff members the test names (a complaint's subject must be someone the centre knows)."""
    from app.services.people.staff import StaffForm, save_staff

    for i, staff_no in enumerate(numbers):
        save_staff(db, admin, StaffForm(staff_no, f"测试人员{i + 1}", "clerk", workplace, password="pass1234"))

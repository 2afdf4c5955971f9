"""The application's clinic-server side against a real PostgreSQL cluster: background sync and its
status text, the draft-lease banner with Take over, and File → Clinic server…."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
from memory_keyring import MemoryKeyring, use_memory_keyring
from pg_cluster import Cluster, _free_port, private_cluster

from dn_bodymap.charting.records import Patient, Session
from dn_bodymap.store import open_store
from dn_bodymap.store.demo_clinic import plain_sites
from dn_bodymap.sync.engine import sync_once
from dn_bodymap.sync.leases import LeaseKeeper
from dn_bodymap.sync.server_schema import init_server
from dn_bodymap.sync.server_url import SETTING_KEY

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _screenshot(widget, name: str) -> None:
    """docs/ screenshots, written only when asked (DN_BODYMAP_SCREENSHOTS=1), never by CI runs."""
    if os.environ.get("DN_BODYMAP_SCREENSHOTS") == "1":
        widget.grab().save(str(DOCS / name))


@pytest.fixture(scope="module")
def pg_cluster() -> Iterator[Cluster]:
    with private_cluster() as cluster:
        if cluster is None:
            pytest.skip("PostgreSQL server binaries not found (install Debian's postgresql package)")
        yield cluster


@pytest.fixture
def server_url(pg_cluster: Cluster) -> Iterator[str]:
    name = f"clinic_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_cluster.url(name)
    with psycopg.connect(url, autocommit=True) as conn:
        init_server(conn)
    yield url
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    with use_memory_keyring() as backend:
        yield backend


def _changes(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(*) FROM dn_changes").fetchone()[0])


def _configure(window, repo, url: str, name: str = "Room 2") -> None:
    repo.set_setting(SETTING_KEY, url)
    repo.set_setting("clinic.workstation_name", name)
    window.clinic_sync.reconfigure()


def test_background_sync_says_synced_offline_or_what_failed_and_never_blocks(
    qtbot, make_window, server_url: str, pg_cluster: Cluster
) -> None:
    window, repo = make_window()
    sync = window.clinic_sync
    assert not sync.label.isVisible()  # no server configured: a single workstation as before
    repo.add_patient(Patient(display_name="Ada Fictional"))
    _configure(window, repo, server_url)  # its first round starts once the window is idle
    sync.sync_now()
    assert sync.busy  # the round runs in its thread: sync_now returned before it ended
    repo.add_patient(Patient(display_name="Ben Fictional"))  # charting writes meanwhile
    qtbot.waitUntil(lambda: not sync.busy and sync.label.text() == "Synced", timeout=20000)
    sync.sync_now()  # Ben's row, if the first round missed it
    qtbot.waitUntil(lambda: not sync.busy and _changes(server_url) == 2, timeout=20000)
    assert sync.label.text() == "Synced" and "Synced with" in sync.label.toolTip()

    nowhere = f"postgresql://postgres@127.0.0.1:{_free_port()}/clinic"
    _configure(window, repo, nowhere)
    repo.add_patient(Patient(display_name="Cy Fictional"))
    qtbot.waitUntil(lambda: not sync.busy, timeout=20000)
    sync.sync_now()
    qtbot.waitUntil(lambda: not sync.busy and sync.label.text().startswith("Offline"), timeout=20000)
    assert sync.label.text() == "Offline — 1 change waiting"
    window.patients.refresh()
    _screenshot(window, "clinic-server-offline.png")

    unprepared = server_url.rsplit("/", 1)[0] + "/postgres"
    _configure(window, repo, unprepared)
    qtbot.waitUntil(lambda: not sync.busy and sync.label.text().startswith("Sync failed"), timeout=20000)
    assert "not prepared" in sync.label.text()


def _site_mark_point():
    site = plain_sites()[0]
    return str(site.view), site.x, site.y


def test_a_draft_open_in_another_room_shows_a_banner_and_can_be_taken_over(
    qtbot, make_window, server_url: str, tmp_path: Path
) -> None:
    with open_store(tmp_path / "room1" / "records.db", actor="Dr Room1", backups=False) as room1:
        patient = room1.add_patient(Patient(display_name="Dee Fictional"))
        draft = room1.create_session(Session(patient_id=patient.id, clinician="Dr Room1"))
        keeper = LeaseKeeper(room1.sync_workstation_id(), "Room 1", "Dr Room1")
        keeper.open(draft.id)
        sync_once(room1, server_url, leases=keeper)

        window, repo = make_window()
        sync = window.clinic_sync
        _configure(window, repo, server_url)
        qtbot.waitUntil(lambda: not sync.busy and sync.label.text() == "Synced", timeout=20000)
        window.open_session(draft.id)
        banner = sync._banners[-1]
        qtbot.waitUntil(lambda: not sync.busy and banner.isVisible(), timeout=20000)
        assert banner.text.text().startswith("Open in Room 1 by Dr Room1 (since ")
        assert banner.text.text().endswith(") — read-only here.")
        _screenshot(window, "clinic-server-lease-banner.png")

        refusals: list[str] = []
        window.controller.refused.connect(refusals.append)
        assert window.controller.place_mark(*_site_mark_point()) is None
        assert refusals and refusals[-1].startswith("open in Room 1 (since ")
        assert repo.load_session(draft.id).marks == ()

        qtbot.mouseClick(banner.button, qtbot_left())
        qtbot.waitUntil(lambda: not sync.busy and not banner.isVisible(), timeout=20000)
        entry = repo.list_audit(draft.id, limit=1)[0]
        assert entry.entity_kind == "lease" and "took over the draft from Room 1" in entry.actor
        assert window.controller.place_mark(*_site_mark_point()) is not None

        assert sync_once(room1, server_url, leases=keeper).held_elsewhere == [draft.id]

        # Back to the patient list: the draft is released, so Room 1 may have it again.
        window.show_patients()
        qtbot.waitUntil(lambda: not sync.busy, timeout=20000)
        sync.sync_now()
        qtbot.waitUntil(lambda: not sync.busy, timeout=20000)
        assert sync_once(room1, server_url, leases=keeper).held_elsewhere == []


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_clinic_server_dialog_tests_the_connection_and_keeps_the_password_in_the_keyring(
    qtbot, make_window, server_url: str, memory_keyring: MemoryKeyring
) -> None:
    from dn_bodymap.gui.clinic_server_dialog import ClinicServerDialog

    window, repo = make_window()
    dialog = ClinicServerDialog(window.clinic_sync, window)
    qtbot.addWidget(dialog)
    dialog.show()
    # A server on another computer without TLS is refused, and nothing is kept.
    dialog.url.setText("postgresql://server.clinic.lan/dn_clinic")
    dialog.role.setText("room2")
    dialog.save()
    assert "must be encrypted" in dialog.result.text()
    assert repo.get_setting(SETTING_KEY) is None

    dialog.url.setText(server_url.replace("postgres@", ""))
    dialog.role.setText("postgres")
    dialog.password.setText("not-needed-here")  # trust authentication ignores it
    dialog.name.setText("Room 2")
    qtbot.mouseClick(dialog.test_button, qtbot_left())
    qtbot.waitUntil(lambda: dialog.result.text().startswith("Connected to"), timeout=20000)
    assert "as postgres" in dialog.result.text()
    _screenshot(dialog, "clinic-server-dialog.png")
    dialog.save()
    assert repo.get_setting(SETTING_KEY) == server_url  # the URL without password
    assert repo.get_setting("clinic.workstation_name") == "Room 2"
    assert list(memory_keyring.entries.values()) == ["not-needed-here"]
    sync = window.clinic_sync
    qtbot.waitUntil(lambda: not sync.busy and sync.label.text() == "Synced", timeout=20000)


def test_a_take_over_that_cannot_reach_the_server_says_so_and_changes_nothing(qtbot, make_window) -> None:
    window, repo = make_window()
    sync = window.clinic_sync
    _configure(window, repo, f"postgresql://postgres@127.0.0.1:{_free_port()}/clinic")
    qtbot.waitUntil(lambda: not sync.busy and sync.label.text().startswith("Offline"), timeout=20000)
    patient = repo.add_patient(Patient(display_name="Eve Fictional"))
    draft = repo.create_session(Session(patient_id=patient.id, clinician="Dr Test"))
    with qtbot.waitSignal(sync.tookOver, timeout=20000) as said:
        sync.take_over(draft.id)
    assert said.args[0].startswith("The draft could not be taken over: cannot reach the clinic server")
    assert [e for e in repo.list_audit(draft.id) if e.entity_kind == "lease"] == []
    qtbot.waitUntil(lambda: not sync.busy, timeout=20000)

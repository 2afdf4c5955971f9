"""Crash-test child: performs charting actions forever, printing one line after each commit.

Run as ``python kill_child.py DB SESSION_ID SEED``; the parent kills it with SIGKILL at random.
Kept light (no Qt, no shapely, no numpy) so that it starts fast.
"""

from __future__ import annotations

import dataclasses
import random
import sys

sys.modules["numpy"] = None  # type: ignore[assignment]  # sqlite-utils imports it if present
sys.modules["pandas"] = None  # type: ignore[assignment]

from dn_bodymap.charting.enums import HazardLevel, Side, View  # noqa: E402
from dn_bodymap.charting.records import HazardAcknowledgement, Mark, PainArea  # noqa: E402
from dn_bodymap.store import open_store  # noqa: E402


def main() -> None:
    db_path, session_id, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    # As the app opens it: checks and a backup at every open, so kills also land in those.
    repo = open_store(db_path, actor="kill-test")
    print("ready", flush=True)
    while True:
        marks = repo.list_marks(session_id, include_deleted=True)
        live = {m.id for m in repo.list_marks(session_id)}
        choice = rng.random()
        if choice < 0.4 or not marks:
            mark = Mark(
                session_id=session_id,
                view=View.POSTERIOR,
                x=rng.uniform(-300, 300),
                y=rng.uniform(0, 1000),
                atlas_version="kill-1",
                side=Side.RIGHT,
                muscle_id="trapezius",
                notes="with-ack",
            )
            ack = HazardAcknowledgement(
                session_id=session_id,
                mark_id=mark.id,
                hazard_ids=("pleura_apex",),
                level=HazardLevel.HIGH,
                message_shown="Lung apex beneath.",
                acknowledged_by="kill-test",
            )
            repo.add_mark(mark, ack)
            print(f"mark {mark.id} {ack.id}", flush=True)
        elif choice < 0.6:
            area = PainArea(
                session_id=session_id,
                view=View.POSTERIOR,
                geometry=[[[0.0, 0.0], [rng.uniform(1, 50), 0.0], [10.0, 10.0]]],
                atlas_version="kill-1",
            )
            repo.add_pain_area(area)
            print(f"area {area.id}", flush=True)
        else:
            target = rng.choice(marks)
            # "try" names the action before it runs: the parent then knows exactly which one was
            # in flight at the kill and holds every other one to the reported state.
            if target.id not in live:
                print(f"try restore {target.id}", flush=True)
                repo.restore_mark(target.id)
                print(f"restore {target.id}", flush=True)
            elif choice < 0.85:
                rev = int(target.passes or 0) + 1
                print(f"try update {target.id} {rev}", flush=True)
                repo.update_mark(dataclasses.replace(target, passes=rev))
                print(f"update {target.id} {rev}", flush=True)
            else:
                print(f"try delete {target.id}", flush=True)
                repo.delete_mark(target.id)
                print(f"delete {target.id}", flush=True)


if __name__ == "__main__":
    main()

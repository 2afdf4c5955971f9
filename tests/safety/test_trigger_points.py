"""Every chest-wall and upper-back trigger point gets a pneumothorax hazard; limb points do not.

Representative points are derived from atlas landmarks (Travell & Simons locations); when the
trigger-point library is present, every library point of these muscles is checked as well.
"""

from __future__ import annotations

import pytest

from dn_bodymap.safety.assess import assess

THORACIC_MUSCLES = frozenset(
    {
        "trapezius", "rhomboid_major", "rhomboid_minor", "pectoralis_major", "pectoralis_minor",
        "serratus_anterior", "serratus_posterior_superior", "serratus_posterior_inferior",
        "intercostals", "iliocostalis_thoracis", "scalenus_anterior", "scalenus_medius",
        "scalenus_posterior", "subclavius",
    }
)  # fmt: skip
LIMB_MUSCLES = frozenset(
    {"vastus_lateralis", "tibialis_anterior", "extensor_carpi_radialis_longus", "deltoid"}
)


def _between(a, b, t: float = 0.5, dx: float = 0.0, dy: float = 0.0) -> tuple[float, float]:
    return (a.x + (b.x - a.x) * t + dx, a.y + (b.y - a.y) * t + dy)


def _thoracic_points(atlas):
    """(muscle, view, x, y) for each muscle's usual trigger points, patient's right and left."""
    post, ant, lat = atlas.view("posterior"), atlas.view("anterior"), atlas.view("lateral_right")
    out = []
    for side in ("right", "left"):
        s = 1.0 if side == "right" else -1.0  # posterior: patient's right at x > 0

        def P(name, _side=side):
            return (
                post.landmark(name, _side)
                if (name, _side) in {(k[0], str(k[1])) for k in post.landmarks}
                else post.landmark(name)
            )

        c7, acromion = P("c7"), P("acromion")
        spine_root, inf_angle, sup_angle = (
            P("scapula_spine_root"),
            P("scapula_inferior_angle"),
            P("scapula_superior_angle"),
        )
        out += [
            ("trapezius", "posterior", *_between(c7, acromion)),  # TrP1, upper free border
            ("trapezius", "posterior", *_between(c7, acromion, 0.6, dy=8)),  # TrP2
            ("trapezius", "posterior", *_between(P("t3"), spine_root)),  # middle trapezius
            ("trapezius", "posterior", s * 45, P("t9").y),  # lower trapezius
            ("rhomboid_major", "posterior", *_between(spine_root, inf_angle, dx=-s * 8)),
            ("rhomboid_minor", "posterior", spine_root.x - s * 10, spine_root.y - 5),
            ("serratus_posterior_superior", "posterior", sup_angle.x - s * 6, sup_angle.y + 12),
            ("serratus_posterior_inferior", "posterior", s * 40, P("t12").y),
            ("iliocostalis_thoracis", "posterior", s * 32, P("t6").y),
            ("iliocostalis_thoracis", "posterior", s * 35, P("t11").y),
            ("intercostals", "posterior", s * 70, P("t8").y),
        ]
        a = -s  # anterior: patient's right at x < 0

        def A(name, _side=side):
            try:
                return ant.landmark(name, _side)
            except KeyError:
                return ant.landmark(name)

        cm, rib4, rib6 = A("clavicle_medial_third"), A("rib4_mcl"), A("rib6_mcl")
        out += [
            ("pectoralis_major", "anterior", rib4.x - a * 10, rib4.y),
            ("pectoralis_major", "anterior", a * 28, A("sternal_angle").y + 30),
            (
                "pectoralis_major",
                "anterior",
                A("anterior_axillary_fold").x - a * 8,
                A("anterior_axillary_fold").y,
            ),
            ("pectoralis_minor", "anterior", A("coracoid").x - a * 20, A("coracoid").y + 20),
            ("serratus_anterior", "anterior", rib6.x + a * 26, rib6.y - 10),
            ("intercostals", "anterior", rib4.x, rib4.y + 10),
            ("subclavius", "anterior", cm.x - a * 10, cm.y + 10),
            # lower scalene points, just above the clavicle (this figure's neck is slim)
            ("scalenus_anterior", "anterior", cm.x - a * 12, cm.y - 3),
            ("scalenus_medius", "anterior", cm.x - a * 5, cm.y - 5),
            ("scalenus_posterior", "anterior", cm.x + a * 6, cm.y - 2),
        ]
    rib6 = lat.landmark("rib6_mal", "right")
    nipple = lat.landmark("nipple", "right")
    clavicle = lat.landmark("clavicle_mid", "right")
    out += [
        ("scalenus_medius", "lateral_right", clavicle.x - 18, clavicle.y - 28),
        ("serratus_anterior", "lateral_right", rib6.x + 10, rib6.y),
        ("intercostals", "lateral_right", rib6.x, rib6.y + 10),
        ("pectoralis_major", "lateral_right", nipple.x - 12, nipple.y - 20),
        ("serratus_anterior", "lateral_left", -(rib6.x + 10), rib6.y),
    ]
    return out


def _limb_points(atlas):
    ant, post, lat = atlas.view("anterior"), atlas.view("posterior"), atlas.view("lateral_right")
    out = []
    for side in ("left", "right"):
        lfe, tt = (
            ant.landmark("lateral_femoral_epicondyle", side),
            ant.landmark("tibial_tuberosity", side),
        )
        acr, dt = ant.landmark("acromion", side), ant.landmark("deltoid_tuberosity", side)
        out += [
            ("vastus_lateralis", "anterior", lfe.x, lfe.y - 80),
            ("tibialis_anterior", "anterior", tt.x * 1.12, tt.y + 40),
            ("deltoid", "anterior", acr.x * 0.95, acr.y + 30),
            ("deltoid", "anterior", dt.x * 0.95, dt.y - 30),
        ]
        le, pacr = post.landmark("lateral_epicondyle", side), post.landmark("acromion", side)
        out += [
            ("extensor_carpi_radialis_longus", "posterior", le.x * 0.99, le.y + 14),
            ("deltoid", "posterior", pacr.x * 0.97, pacr.y + 30),
            (
                "vastus_lateralis",
                "posterior",
                post.landmark("greater_trochanter", side).x * 0.8,
                610,
            ),
        ]
    lfe, tt, acr = (
        lat.landmark(n, "right") for n in ("lateral_femoral_epicondyle", "tibial_tuberosity", "acromion")
    )
    out += [
        ("vastus_lateralis", "lateral_right", lfe.x + 6, lfe.y - 90),
        ("tibialis_anterior", "lateral_right", tt.x - 4, tt.y + 40),
        ("deltoid", "lateral_right", acr.x, acr.y + 30),
        ("deltoid", "lateral_left", -acr.x, acr.y + 30),
    ]
    return out


def _pneumothorax(view, x, y):
    result = assess(view, (x, y))
    assert result.inside, f"{view} ({x:.1f}, {y:.1f}) is outside the figure"
    return [h for h in result.hazards if h.kind == "pneumothorax"]


def test_thoracic_trigger_points_have_a_pneumothorax_hazard(atlas):
    points = _thoracic_points(atlas)
    assert {m for m, *_ in points} == THORACIC_MUSCLES
    missing = [(m, v, round(x, 1), round(y, 1)) for m, v, x, y in points if not _pneumothorax(v, x, y)]
    assert not missing


def test_lower_levator_scapulae_point_has_a_pneumothorax_hazard(atlas):
    post = atlas.view("posterior")
    for side in ("left", "right"):
        angle = post.landmark("scapula_superior_angle", side)
        assert _pneumothorax("posterior", angle.x * 0.95, angle.y - 6)


def test_limb_trigger_points_have_no_pneumothorax_hazard(atlas):
    points = _limb_points(atlas)
    assert {m for m, *_ in points} == LIMB_MUSCLES
    flagged = [(m, v, round(x, 1), round(y, 1)) for m, v, x, y in points if _pneumothorax(v, x, y)]
    assert not flagged


def _library():
    try:
        from dn_bodymap.atlas.trigger_points import default_library
    except ModuleNotFoundError:
        pytest.skip("the trigger-point library is not part of this build yet")
    library = default_library()
    if not library.instances:
        pytest.skip("the trigger-point library is empty")
    return library


def test_every_library_point_of_the_chest_wall_and_upper_back():
    library = _library()
    checked, missing = 0, []
    for tp in library.instances.values():
        lower_levator = tp.muscle == "levator_scapulae" and tp.id != "levator_scapulae.1"
        if tp.muscle not in THORACIC_MUSCLES and not lower_levator:
            continue
        for loc in tp.locations:
            checked += 1
            if not _pneumothorax(loc.view, loc.x, loc.y):
                missing.append((tp.id, str(tp.side), loc.view, loc.x, loc.y))
    assert checked > 0
    assert not missing


def test_no_library_limb_point_has_a_pneumothorax_hazard():
    library = _library()
    flagged = [
        (tp.id, str(tp.side), loc.view, loc.x, loc.y)
        for tp in library.instances.values()
        if tp.muscle in LIMB_MUSCLES
        for loc in tp.locations
        if _pneumothorax(loc.view, loc.x, loc.y)
    ]
    assert not flagged

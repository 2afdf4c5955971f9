"""Well-known upper-body clinical pictures must put the textbook muscles in the reverse lookup's top 5.

Each row is a pain drawing made of surface regions, the muscles the literature names for it, whether
all of them or at least one must appear among the top five suggestions, and the source key (see
assets/trigger_points/sources.toml) the expectation comes from. The expectations were written from
the literature first; when a row fails, fix the referral DATA, not the expectation.
"""

from __future__ import annotations

import pytest
from clinical_pictures import ALL, ANY, assert_in_top5

# (regions, expected muscles, all/any, source key, picture)
PICTURES = [
    (
        ["temple:right"],
        ["trapezius", "sternocleidomastoid", "temporalis"],
        ALL,
        "TS1999",
        "temporal headache: upper trapezius, SCM (sternal) and temporalis",
    ),
    (
        ["vertex"],
        ["splenius_capitis", "sternocleidomastoid"],
        ALL,
        "AB",
        "vertex headache: splenius capitis; high sternal SCM points cap the head",
    ),
    (
        ["forehead:right"],
        ["sternocleidomastoid", "frontalis"],
        ALL,
        "ML9",
        "frontal headache: SCM clavicular division and frontalis",
    ),
    (
        ["occiput:right"],
        ["sternocleidomastoid", "occipitalis"],
        ALL,
        "ML9",
        "occipital headache: high sternal SCM points, occipitalis",
    ),
    (
        ["orbit:right"],
        ["splenius_cervicis", "sternocleidomastoid"],
        ALL,
        "WSP",
        "pain behind / around the eye: splenius cervicis, SCM sternal division",
    ),
    (
        ["posterior_neck:right", "mastoid:right"],
        ["trapezius"],
        ALL,
        "ML5",
        "posterolateral neck pain up to the mastoid: upper trapezius",
    ),
    (
        ["posterior_neck:right", "lateral_neck:right"],
        ["levator_scapulae"],
        ALL,
        "ML10",
        "pain at the angle of the neck, stiff neck: levator scapulae",
    ),
    (
        ["sternum"],
        ["sternocleidomastoid", "sternalis"],
        ANY,
        "ML9",
        "pain over the breastbone: low sternal SCM points, sternalis",
    ),
    (
        ["throat"],
        ["medial_pterygoid", "digastric", "sternocleidomastoid"],
        ANY,
        "ML4",
        "sore throat / painful swallowing without infection",
    ),
    (
        ["anterior_shoulder:right"],
        ["infraspinatus"],
        ALL,
        "ML12b",
        "deep anterior shoulder pain: infraspinatus",
    ),
    (
        ["lateral_shoulder:right"],
        ["supraspinatus", "deltoid"],
        ALL,
        "NA",
        "ache over the mid-deltoid: supraspinatus, middle deltoid",
    ),
    (
        ["posterior_shoulder:right"],
        ["deltoid", "teres_minor", "subscapularis"],
        ALL,
        "NA",
        "posterior shoulder pain: posterior deltoid, teres minor, subscapularis",
    ),
    (
        ["interscapular:right"],
        ["rhomboid_major", "trapezius"],
        ALL,
        "AB",
        "burning between the shoulder blades: rhomboids, middle trapezius",
    ),
    (
        ["interscapular:right"],
        ["scalenus_anterior", "scalenus_medius", "scalenus_posterior"],
        ANY,
        "ML11a",
        "medial scapular border pain: scalenes (rule out cervical referral)",
    ),
    (
        ["inferior_angle_of_scapula:right"],
        ["latissimus_dorsi"],
        ALL,
        "WM",
        "ache at the lower tip of the shoulder blade: latissimus dorsi",
    ),
    (
        ["lateral_epicondyle:right"],
        ["supinator", "extensor_carpi_radialis_longus", "brachioradialis", "triceps_brachii"],
        ANY,
        "ML13",
        "tennis elbow: supinator, ECRL, brachioradialis, triceps",
    ),
    (
        ["lateral_epicondyle:right"],
        ["supinator", "triceps_brachii"],
        ALL,
        "Aggarwal2020",
        "lateral epicondylalgia: supinator and the triceps lateral-border point",
    ),
    (
        ["medial_epicondyle:right"],
        ["triceps_brachii"],
        ALL,
        "NA",
        "inner elbow pain: deep medial triceps point",
    ),
    (["thumb:right"], ["brachialis"], ALL, "MT", "pain at the base of the thumb: brachialis"),
    (
        ["posterior_wrist:right", "dorsum_of_hand:right"],
        ["extensor_carpi_radialis_brevis"],
        ALL,
        "NI",
        "back of the wrist and hand in a keyboard user: ECRB",
    ),
    (["palm:right"], ["palmaris_longus"], ALL, "WM", "prickling palm pain: palmaris longus"),
    (
        ["pectoral:left"],
        ["pectoralis_major", "pectoralis_minor"],
        ALL,
        "NA",
        "anterior chest pain (after cardiac causes are excluded): pectorals",
    ),
    (
        ["lateral_chest:right"],
        ["serratus_anterior"],
        ALL,
        "NA",
        "side stitch / painful deep breath: serratus anterior",
    ),
    (
        ["ring_and_little_fingers:right", "medial_arm:right"],
        [
            "latissimus_dorsi",
            "serratus_anterior",
            "pectoralis_minor",
            "serratus_posterior_superior",
        ],
        ANY,
        "WM",
        "inner arm to the little finger: latissimus, serratus anterior, pectoralis minor",
    ),
    (
        ["mid_back:right", "mid_back:left"],
        ["rectus_abdominis"],
        ALL,
        "MT",
        "band across the thoracolumbar back: upper rectus abdominis",
    ),
    (
        ["upper_abdomen:right"],
        ["external_oblique", "transversus_abdominis", "rectus_abdominis"],
        ANY,
        "NI",
        "epigastric 'heartburn' of abdominal-wall origin",
    ),
]


@pytest.mark.parametrize(
    ("regions", "expected", "mode", "source", "picture"),
    PICTURES,
    ids=[p[4].split(":")[0] for p in PICTURES],
)
def test_clinical_picture_top5(regions, expected, mode, source, picture):
    assert_in_top5(regions, expected, mode, source, picture)


def test_sources_of_the_pictures_resolve():
    import tomllib

    from dn_bodymap.assets import asset_path

    with (asset_path("trigger_points") / "sources.toml").open("rb") as fh:
        keys = set(tomllib.load(fh))
    assert {p[3] for p in PICTURES} <= keys

"""How patient factors change the assessment of one site: raise hazard levels, add advice.

Each rule looks at the patient, the hazards hit and where the site is (patient side and surface
region), and returns a ``Modifier``: the text, its sources, which hazard kinds it raises by one
level, and an optional level of its own (lymphoedema of that limb makes the site a no-needle site).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dn_bodymap.safety.hazards import HazardZone
from dn_bodymap.safety.patient import Patient

UPPER_LIMB_REGIONS = frozenset(
    {
        "axilla",
        "lateral_shoulder",
        "anterior_arm",
        "posterior_arm",
        "lateral_arm",
        "medial_arm",
        "cubital_fossa",
        "lateral_epicondyle",
        "medial_epicondyle",
        "olecranon",
        "anterior_forearm",
        "posterior_forearm",
        "anterior_wrist",
        "posterior_wrist",
        "palm",
        "dorsum_of_hand",
        "thumb",
        "index_and_middle_fingers",
        "ring_and_little_fingers",
    }
)
LOWER_LIMB_REGIONS = frozenset(
    {
        "anterior_thigh",
        "lateral_thigh",
        "medial_thigh",
        "posterior_thigh",
        "anterior_knee",
        "medial_knee",
        "lateral_knee",
        "popliteal_fossa",
        "shin",
        "lateral_leg",
        "medial_leg",
        "calf",
        "anterior_ankle",
        "lateral_ankle",
        "medial_ankle",
        "achilles",
        "heel",
        "dorsum_of_foot",
        "great_toe",
        "lesser_toes",
        "plantar_heel",
        "arch",
        "plantar_forefoot",
    }
)
BREAST_REGIONS = frozenset({"pectoral", "lateral_chest"})
PREGNANCY_REGIONS = frozenset({"lower_abdomen", "pubic", "sacral"})
#: Helper areas (assets/safety/hazards.toml) of the points guidance lists to avoid in pregnancy.
PREGNANCY_POINTS: dict[str, str] = {
    "pregnancy_li4": "LI4 (web of the thumb)",
    "pregnancy_sp6": "SP6 (inner lower leg)",
    "pregnancy_bl60": "BL60 (behind the outer ankle)",
    "pregnancy_bl67": "BL67 (little toe)",
    "pregnancy_sacral_foramina": "the sacral foramina",
}


@dataclass(frozen=True, slots=True)
class Modifier:
    id: str
    text: str
    sources: tuple[str, ...]
    #: Hazard kinds raised by one level at this site.
    raises: frozenset[str] = frozenset()
    #: A level of its own for this site (e.g. no_needle over a limb with lymphoedema).
    level: str | None = None

    def to_document(self) -> dict[str, object]:
        return {
            "id": self.id,
            "text": self.text,
            "sources": list(self.sources),
            "raises": sorted(self.raises),
            "level": self.level,
        }


@dataclass(frozen=True, slots=True)
class Site:
    view: str
    side: str | None
    region: str | None
    zones: Sequence[HazardZone]
    #: Helper areas that cover the site (e.g. the pregnancy points).
    areas: tuple[str, ...] = ()

    def kinds(self) -> set[str]:
        return {z.kind for z in self.zones}


def site_modifiers(patient: Patient, site: Site) -> list[Modifier]:
    out: list[Modifier] = []
    thoracic = "pneumothorax" in site.kinds()
    if thoracic and patient.has("low_bmi"):
        bmi = f" (BMI {patient.bmi:.1f})" if patient.bmi is not None else ""
        out.append(
            Modifier(
                "low_bmi",
                f"Thin build{bmi}: the lung can lie 10-20 mm under the skin, and pneumothorax "
                "case series after needling are dominated by young, thin patients. Use the "
                "shortest needle that does the job, lift the tissue, and measure with ultrasound "
                "if you can.",
                ("Grusche-WestJEM", "DNMT-excerpt", "IrMedJ-2022", "Ghent-2024"),
                raises=frozenset({"pneumothorax"}),
            )
        )
    if thoracic and patient.has("lung_disease"):
        out.append(
            Modifier(
                "lung_disease",
                "Lung disease raised the odds of pneumothorax after acupuncture (adjusted odds "
                "ratios: emphysema 4.87, lung cancer 3.85, tuberculosis 3.65, chronic bronchitis "
                "2.61, pneumonia 2.09).",
                ("Lin-2019",),
                raises=frozenset({"pneumothorax"}),
            )
        )
    if thoracic and patient.has("thoracic_surgery"):
        out.append(
            Modifier(
                "thoracic_surgery",
                "Previous thoracic surgery raised the odds of pneumothorax after acupuncture "
                "(adjusted odds ratio 7.85); the chest wall and pleura may not lie where the "
                "landmarks suggest.",
                ("Lin-2019",),
                raises=frozenset({"pneumothorax"}),
            )
        )
    if patient.has("anticoagulants"):
        deep = {"neurovascular", "spinal"} & site.kinds()
        out.append(
            Modifier(
                "anticoagulants",
                "Bleeding tendency or anticoagulants: a precaution, not an absolute bar; weigh the "
                "individual risk, apply pressure after needling"
                + (
                    ", and take particular care here: bleeding near vessels or the spinal canal "
                    "cannot be compressed (spinal epidural haematoma has followed dry needling)."
                    if deep
                    else "."
                ),
                ("APTA-IJSPT-2014", "McEvoy-list", "PRM-2022-antithrombotic")
                + (("Lee-2011", "Berrigan-2018") if deep else ()),
                raises=frozenset(deep),
            )
        )
    if patient.has("pregnancy"):
        out.append(_pregnancy(site))
    out.extend(_lymphoedema(patient, site))
    if patient.has("breast_implants") and site.view != "posterior" and site.region in BREAST_REGIONS:
        out.append(
            Modifier(
                "breast_implants",
                "Breast or pectoral implant: avoid needling into the breast tissue or the "
                "implant. No dry-needling implant rupture was found in the literature searched, "
                "but screening forms ask about implants for this reason.",
                ("Jotform-screening", "Goldfields", "NZASA-code"),
                level="high",
            )
        )
    if patient.has("implants"):
        out.append(
            Modifier(
                "implants",
                "Implants recorded: avoid needling into or next to an implant or a surgically opened joint.",
                ("Jotform-screening", "APTA-IJSPT-2014"),
            )
        )
    if patient.has("pacemaker"):
        out.append(
            Modifier(
                "pacemaker",
                "Implanted electrical device: do not pass electrical stimulation through needles "
                "without checking that it is compatible with the device.",
                ("Goldfields",),
            )
        )
    return out


def _pregnancy(site: Site) -> Modifier:
    """Over the belly or sacrum: very high; at a listed point: high (guidance and tradition; the
    trials reviewed found no excess harm, so the warning says so)."""
    over_belly = "abdomen" in {z.id for z in site.zones} or site.region in PREGNANCY_REGIONS
    points = [label for area, label in PREGNANCY_POINTS.items() if area in site.areas]
    text = (
        "Pregnancy: acupuncture guidance advises avoiding the lower abdomen, the sacral "
        "foramina and the points LI4 (web of the thumb), SP6 (inner lower leg), BL60 and "
        "BL67 (outer ankle and little toe); written consent is recommended."
    )
    sources: tuple[str, ...] = ("AACP-pregnancy", "Goldfields", "APTA-IJSPT-2014")
    if over_belly:
        text += " This site is over the abdomen or sacrum."
    if points:
        text += (
            f" This site is at {' and '.join(points)}: avoid it while pregnant. The advice rests on "
            "tradition and guidance; trials of acupuncture at these points did not show more "
            "miscarriage or preterm birth."
        )
        sources += ("Carr15",)
    level = "very_high" if over_belly else "high" if points else None
    return Modifier(
        "pregnancy",
        text,
        sources,
        raises=frozenset({"visceral"}) if over_belly else frozenset(),
        level=level,
    )


def _lymphoedema(patient: Patient, site: Site) -> list[Modifier]:
    sources = ("McEvoy-list", "APTA-IJSPT-2014")
    limb = None
    if site.region in UPPER_LIMB_REGIONS:
        limb = "arm"
    elif site.region in LOWER_LIMB_REGIONS:
        limb = "leg"
    if limb and site.side in ("left", "right") and patient.has(f"lymphoedema_{site.side}_{limb}"):
        return [
            Modifier(
                "lymphoedema_limb",
                f"Lymphoedema of this limb ({site.side} {limb}): needling here is an absolute "
                "contraindication (risk of cellulitis that is then hard to fight).",
                sources,
                level="no_needle",
            )
        ]
    if patient.has("lymphoedema"):
        return [
            Modifier(
                "lymphoedema",
                "Lymphoedema recorded: never needle over the affected area or limb.",
                sources,
            )
        ]
    return []

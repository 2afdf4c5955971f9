"""The surface-region vocabulary: plain clinical words for where pain is felt.

Referral zones, pain-drawing descriptions and reports speak in these ids; the atlas must draw every
one of them on at least the views listed (it may draw them on more). Ids are Terminologia Anatomica
English style, snake_case; side is separate.
"""

from __future__ import annotations

A, P, L = "anterior", "posterior", "lateral"

#: id → (label, frames where the region must exist)
REGION_VOCABULARY: dict[str, tuple[str, tuple[str, ...]]] = {
    # head and face
    "vertex": ("vertex", (A, P, L)),
    "forehead": ("forehead", (A, L)),
    "temple": ("temple", (A, L)),
    "orbit": ("eye (orbit)", (A, L)),
    "nose": ("nose", (A, L)),
    "cheek": ("cheek", (A, L)),
    "ear": ("ear", (L,)),
    "temporomandibular_joint": ("jaw joint (TMJ)", (L,)),
    "upper_jaw": ("upper jaw and teeth", (A, L)),
    "lower_jaw": ("lower jaw and teeth", (A, L)),
    "angle_of_jaw": ("angle of the jaw", (A, L)),
    "chin": ("chin", (A, L)),
    "occiput": ("back of the head (occiput)", (P, L)),
    "mastoid": ("behind the ear (mastoid)", (P, L)),
    # neck
    "throat": ("throat (front of neck)", (A, L)),
    "lateral_neck": ("side of the neck", (A, P, L)),
    "posterior_neck": ("back of the neck", (P, L)),
    "suboccipital": ("base of the skull (suboccipital)", (P,)),
    "supraclavicular": ("above the collarbone", (A, L)),
    # shoulder
    "top_of_shoulder": ("top of the shoulder", (A, P, L)),
    "anterior_shoulder": ("front of the shoulder", (A, L)),
    "lateral_shoulder": ("side of the shoulder", (A, P, L)),
    "posterior_shoulder": ("back of the shoulder", (P, L)),
    "axilla": ("armpit", (A, P)),
    # trunk, front
    "infraclavicular": ("below the collarbone", (A,)),
    "sternum": ("breastbone (sternum)", (A,)),
    "pectoral": ("front of the chest", (A, L)),
    "lateral_chest": ("side of the chest", (A, L)),
    "upper_abdomen": ("upper abdomen", (A, L)),
    "lower_abdomen": ("lower abdomen", (A, L)),
    "flank": ("flank", (A, P, L)),
    "groin": ("groin", (A,)),
    "pubic": ("pubic region", (A,)),
    # trunk, back
    "suprascapular": ("above the shoulder blade", (P,)),
    "scapular": ("over the shoulder blade", (P,)),
    "interscapular": ("between the shoulder blades", (P,)),
    "inferior_angle_of_scapula": ("lower tip of the shoulder blade", (P,)),
    "mid_back": ("mid back (lower thoracic)", (P, L)),
    "lumbar": ("low back (lumbar)", (P, L)),
    "sacral": ("sacrum", (P,)),
    "sacroiliac": ("sacroiliac joint", (P,)),
    "coccyx": ("tailbone (coccyx)", (P,)),
    "buttock": ("buttock", (P, L)),
    "lateral_hip": ("side of the hip", (A, P, L)),
    # upper limb
    "anterior_arm": ("front of the upper arm", (A,)),
    "posterior_arm": ("back of the upper arm", (P,)),
    "lateral_arm": ("outer upper arm", (A, P)),
    "medial_arm": ("inner upper arm", (A, P)),
    "cubital_fossa": ("crook of the elbow", (A,)),
    "lateral_epicondyle": ("outer elbow (lateral epicondyle)", (A, P)),
    "medial_epicondyle": ("inner elbow (medial epicondyle)", (A, P)),
    "olecranon": ("point of the elbow (olecranon)", (P,)),
    "anterior_forearm": ("front of the forearm", (A,)),
    "posterior_forearm": ("back of the forearm", (P,)),
    "anterior_wrist": ("front of the wrist", (A,)),
    "posterior_wrist": ("back of the wrist", (P,)),
    "palm": ("palm", (A,)),
    "dorsum_of_hand": ("back of the hand", (P,)),
    "thumb": ("thumb", (A, P)),
    "index_and_middle_fingers": ("index and middle fingers", (A, P)),
    "ring_and_little_fingers": ("ring and little fingers", (A, P)),
    # lower limb
    "anterior_thigh": ("front of the thigh", (A, L)),
    "lateral_thigh": ("outer thigh", (A, P, L)),
    "medial_thigh": ("inner thigh", (A, P)),
    "posterior_thigh": ("back of the thigh", (P, L)),
    "anterior_knee": ("front of the knee", (A, L)),
    "medial_knee": ("inner knee", (A, P)),
    "lateral_knee": ("outer knee", (A, P, L)),
    "popliteal_fossa": ("back of the knee", (P, L)),
    "shin": ("shin", (A, L)),
    "lateral_leg": ("outer lower leg", (A, P, L)),
    "medial_leg": ("inner lower leg", (A, P)),
    "calf": ("calf", (P, L)),
    "anterior_ankle": ("front of the ankle", (A, L)),
    "lateral_ankle": ("outer ankle", (A, P, L)),
    "medial_ankle": ("inner ankle", (A, P)),
    "achilles": ("Achilles tendon", (P, L)),
    "heel": ("heel", (P, L)),
    "dorsum_of_foot": ("top of the foot", (A, L)),
    "great_toe": ("big toe", (A,)),
    "lesser_toes": ("lesser toes", (A,)),
    "plantar_heel": ("underside of the heel", (L,)),
    "arch": ("arch of the foot", (L,)),
    "plantar_forefoot": ("ball of the foot", (L,)),
}

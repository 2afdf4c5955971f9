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
    "perineum": ("perineum (pelvic floor)", (P,)),
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

#: Detail views (docs/atlas-detail-views.md): frame → {region id: label}. Ids are unique across the
#: atlas (never a body-region id); each region also names the body regions it enlarges
#: (``body_regions`` in regions/<frame>.toml). A frame's section is held by `atlas check` once the
#: frame is built. Helpers authoring a frame add its section below.
DETAIL_VOCABULARY: dict[str, dict[str, str]] = {}

DETAIL_VOCABULARY["plantar"] = {
    "plantar_heel_pad": "heel pad (underside of the heel)",
    "medial_heel": "inner side of the heel",
    "lateral_heel": "outer side of the heel",
    "medial_arch": "inner arch (instep)",
    "lateral_arch": "outer midfoot (lateral border)",
    "ball_medial": "ball of the foot under the big-toe joint (1st metatarsal head)",
    "ball_central": "ball of the foot under the 2nd–4th metatarsal heads",
    "ball_lateral": "ball of the foot under the 5th metatarsal head",
    "plantar_great_toe": "underside of the big toe",
    "plantar_lesser_toes": "underside of the lesser toes",
}

DETAIL_VOCABULARY["palmar"] = {
    "palmar_thumb_tip": "pad of the thumb",
    "palmar_thumb": "thumb, palm side",
    "palmar_index_tip": "index fingertip pad",
    "palmar_index_finger": "index finger, palm side",
    "palmar_middle_tip": "middle fingertip pad",
    "palmar_middle_finger": "middle finger, palm side",
    "palmar_ring_tip": "ring fingertip pad",
    "palmar_ring_finger": "ring finger, palm side",
    "palmar_little_tip": "little fingertip pad",
    "palmar_little_finger": "little finger, palm side",
    "palmar_thumb_web": "thumb web, palm side",
    "thenar_eminence": "thenar eminence (ball of the thumb)",
    "hypothenar_eminence": "hypothenar eminence (heel of the hand, little-finger side)",
    "distal_palm": "palm below the fingers (metacarpal heads)",
    "central_palm": "middle of the palm",
    "palmar_wrist": "front of the wrist (creases)",
    "palmar_distal_forearm": "front of the lower forearm",
}

DETAIL_VOCABULARY["dorsal_hand"] = {
    "dorsal_thumb_tip": "back of the thumb tip (nail)",
    "dorsal_thumb": "back of the thumb",
    "dorsal_index_tip": "back of the index fingertip (nail)",
    "dorsal_index_finger": "back of the index finger",
    "dorsal_middle_tip": "back of the middle fingertip (nail)",
    "dorsal_middle_finger": "back of the middle finger",
    "dorsal_ring_tip": "back of the ring fingertip (nail)",
    "dorsal_ring_finger": "back of the ring finger",
    "dorsal_little_tip": "back of the little fingertip (nail)",
    "dorsal_little_finger": "back of the little finger",
    "anatomical_snuffbox": "anatomical snuffbox",
    "first_dorsal_web": "back of the thumb web (first dorsal interosseous)",
    "dorsal_knuckles": "knuckles (MCP joints)",
    "back_of_hand": "back of the hand",
    "dorsal_wrist": "back of the wrist",
    "dorsal_distal_forearm": "back of the lower forearm",
}

# Face and side of the head (helper G): the teeth are charted as the skin over them (lips over the
# front teeth, cheek over the back teeth), as referral to "the upper/lower teeth" is expressed.
DETAIL_VOCABULARY["face"] = {
    "face_eye": "eye and eyelids (orbit)",
    "face_nose": "nose",
    "face_upper_lip": "upper lip (over the upper front teeth)",
    "face_lower_lip": "lower lip (over the lower front teeth)",
    "face_chin": "chin",
    "face_angle_of_jaw": "angle of the jaw",
    "face_tmj": "jaw joint (TMJ), in front of the ear",
    "face_ear": "ear",
    "face_jaw_side": "side of the jaw (over the masseter)",
    "face_upper_teeth": "cheek over the upper back teeth",
    "face_lower_teeth": "cheek over the lower back teeth",
    "face_cheekbone": "cheekbone (zygomatic)",
    "face_maxillary": "cheek beside the nose (over the maxillary sinus)",
    "face_brow": "eyebrow (over the brow ridge)",
    "face_temple": "temple",
    "face_forehead": "forehead",
    "face_vertex": "crown of the head (vertex)",
    "face_throat": "front of the neck (throat)",
    "face_side_of_neck": "side of the neck",
}

DETAIL_VOCABULARY["head_lateral"] = {
    "headlat_ear": "ear (auricle)",
    "headlat_tmj": "jaw joint (TMJ)",
    "headlat_preauricular": "in front of the ear (pre-auricular)",
    "headlat_mastoid": "behind the ear (mastoid)",
    "headlat_eye": "eye and eyelids (orbit)",
    "headlat_nose": "nose",
    "headlat_upper_lip": "upper lip (over the upper front teeth)",
    "headlat_lower_lip": "lower lip (over the lower front teeth)",
    "headlat_chin": "chin",
    "headlat_upper_teeth": "cheek over the upper back teeth",
    "headlat_lower_teeth": "cheek over the lower back teeth",
    "headlat_angle_of_jaw": "angle of the jaw",
    "headlat_jaw_side": "side of the jaw (over the masseter)",
    "headlat_cheekbone": "cheekbone (zygomatic)",
    "headlat_maxillary": "cheek beside the nose (over the maxillary sinus)",
    "headlat_parietal": "side of the head above the ear (parietal)",
    "headlat_temple": "temple",
    "headlat_forehead": "forehead",
    "headlat_vertex": "crown of the head (vertex)",
    "headlat_occiput": "back of the head (occiput)",
    "headlat_suboccipital": "base of the skull (suboccipital)",
    "headlat_throat": "front of the neck (throat)",
    "headlat_side_of_neck": "side of the neck",
    "headlat_back_of_neck": "back of the neck",
}

"""The safety engine: hazard zones built from atlas landmarks, assessment of a needling site,
session rules, contraindication screening and post-needling advice. No Qt here.

- ``hazards``: the zones (``default_hazards()``), per view, from ``assets/safety/hazards.toml``;
- ``assess``: ``assess(view, point, patient)`` and the CLI/GUI document ``assess_document``;
- ``patient``: patient factors and the condition vocabulary;
- ``session``: rules over a whole session (both sides of the thorax, count of high-level sites);
- ``screening``: contraindication and precaution checklist, ``evaluate`` and ``needling_block``;
- ``advice``: post-needling advice ("seek help now" symptoms);
- ``sources``: citations every text refers to.
"""

"""Schema version 5: the depth warning stored with a mark.

When the depth or needle length entered at a site is beyond the shallowest published
skin-to-structure depth there, the editing session's hazard rule stores the warning (its message,
with sources) on the mark, so the record shows what the clinician was told.
"""

MARK_DEPTH_WARNING_V5 = """
ALTER TABLE marks ADD COLUMN depth_warning TEXT;
"""

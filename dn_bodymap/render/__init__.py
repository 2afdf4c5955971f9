"""QtGui drawing of atlas views and records, without widgets (serves the GUI and the reports)."""

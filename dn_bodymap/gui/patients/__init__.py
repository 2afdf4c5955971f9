"""The patients screen: search, create/edit/archive, a patient's sessions and pain over time."""

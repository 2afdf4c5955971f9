"""The trainer's logic without Qt: lessons, the symptom index and the score of a drawn pattern."""

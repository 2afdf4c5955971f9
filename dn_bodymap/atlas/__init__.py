"""The anatomical atlas: views, landmarks, surface regions, muscles; loading, validation, hit-testing."""

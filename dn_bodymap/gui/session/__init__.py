"""The session screen: header, body-map canvas, marks list and inspector."""

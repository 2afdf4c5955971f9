"""The body-map canvas: a QGraphicsScene in atlas units with the figure, marks and pain areas."""

"""shapely geometry → QPainterPath (holes kept by the odd-even fill rule)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPolygonF
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry


def _ring(coords) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y, *_ in coords])


def polygon_path(geom: BaseGeometry) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    polys = [geom] if isinstance(geom, Polygon) else list(getattr(geom, "geoms", []))
    for poly in polys:
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        path.addPolygon(_ring(poly.exterior.coords))
        path.closeSubpath()
        for hole in poly.interiors:
            path.addPolygon(_ring(hole.coords))
            path.closeSubpath()
    return path


def line_path(geom: BaseGeometry) -> QPainterPath:
    path = QPainterPath()
    lines = [geom] if isinstance(geom, LineString) else list(getattr(geom, "geoms", []))
    for line in lines:
        if isinstance(line, LineString | MultiLineString) and not line.is_empty:
            coords = list(line.coords)
            path.moveTo(QPointF(*coords[0][:2]))
            for x, y, *_ in coords[1:]:
                path.lineTo(QPointF(x, y))
    return path


def geometry_path(geom: BaseGeometry) -> QPainterPath:
    if isinstance(geom, Polygon | MultiPolygon):
        return polygon_path(geom)
    return line_path(geom)

"""shapely geometry, or a stored pain area's rings, → QPainterPath (holes kept by the odd-even
fill rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPolygonF

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from dn_bodymap.charting.geometry import AreaGeometry


def _ring(coords) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y, *_ in coords])


def area_path(area: AreaGeometry) -> QPainterPath:
    """A stored pain area as drawn, straight from its rings: no shapely, so the session screen's
    first paint shows its areas before shapely is loaded (atlas/lazy.py)."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for polygon in area.polygons:
        for ring in polygon:
            path.addPolygon(_ring(ring))
            path.closeSubpath()
    return path


def polygon_path(geom: BaseGeometry) -> QPainterPath:
    from shapely.geometry import Polygon

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
    from shapely.geometry import LineString, MultiLineString

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
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(geom, Polygon | MultiPolygon):
        return polygon_path(geom)
    return line_path(geom)

"""The offline map widget: ``MapView`` and the plain ``MapItem`` values it draws."""

from .map_view import MapItem, MapView

__all__ = ["MapItem", "MapView"]

"""The map's background as an image drawn on a worker, so that a zoom step does not wait for it.

After a zoom step the view shows the image it has, scaled (a moment's blur), and asks a worker
(:func:`~kfor_desk.ui.tasks.run_task`) to draw land, zones, bands and the ABL at the new scale
into a ``QImage`` (``QPainter`` on a ``QImage`` is safe off the GUI thread; the paths are only
read there). The sharp image then replaces the scaled one. It covers the view and half a view
around it, so a pan is a copy too; beyond that, or before the first image, the background is
drawn at once as before. It draws no records, places or overlays and decides no colours:
:class:`~.base.BaseLayer` does the drawing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QTransform

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsView

    from .base import BaseLayer


class Backdrop:
    """The last background image of one view, and the one being drawn."""

    MARGIN = 0.5  # the image reaches half a view beyond each edge

    def __init__(self, view: QGraphicsView, base: BaseLayer) -> None:
        self._view = view
        self._base = base
        self._image: QImage | None = None
        self._rect = QRectF()  # the scene rect the image covers
        self._scale = 0.0  # pixels per metre it was drawn at
        self._busy = False
        self._wanted = False
        self._generation = 0

    def pending(self) -> bool:
        """Whether a sharper background is being drawn (or waits to be)."""
        return self._busy or self._wanted

    def sharp(self) -> bool:
        """Whether the image in use was drawn at the view's scale."""
        return self._image is not None and self._same(self._view.transform().m11())

    def invalidate(self) -> None:
        """Forget the image (the colours changed); the next paint draws at once."""
        self._generation += 1
        self._image = None

    def _same(self, scale: float) -> bool:
        return abs(self._scale - scale) <= 1e-9 * max(scale, 1e-12)

    def paint(self, painter: QPainter, rect: QRectF, scale: float, tolerance: float) -> None:
        image = self._image
        if image is not None and self._same(scale) and self._rect.contains(rect):
            self._copy(painter, rect, image)
            return
        if image is not None and not self._same(scale):  # a zoom step: the old one, scaled
            painter.fillRect(rect, self._view.backgroundBrush())
            self._copy(painter, rect, image)
            self.request()
            return
        self._base.paint(painter, rect, tolerance)  # panned far, or the first paint
        self.request()

    def _copy(self, painter: QPainter, rect: QRectF, image: QImage) -> None:
        """The part of ``image`` under ``rect`` (scene units), without smoothing: a copy when
        the scale is the image's, a quick nearest-pixel scaling after a zoom step."""
        part = rect.intersected(self._rect)
        if part.isEmpty():
            return
        k = self._scale * image.devicePixelRatio()
        source = QRectF((part.left() - self._rect.left()) * k, (part.top() - self._rect.top()) * k,
                        part.width() * k, part.height() * k)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(part, image, source)
        painter.restore()

    def request(self) -> None:
        """Draw the background for the view as it is now, on a worker."""
        if self._busy:
            self._wanted = True
            return
        view = self._view
        scale = view.transform().m11()
        seen = view.mapToScene(view.viewport().rect()).boundingRect()
        dx, dy = seen.width() * self.MARGIN, seen.height() * self.MARGIN
        rect = seen.adjusted(-dx, -dy, dx, dy)
        dpr = view.devicePixelRatioF()
        width, height = round(rect.width() * scale * dpr), round(rect.height() * scale * dpr)
        if width <= 0 or height <= 0 or width * height > 40_000_000:
            return
        tolerance = self._base.level_at(scale)
        base, generation = self._base, self._generation
        self._busy, self._wanted = True, False

        def draw(_progress: object) -> QImage:
            image = QImage(width, height, QImage.Format.Format_RGB32)  # opaque: a plain copy
            image.setDevicePixelRatio(dpr)
            painter = QPainter(image)
            painter.setTransform(QTransform(scale, 0, 0, scale, -rect.left() * scale,
                                            -rect.top() * scale))
            base.paint(painter, rect, tolerance)
            painter.end()
            return image

        def done(image: QImage) -> None:
            if not shiboken6.isValid(view):
                return
            self._busy = False
            if generation == self._generation:
                self._image, self._rect, self._scale = image, rect, scale
                view.resetCachedContent()
                view.viewport().update()
            if self._wanted or not self._same(view.transform().m11()):
                self._wanted = False
                self.request()

        def failed(exc: BaseException) -> None:  # the background is then drawn at once
            self._busy = False

        from kfor_desk.ui.tasks import run_task

        run_task(None, "Drawing the map", draw, done, failed, cancellable=False,
                 show_dialog=False)

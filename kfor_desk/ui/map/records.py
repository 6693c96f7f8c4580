"""The records on the map: their symbols, radii and count discs, created only when needed.

:class:`RecordLayer` holds a :class:`~.plan.ClusterPlan` (computed off the GUI thread) and puts
in the scene, on the GUI thread, only what the view needs: at a zoom level, the count discs and
the symbols of the records drawn alone *near the visible area*. Items once made are kept and
shown or hidden when the level changes, so a zoom step never rebuilds them. It does not decide
the zoom, handle clicks or read anything: :mod:`.map_view` does.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from .ink import InkRef
from .items import to_scene
from .plan import ClusterPlan, plan_records
from .symbols import ClusterDisc, RadiusCircle, RecordSymbol, _Root

__all__ = ["ClusterDisc", "RecordLayer", "RecordSymbol"]

_UNSET = object()


class RecordLayer:
    """The record items of one view: made lazily per level and area, kept, shown or hidden."""

    MARGIN = 0.5  # items are made up to half a view beyond each edge of what is seen

    def __init__(self, scene: QGraphicsScene, ink: InkRef) -> None:
        self._scene = scene
        self._ink = ink
        self._root = _Root()
        scene.addItem(self._root)
        self.plan: ClusterPlan = plan_records(())
        self.level: object = _UNSET
        self.selected: str | None = None
        self._reset()

    def _reset(self) -> None:
        n = len(self.plan)
        self.symbols: dict[int, RecordSymbol] = {}
        self.radii: dict[int, RadiusCircle] = {}
        self.discs: dict[int, dict[int, ClusterDisc]] = {}
        self._shown = np.zeros(n, dtype=np.bool_)  # per point: its symbol is visible
        self._covered: dict[object, QRectF] = {}
        self._marked: list[RecordSymbol | ClusterDisc] = []
        self.level = _UNSET

    # --- records in, items out ----------------------------------------------------------

    def set_plan(self, plan: ClusterPlan) -> None:
        """Drop every record item and take ``plan`` (items come with :meth:`sync`)."""
        self._scene.removeItem(self._root)
        self._root = _Root()
        self._scene.addItem(self._root)
        self.plan = plan
        self._reset()

    def sync(self, level: int | None, seen: QRectF) -> None:
        """Show ``level`` (``None``: every record alone) and make what lies near ``seen``
        (scene rect); an ungrouped plan is made whole at once."""
        if not self.plan.grouped:
            level = None
        if self.level is _UNSET or level != self.level:
            self._switch(level)
        covered = self._covered.get(level)
        if covered is not None and covered.contains(seen):
            return
        if not self.plan.grouped:
            want = QRectF(-1e9, -1e9, 2e9, 2e9)
        else:
            dx, dy = seen.width() * self.MARGIN, seen.height() * self.MARGIN
            want = seen.adjusted(-dx, -dy, dx, dy)
            if covered is not None:
                want = want.united(covered)
        self._make(level, want)
        self._covered[level] = want
        self._mark()

    def _switch(self, level: int | None) -> None:
        old = self.level
        if isinstance(old, int):
            for disc in self.discs.get(old, {}).values():
                disc.setVisible(False)
        if level is not None:
            for disc in self.discs.get(level, {}).values():
                disc.setVisible(True)
        self.level = level
        if self.symbols:
            idx = np.fromiter(self.symbols, dtype=np.int64, count=len(self.symbols))
            groups = self.plan.at(level)
            want = np.ones(len(idx), dtype=np.bool_) if groups is None else groups.alone[idx]
            for i, show in zip(idx[want != self._shown[idx]].tolist(),
                               want[want != self._shown[idx]].tolist(), strict=True):
                self._show_symbol(i, show)
        self._mark()

    def _show_symbol(self, i: int, show: bool) -> None:
        self.symbols[i].setVisible(show)
        radius = self.radii.get(i)
        if radius is not None:
            radius.setVisible(show)
        self._shown[i] = show

    def _make(self, level: int | None, rect: QRectF) -> None:
        plan = self.plan
        x0, x1 = rect.left(), rect.right()
        y0, y1 = -rect.bottom(), -rect.top()  # scene y is −northing
        inside = (plan.x >= x0) & (plan.x <= x1) & (plan.y >= y0) & (plan.y <= y1)
        groups = plan.at(level)
        alone = inside if groups is None else inside & groups.alone
        ink, root = self._ink, self._root
        for i in np.flatnonzero(alone & ~self._shown).tolist():
            if i in self.symbols:
                self._show_symbol(i, True)
                continue
            item = plan.items[i]
            pos = to_scene(float(plan.x[i]), float(plan.y[i]))
            if item.radius_m and item.radius_m > 0:
                circle = RadiusCircle(pos, float(item.radius_m), item.kind == "SAF",
                                      item.highlighted, ink)
                circle.setParentItem(root)
                self.radii[i] = circle
            sym = RecordSymbol(item, ink, i)
            sym.setPos(pos)
            sym.setParentItem(root)
            self.symbols[i] = sym
            self._shown[i] = True
        if groups is None or level is None:
            return
        g = groups.grouping
        made = self.discs.setdefault(level, {})
        dx, dy = groups.disc_x, groups.disc_y
        many = (g.count > 1) & (dx >= x0) & (dx <= x1) & (dy >= y0) & (dy <= y1)
        for k in np.flatnonzero(many).tolist():
            if k in made:
                continue
            disc = ClusterDisc(level, k, int(g.count[k]), int(groups.worst[k]),
                               int(groups.saf[k]), int(groups.highlighted[k]), ink)
            disc.setPos(to_scene(float(dx[k]), float(dy[k])))
            disc.setParentItem(root)
            made[k] = disc

    # --- selection ----------------------------------------------------------------------

    def select(self, register_no: str | None) -> None:
        self.selected = register_no
        self._mark()

    def _mark(self) -> None:
        """Mark the selected record's symbol, or the disc it is counted in."""
        want: list[RecordSymbol | ClusterDisc] = []
        indices = self.plan.by_register.get(self.selected or "", ())
        groups = self.plan.at(self.level if isinstance(self.level, int) else None)
        for i in indices:
            if self._shown[i]:
                want.append(self.symbols[i])
            elif groups is not None and isinstance(self.level, int):
                disc = self.discs.get(self.level, {}).get(int(groups.grouping.group_of[i]))
                if disc is not None:
                    want.append(disc)
        if want == self._marked:
            return
        for item in self._marked:
            item.selected_mark = False
            item.update()
        for item in want:
            item.selected_mark = True
            item.update()
        self._marked = want

    # --- what is drawn ------------------------------------------------------------------

    def shown_symbols(self) -> dict[str, RecordSymbol]:
        """The visible symbol of each record drawn alone (its first such location)."""
        out: dict[str, RecordSymbol] = {}
        for i in np.flatnonzero(self._shown).tolist():
            sym = self.symbols[i]
            out.setdefault(sym.item.register_no, sym)
        return out

    def shown_discs(self) -> list[ClusterDisc]:
        if not isinstance(self.level, int):
            return []
        return [d for d in self.discs.get(self.level, {}).values() if d.isVisible()]

    def all_items(self) -> list[QGraphicsItem]:
        return self._root.childItems()

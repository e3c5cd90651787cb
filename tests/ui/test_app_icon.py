"""The window's icon comes from resources/icons (the PNGs the Linux menu entry also installs)."""
from __future__ import annotations

from app.ui.app import app_icon


def test_app_icon_has_every_size_of_the_menu_icons(qapp):
    icon = app_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 32, 48, 256} <= sizes

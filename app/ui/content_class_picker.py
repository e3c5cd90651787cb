"""内容分类 picker: type any part of a path (工资 finds 拖欠农民工工资), or pick from the tree."""
from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.content_classes import ContentClassTree

_PATH_ROLE = Qt.ItemDataRole.UserRole


class ContentClassPicker(QWidget):
    """A line edit with a contains-completer over every node path, plus a "…" tree button (F4)."""

    sig_changed = Signal(str)
    #: The user chose an entry from the list or the tree (the form moves on).
    sig_chosen = Signal(str)

    def __init__(self, tree: ContentClassTree, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = tree
        self.edit = QLineEdit()
        self.edit.setObjectName("content_class_edit")
        self.edit.setPlaceholderText("输入关键词选择，如“工资”；F4 打开分类表")
        self.completer = QCompleter(QStringListModel([n.path for n in tree.nodes], self), self)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.edit.setCompleter(self.completer)
        self.button = QToolButton()
        self.button.setText("…")
        self.button.setToolTip("从分类表中选择（F4）")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.edit, 1)
        box.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self.sig_changed)
        self.completer.activated[str].connect(self._on_completed)
        self.button.clicked.connect(self._on_browse)
        QShortcut(QKeySequence(Qt.Key.Key_F4), self.edit, self._on_browse, Qt.ShortcutContext.WidgetShortcut)

    def value(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value) -> None:
        self.edit.setText("" if value is None else str(value))

    def _on_completed(self, path: str) -> None:
        self.edit.setText(path)
        self.sig_chosen.emit(path)

    def _on_browse(self) -> None:
        dialog = ContentClassDialog(self.tree, self.value(), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        path = dialog.selected_path()
        dialog.deleteLater()
        self.edit.setFocus()
        if accepted and path:
            self.edit.setText(path)
            self.sig_chosen.emit(path)


class ContentClassDialog(QDialog):
    """The whole tree, with a filter box; Enter or double-click on a node chooses it."""

    def __init__(self, tree: ContentClassTree, current: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("选择内容分类")
        self.resize(520, 560)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选分类")
        self.tree_widget = QTreeWidget()
        self.tree_widget.setObjectName("content_class_tree")
        self.tree_widget.setHeaderHidden(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选择")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box = QVBoxLayout(self)
        box.addWidget(self.filter_edit)
        box.addWidget(self.tree_widget, 1)
        box.addWidget(buttons)
        self._items: dict[int, QTreeWidgetItem] = {}
        for node in tree.nodes:  # ordered parents first
            parent_item = self._items.get(node.parent_id) if node.parent_id else None
            item = QTreeWidgetItem([node.name])
            item.setData(0, _PATH_ROLE, node.path)
            item.setToolTip(0, node.path)
            if parent_item is None:
                self.tree_widget.addTopLevelItem(item)
            else:
                parent_item.addChild(item)
            self._items[node.id] = item
        node = tree.by_path(current)
        if node is not None:
            self.tree_widget.setCurrentItem(self._items[node.id])
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.tree_widget.itemActivated.connect(lambda *_: self.accept())
        self.filter_edit.textChanged.connect(self._on_filter)
        self.filter_edit.returnPressed.connect(self.tree_widget.setFocus)

    def selected_path(self) -> str:
        item = self.tree_widget.currentItem()
        return item.data(0, _PATH_ROLE) if item is not None else ""

    def _on_filter(self, text: str) -> None:
        text = text.strip()
        first = None
        for item in self._items.values():
            hit = not text or text in item.data(0, _PATH_ROLE)
            item.setHidden(not hit and not self._has_visible_child(item, text))
            if hit and text and first is None:
                first = item
        if text:
            self.tree_widget.expandAll()
        if first is not None:
            self.tree_widget.setCurrentItem(first)

    @staticmethod
    def _has_visible_child(item: QTreeWidgetItem, text: str) -> bool:
        stack = [item.child(i) for i in range(item.childCount())]
        while stack:
            child = stack.pop()
            if text in child.data(0, _PATH_ROLE):
                return True
            stack.extend(child.child(i) for i in range(child.childCount()))
        return False

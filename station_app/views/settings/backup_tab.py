"""备份与恢复: the backups in the data directory, back up now or to a chosen file, restore (admin)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_app import clock
from station_app.db.backup import BackupFile, list_backups
from station_app.formatting import chinese_date
from station_app.views.app_context import AppContext
from station_app.views.dialogs import messages
from station_app.views.settings.backup_jobs import RestoreResult, backup_now_job, reason_label, restore_job
from station_app.views.settings.rows_model import RowsModel, table_view
from station_app.views.table_models import wait_all_loaded
from station_app.views.tasks import TaskRunner

HEADERS = ("备份时间", "类型", "大小", "文件名")
FILE_FILTER = "数据库备份 (*.sqlite3 *.db);;所有文件 (*)"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


class BackupTab(QWidget):
    relogin_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner or TaskRunner(self, log_file=ctx.runtime.data.logs / "station_app.log")
        self.backups: list[BackupFile] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        lay.addWidget(self.info_label)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        self.backup_to_button = QPushButton("备份到…")
        self.restore_selected_button = QPushButton("从所选备份恢复…")
        self.restore_file_button = QPushButton("从文件恢复…")
        self.open_folder_button = QPushButton("打开备份文件夹")
        for b in (self.backup_button, self.backup_to_button, self.restore_selected_button,
                  self.restore_file_button, self.open_folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.model = RowsModel(HEADERS, self)
        self.view = table_view(self.model, (160, 90, 90))
        lay.addWidget(self.view, 1)

        self.backup_button.clicked.connect(self.backup_now)
        self.backup_to_button.clicked.connect(self.backup_to)
        self.restore_selected_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.open_folder_button.clicked.connect(self._open_folder)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        ctx.bus.changed.connect(self._on_changed)
        self.reload()

    @property
    def is_sqlite(self) -> bool:
        return self.ctx.db.sqlite_path is not None

    def _on_changed(self, entity_type: str) -> None:
        if entity_type in ("backup", "*"):
            self.reload()

    def reload(self) -> None:
        rt = self.ctx.runtime
        if self.is_sqlite:
            self.info_label.setText(
                f"备份文件保存在：{rt.data.backups}\n每天首次启动和关闭程序时自动备份，保留最近7天、4周和12个月的自动备份；"
                "手动备份不会被自动删除。建议定期用“备份到…”把备份复制到移动硬盘或其他电脑。")
        else:
            self.info_label.setText(f"当前使用 {rt.db.display_name}。PostgreSQL 数据库由服务器管理员使用 pg_dump 备份、"
                                    "pg_restore 恢复，本程序不在本机备份。")
        self.backups = list_backups(rt.data.backups) if self.is_sqlite else []
        rows = []
        for b in self.backups:
            try:
                size = size_text(b.size)
            except OSError:
                size = "—"
            rows.append((f"{chinese_date(b.taken_at)} {b.taken_at:%H:%M:%S}", reason_label(b.reason), size, b.path.name))
        self.model.set_rows(rows, [str(b.path) for b in self.backups])
        self._update_buttons()

    def _update_buttons(self) -> None:
        can_backup = self.is_sqlite and self.ctx.can("backup.create")
        can_restore = self.is_sqlite and self.ctx.can("backup.restore")
        self.backup_button.setEnabled(can_backup)
        self.backup_to_button.setEnabled(can_backup)
        self.restore_file_button.setEnabled(can_restore)
        self.restore_selected_button.setEnabled(can_restore and self.selected_backup() is not None)
        self.open_folder_button.setEnabled(self.is_sqlite)
        if not self.ctx.can("backup.restore"):
            for b in (self.restore_file_button, self.restore_selected_button):
                b.setToolTip("只有管理员可以恢复数据库")

    def selected_backup(self) -> BackupFile | None:
        index = self.view.currentIndex()
        return self.backups[index.row()] if index.isValid() and index.row() < len(self.backups) else None

    # ------------------------------------------------------------------ backing up

    def backup_now(self) -> None:
        self._backup(None)

    def backup_to(self) -> None:
        target = self.ask_save_path(f"监督站数据备份-{clock.now():%Y%m%d-%H%M}.sqlite3")
        if target is not None:
            self._backup(target)

    def ask_save_path(self, default_name: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "备份到", str(Path.home() / default_name), FILE_FILTER)
        return Path(name) if name else None

    def ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "选择要恢复的备份文件", str(self.ctx.runtime.data.backups),
                                              FILE_FILTER)
        return Path(name) if name else None

    def _backup(self, target: Path | None) -> None:
        rt = self.ctx.runtime
        self.backup_button.setEnabled(False)
        self.runner.run(backup_now_job(rt.db, rt.data.backups, self.ctx.actor, target), title="备份数据库",
                        on_success=self._backed_up, on_failure=self._backup_failed, cancellable=False)

    def _backed_up(self, path: object) -> None:
        self.ctx.notify("backup")
        messages.info(self, f"备份完成，备份文件已校验：\n{path}")

    def _backup_failed(self, _err: BaseException) -> bool:
        self._update_buttons()
        return False

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.runtime.data.backups)))

    # ------------------------------------------------------------------ restoring

    def restore_selected(self) -> None:
        b = self.selected_backup()
        if b is not None:
            self.restore_from(b.path, f"{chinese_date(b.taken_at)} {b.taken_at:%H:%M:%S} 的{reason_label(b.reason)}备份")

    def restore_from_file(self) -> None:
        path = self.ask_open_path()
        if path is not None:
            self.restore_from(path, "所选的备份文件")

    def restore_from(self, path: Path, what: str) -> None:
        if not self.ctx.can("backup.restore"):
            messages.warn(self, "只有管理员可以恢复数据库。")
            return
        if not messages.confirm(
                self, f"将用{what}\n{path}\n替换当前数据库。\n\n"
                      "恢复前，当前数据库会先自动另存为一份“恢复前”备份，如有需要可以再恢复回来。"
                      "该备份之后录入的数据将不在恢复后的数据库中。\n\n恢复完成后所有页面将关闭，请重新登录。确定恢复吗？",
                title="从备份恢复", ok_text="恢复"):
            return
        self.runner.run(restore_job(self.ctx.runtime, self.ctx.actor, path), title="恢复数据库",
                        on_success=self._restored, cancellable=False, show_after_ms=0)

    def _restored(self, result: RestoreResult) -> None:
        old = self.ctx.runtime
        wait_all_loaded(10)  # a list query still reading the old database finishes before it closes
        self.ctx.runtime = result.runtime
        old.close()
        self.ctx.notify("*")
        messages.info(self, f"已从 {result.source.name} 恢复数据库。\n恢复前的数据库已保存为：\n{result.kept}\n\n请重新登录。",
                      title="恢复完成")
        self.relogin_requested.emit("数据库已从备份恢复，请重新登录。")

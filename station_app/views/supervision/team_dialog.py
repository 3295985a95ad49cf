"""安排监督员: a project's 主监督员 and 第二监督员 (at least one) from an effective date."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from station_app import clock
from station_app.formatting import chinese_date
from station_app.services.registry.projects import get_project
from station_app.services.supervision.assignments import ProjectTeam, last_change_dates, set_team, team_on
from station_app.views.app_context import AppContext
from station_app.views.supervision.common import supervisor_items
from station_app.views.supervision.forms import SupervisionForm
from station_app.views.supervision.pick_widgets import CheckList
from station_app.views.tasks import Job
from station_app.views.widgets import DateEdit, ValueCombo


class TeamDialog(SupervisionForm):
    """Opened from the 项目分工 list or a 监管盲区 row. Raises NotFound if the project is gone."""

    entities = ("supervision",)

    def __init__(self, ctx: AppContext, project_id: int, parent: QWidget | None = None) -> None:
        with ctx.db.read() as s:
            project = get_project(s, project_id)
            team = team_on(s, project_id)
            last = last_change_dates(s, [project_id]).get(project_id)
        self.project_id = project_id
        self.project_name = project.name
        self.current: ProjectTeam = team
        intro = (f"工程：{project.name}（{project.status}）\n"
                 f"当前监督员：{team.label or '未安排'}"
                 + (f"\n最近一次调整：{chinese_date(last)}（生效日期不能早于此日）" if last else ""))
        super().__init__(ctx, parent, "安排监督员", intro=intro, allowed=ctx.can("supervision.assign"))
        self.setMinimumWidth(460)
        people = supervisor_items(ctx)
        self.principal = ValueCombo([("（请选择）", None), *people])
        self.seconds = CheckList(people)
        self.seconds.setMinimumHeight(120)
        self.seconds.setMaximumHeight(180)
        self.effective = DateEdit()
        self.effective.set_value(clock.today())
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        self.note.setPlaceholderText("如：新项目开工、人员调整")
        if team.principal_id is not None:
            self.principal.set_value(team.principal_id)
        self.seconds.set_values(team.second_ids)
        self.add_field("主监督员", "主监督员", self.principal)
        self.add_field("第二监督员", "第二监督员", self.seconds, hint="至少勾选一人；监督检查须两人以上")
        self.add_field("生效日期", "生效日期", self.effective)
        self.add_field("说明", "说明", self.note)
        self.principal.value_changed.connect(self._principal_changed)

    def _principal_changed(self, user_id: object) -> None:
        """Whoever becomes 主监督员 leaves the 第二监督员."""
        if user_id is not None:
            self.seconds.set_checked(user_id, False)

    def build_job(self) -> Job | None:
        ok, day = self.read_date("生效日期", self.effective)
        if not ok:
            return None
        db, actor, pid = self.ctx.db, self.ctx.actor, self.project_id
        principal, seconds, note = self.principal.value(), tuple(self.seconds.values()), self.note.text()

        def job(progress: object, cancelled: object) -> ProjectTeam:
            with db.write() as s:
                return set_team(s, actor, pid, principal, seconds, day, note)

        return job

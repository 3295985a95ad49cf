"""``station-app calendar import FILE`` and ``station-app calendar status``: next year's holidays from a script.

The same service as the 法定节假日 dialog (``services.calendar_years``). A bad file prints each problem
with its line and exits 2, nothing saved; replacing a year that has data asks first unless ``--yes``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station_app.errors import ValidationError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("calendar", parents=[common], help="法定节假日安排 / statutory holiday arrangements")
    csub = p.add_subparsers(dest="calendar_command", metavar="import|status", required=True)
    ip = csub.add_parser("import", parents=[common],
                         help="从 holiday-cn 格式的 JSON 文件导入某年安排 / import a year from a holiday-cn JSON file")
    ip.add_argument("file", metavar="FILE", help="JSON 文件 / the JSON file")
    ip.add_argument("--year", type=int, help="年份（文件中的 year 须与之一致）/ the year (must match the file's)")
    ip.add_argument("--yes", action="store_true", help="该年已有数据时不再询问，直接替换 / replace without asking")
    csub.add_parser("status", parents=[common], help="已录入的年份和暂定期限数 / known years and provisional dates")


def _ask(question: str) -> bool:
    print(question, end="", flush=True)
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes", "是", "确定")


def cmd_calendar(args: argparse.Namespace) -> int:
    from station_app import clock
    from station_app.runtime import open_runtime
    from station_app.services import calendar_years as cy
    from station_app.services.context import SYSTEM

    rt = open_runtime(args.data_dir, args.db)
    try:
        if args.calendar_command == "status":
            with rt.db.read() as s:
                st = cy.calendar_status(s, clock.today())
            print(f"数据库：{rt.db.display_name}")
            print("已有节假日数据：" + st.known_text())
            print(f"首个尚无数据的年份：{st.first_unknown}年；每年自{st.reminder_from.month}月{st.reminder_from.day}日起"
                  "提醒录入下一年安排")
            if st.due_year:
                print(f"{st.card_title}：暂定期限 {st.provisional} 项（录入后自动重算）")
            else:
                print(f"暂无需录入；涉及{st.first_unknown}年的暂定期限 {st.provisional} 项")
            return 0
        try:
            arrangement = cy.read_holiday_file(Path(args.file), args.year)
            source = cy.import_source(arrangement.year, Path(args.file))
            try:
                result = cy.save_and_reload(rt.db, SYSTEM, arrangement, replace=args.yes, source=source,
                                            confidence="P")
            except cy.ArrangementExists as exists:
                print(str(exists))
                if not _ask(f"替换{exists.year}年的节假日安排？[y/N] "):
                    print("未替换，没有保存任何内容。")
                    return 1
                result = cy.save_and_reload(rt.db, SYSTEM, arrangement, replace=True, source=source,
                                            confidence="P")
        except ValidationError as err:
            print(f"错误：{args.file} 有误，没有保存任何内容：", file=sys.stderr)
            for field, message in err.errors.items():
                print(f"  {field}：{message}" if field else f"  {message}", file=sys.stderr)
            return 2
        print(f"已{'替换' if result.replaced else '保存'}{result.year}年法定节假日安排。")
        if result.moved:
            print(f"已重算暂定期限 {len(result.moved)} 项：")
            for line in cy.moved_lines(result.moved):
                print(f"  {line}")
        else:
            print("没有需要重算的暂定期限。")
        return 0
    finally:
        rt.close()

"""station-app: the GUI (default) and its command-line verbs. 建设工程安全监督站工作台命令行。"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from station_app import APP_TITLE, __version__
from station_app.cli_calendar import add_parser as add_calendar_parser
from station_app.cli_calendar import cmd_calendar
from station_app.errors import StationError
from station_app.rules.errors import CalendarYearUnknown, RuleInputError


def _common(default: object = None) -> argparse.ArgumentParser:
    """--data-dir/--db, accepted before or after the verb (after it, a default must not overwrite)."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--data-dir", metavar="DIR", default=default,
                   help="数据目录（默认：用户数据目录）/ data directory (default: the user data directory)")
    p.add_argument("--db", metavar="URL", default=default,
                   help="数据库地址，如 postgresql://user@host/db（默认：数据目录中的 SQLite）/ database URL "
                        "(default: SQLite in the data directory)")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station-app", parents=[_common()],
        description=f"{APP_TITLE} {__version__} — construction-safety supervision station workbench",
    )
    parser.add_argument("--smoke-test", action="store_true",
                        help="创建并迁移数据库、在后台显示主窗口后退出 / create, migrate, open the main window "
                             "offscreen and exit 0")
    sub = parser.add_subparsers(dest="command", metavar="命令/command")
    common = _common(argparse.SUPPRESS)
    sub.add_parser("gui", parents=[common], help="启动图形界面（默认）/ start the GUI (default)")

    p = sub.add_parser("init", parents=[common], help="初始化监督站和管理员账号 / set up the station and its admin")
    p.add_argument("--station", required=True, help="监督站名称 / station name")
    p.add_argument("--county", help="所在县（区），默认从站名推断 / county (default: from the station name)")
    p.add_argument("--division", required=True, help="6位行政区划代码 / 6-digit division code")
    p.add_argument("--bureau", required=True, help="上级主管部门 / the city bureau it reports to")
    p.add_argument("--admin", required=True, help="管理员用户名 / admin user name")
    p.add_argument("--admin-name", default="系统管理员", help="管理员姓名 / admin full name")
    p.add_argument("--password", help="管理员密码；省略或为 - 时从标准输入读取 / admin password; "
                                      "omitted or - reads standard input")

    p = sub.add_parser("demo-data", parents=[common], help="生成演示数据 / fill the database with demo data")
    p.add_argument("--scale", choices=("small", "county"), default="small",
                   help="small≈40个项目，county≈1500个项目 / small ≈ 40 projects, county ≈ 1,500")
    p.add_argument("--seed", type=int, default=1, help="随机种子（结果可复现）/ random seed (deterministic)")

    p = sub.add_parser("backup", parents=[common], help="备份数据库 / back up the database")
    p.add_argument("--to", metavar="FILE", help="备份到指定文件（默认：数据目录 backups/）/ target file")

    p = sub.add_parser("restore", parents=[common], help="从备份恢复 / restore from a backup")
    p.add_argument("file", metavar="FILE", help="备份文件 / backup file")

    p = sub.add_parser("report", parents=[common], help="生成报表 / write reports")
    rsub = p.add_subparsers(dest="report_command", metavar="monthly", required=True)
    rp = rsub.add_parser("monthly", parents=[common], help="月报（Excel + Word）/ the monthly pack (xlsx + docx)")
    rp.add_argument("--month", required=True, help="期间：2026-10（月）、2026-Q3（季度）或 2026（年度）/ period")
    rp.add_argument("--out", required=True, metavar="DIR", help="输出文件夹 / output folder")

    p = sub.add_parser("db", parents=[common], help="数据库维护 / database maintenance")
    dbsub = p.add_subparsers(dest="db_command", metavar="upgrade|check", required=True)
    dbsub.add_parser("upgrade", parents=[common], help="升级数据库结构（先自动备份）/ migrate (after a backup)")
    dbsub.add_parser("check", parents=[common], help="检查数据库完整性和版本 / integrity and version check")
    add_calendar_parser(sub, common)
    return parser


def _read_password(arg: str | None) -> str:
    if arg and arg != "-":
        return arg
    if sys.stdin.isatty():
        return getpass.getpass("管理员密码 / admin password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _county_from(station: str) -> str:
    for end in ("县", "区", "市"):
        if end in station:
            return station[: station.index(end) + 1]
    return station


def cmd_init(args: argparse.Namespace) -> int:
    from station_app.runtime import open_runtime
    from station_app.services.station import StationInfo, init_station

    password = _read_password(args.password)
    rt = open_runtime(args.data_dir, args.db)
    try:
        info = StationInfo(name=args.station, short_name="", county=args.county or _county_from(args.station),
                           division_code=args.division, bureau=args.bureau)
        with rt.db.write() as s:
            init_station(s, info, args.admin, password, args.admin_name)
        print(f"已初始化：{args.station}；管理员 {args.admin}；数据库 {rt.db.display_name}")
    finally:
        rt.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from station_app.demo import generate
    from station_app.runtime import open_runtime

    rt = open_runtime(args.data_dir, args.db)
    try:
        stats = generate(rt.db, scale=args.scale, seed=args.seed, progress=lambda msg: print(msg, flush=True))
        print("演示数据已生成：" + "，".join(f"{k} {v}" for k, v in stats.items()))
    finally:
        rt.close()
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from station_app.db.backup import backup_sqlite, backup_to
    from station_app.runtime import open_runtime

    rt = open_runtime(args.data_dir, args.db)
    try:
        path = backup_to(rt.db, Path(args.to)) if args.to else backup_sqlite(rt.db, rt.data.backups)
        print(f"备份完成：{path}")
    finally:
        rt.close()
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from station_app.db.backup import restore
    from station_app.runtime import open_runtime

    rt = open_runtime(args.data_dir, args.db, migrate=False)
    kept = restore(rt.db, Path(args.file), rt.data.backups)
    print(f"已从 {args.file} 恢复；原数据库已保留为 {kept}")
    rt2 = open_runtime(args.data_dir, args.db)  # migrate the restored file if it is older
    rt2.close()
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from station_app.db.migrate import check_not_newer, current_revision, head_revision
    from station_app.runtime import open_runtime

    if args.db_command == "upgrade":
        rt = open_runtime(args.data_dir, args.db)
        print(f"数据库已是最新版本：{current_revision(rt.db)}")
        rt.close()
        return 0
    rt = open_runtime(args.data_dir, args.db, migrate=False)
    try:
        check_not_newer(rt.db)
        rev, head = current_revision(rt.db), head_revision()
        print(f"数据库：{rt.db.display_name}\n结构版本：{rev or '（空库）'}；程序版本：{head}")
        ok = rev == head
        if rt.db.sqlite_path is not None:
            with rt.db.engine.connect() as conn:
                result = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
                fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            print(f"完整性检查：{result}；外键检查：{'通过' if not fk else f'{len(fk)} 处问题'}")
            ok = ok and result == "ok" and not fk
        if rev != head:
            print("需要升级：请运行 station-app db upgrade（会先自动备份）")
        return 0 if ok else 1
    finally:
        rt.close()


def cmd_report(args: argparse.Namespace) -> int:
    from station_app.runtime import open_runtime
    from station_app.services.context import SYSTEM
    from station_app.services.monthly.pack import generate_pack
    from station_app.services.monthly.stats import ReportPeriod

    period = ReportPeriod.parse(args.month)
    rt = open_runtime(args.data_dir, args.db)
    try:
        with rt.db.read() as s:
            result = generate_pack(s, SYSTEM, period, Path(args.out), templates_dir=rt.data.templates)
        print(f"已生成：{result.xlsx}\n已生成：{result.docx}")
    finally:
        rt.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.smoke_test:
            from station_app.gui import smoke_test

            return smoke_test(args.data_dir, args.db)
        handlers = {"init": cmd_init, "demo-data": cmd_demo, "backup": cmd_backup, "restore": cmd_restore,
                    "db": cmd_db, "report": cmd_report, "calendar": cmd_calendar}
        if args.command in handlers:
            return handlers[args.command](args)
        from station_app.gui import run_gui

        return run_gui(args.data_dir, args.db)
    except (StationError, RuleInputError, CalendarYearUnknown) as err:  # a message, never a traceback
        print(f"错误：{err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

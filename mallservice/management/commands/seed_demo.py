"""Realistic Chinese demo data: one company, two malls, ~120 shops, staff for
every role. Each app adds its own records through `<app>/demo.py`, which
defines `seed(*, malls, staff, rng, now)` (and may define `prepare`, run
with the shared base: see `mallservice.management.demo_steps`). They run in
PROJECT_APPS order, or with `--jobs N` in N processes at once (`make run`
uses one a core): each app in its own transaction after the base.

Run once: a second run finds the demo malls and does nothing.

The demo passwords are public (README), so they are hashed at a demo
strength: PBKDF2 at full strength costs about a second of CPU a hash, and
the demo hashes seventeen (staff, clock-in PINs). Django hashes a staff
password again at full strength at its first login."""

from __future__ import annotations

import random
import threading
import time

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from mallservice.audit import Source, actor_context
from mallservice.management import demo_steps
from mallservice.models import Floor, Mall, Unit, User
from mallservice.notifications.services import kicks_held
from mallservice.roles import Role
from mallservice.services import staff_create, system_actor_id

MALLS = [
    ("xinghe", "星河广场", "深圳市福田区福华三路 88 号", "0755-8888 6666"),
    ("yunmen", "云门购物中心", "杭州市西湖区文三路 199 号", "0571-8765 4321"),
]
FLOORS = [
    ("B1", "负一层", -1),
    ("1F", "一层", 1),
    ("2F", "二层", 2),
    ("3F", "三层", 3),
    ("4F", "四层", 4),
]
SHOP_NAMES = [
    "优衣库",
    "星巴克",
    "屈臣氏",
    "海底捞",
    "名创优品",
    "周大福",
    "老凤祥",
    "李宁",
    "安踏",
    "耐克",
    "阿迪达斯",
    "喜茶",
    "奈雪的茶",
    "太平鸟",
    "热风",
    "百丽",
    "森马",
    "巴拉巴拉",
    "小米之家",
    "华为体验店",
    "苹果授权店",
    "无印良品",
    "丝芙兰",
    "完美日记",
    "西西弗书店",
    "孩子王",
    "乐高",
    "万达影城",
    "必胜客",
    "肯德基",
    "麦当劳",
    "外婆家",
    "绿茶餐厅",
    "西贝莜面村",
    "鼎泰丰",
    "瑞幸咖啡",
    "蜜雪冰城",
    "周生生",
    "六福珠宝",
    "ZARA",
    "H&M",
    "GAP",
    "Levi's",
    "斯凯奇",
    "特步",
    "波司登",
    "江南布衣",
    "海澜之家",
    "七匹狼",
    "红豆",
]
RESTAURANTS = {"海底捞", "外婆家", "绿茶餐厅", "西贝莜面村", "鼎泰丰"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂"
PUBLIC_AREAS = [
    ("entrance", "东门入口", "1F"),
    ("entrance", "西门入口", "1F"),
    ("lift", "中庭观光电梯", "1F"),
    ("washroom", "二层洗手间", "2F"),
    ("car_park", "地下停车场", "B1"),
    ("corridor", "中庭", "1F"),
]

# username, role, display name, mall index (None: all malls)
STAFF = [
    ("desk1", Role.DESK, "陈晓雯", 0),
    ("desk2", Role.DESK, "刘佳", 0),
    ("desk3", Role.DESK, "王芳", 0),
    ("desk4", Role.DESK, "赵敏", 1),
    ("desk5", Role.DESK, "孙丽", 1),
    ("broadcaster1", Role.BROADCASTER, "林静", 0),
    ("broadcaster2", Role.BROADCASTER, "周婷", 1),
    ("supervisor1", Role.SUPERVISOR, "张主管", 0),
    ("supervisor2", Role.SUPERVISOR, "黄主管", 1),
    ("manager", Role.MANAGER, "李经理", None),
]
BASE_STEP = "malls, floors, shops, staff and member tiers"


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """The default algorithm at few iterations: any PBKDF2 hasher checks
    it, and `must_update` makes Django re-hash it at the first login."""

    iterations = 1000


class Command(BaseCommand):
    help = "Load demo data (two malls, shops, staff for every role) once."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20261127)
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="processes loading the apps' demo data at once (make run uses the cores)",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if Mall.objects.filter(code=MALLS[0][0]).exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        labels = list(demo_steps.demo_modules())
        seed, jobs = options["seed"], max(1, min(options["jobs"], len(labels)))
        if jobs > 1 and threading.active_count() > 1:
            # A fork copies only this thread but every thread's open database
            # connection: the children would share sockets another thread
            # uses. `manage.py seed_demo` (what `make run` calls) has one.
            raise CommandError("--jobs needs a process with one thread; nothing was loaded.")
        demo_hashers = [f"{__name__}.DemoPasswordHasher", *settings.PASSWORD_HASHERS]
        started = time.monotonic()
        with (
            actor_context(actor_id=system_actor_id(), source=Source.COMMAND, command="seed_demo"),
            override_settings(PASSWORD_HASHERS=demo_hashers),
            kicks_held(),
        ):
            # In order: one transaction, nothing is left of a failed run. In
            # parallel the base is committed first, for the processes to see.
            self._parallel = False
            with transaction.atomic():
                self._report(BASE_STEP, None)
                with demo_steps.counted() as result:
                    malls = self._directory(random.Random(seed))
                    staff = self._staff(malls)
                    now = timezone.now()
                    demo_steps.prepare_all(malls=malls, now=now)
                self._report(BASE_STEP, result[0])

                def load():
                    return {"malls": malls, "staff": staff, "now": now}

                if jobs == 1:
                    demo_steps.run_in_order(labels, seed=seed, load=load, report=self._report)
            if jobs > 1:
                self._parallel = True
                self.stdout.write(f"  demo data: {', '.join(labels)} in {jobs} processes")
                try:
                    demo_steps.run_in_parallel(
                        labels, seed=seed, load=load, report=self._report, jobs=jobs
                    )
                except Exception as exc:
                    raise CommandError(
                        f"The demo data is incomplete ({exc!r}): drop the database and run again."
                    ) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s. Logins:")
        )
        for username, role, name, _mall in STAFF:
            self.stdout.write(f"  {username:<14} {settings.DEMO_PASSWORD}  ({role.label}, {name})")

    def _report(self, what: str, result: demo_steps.StepResult | None) -> None:
        """Progress: a line a step (in parallel: when it starts and when it is
        committed), with its time and SQL statements."""
        if self.verbosity < 1:
            return
        if result is None:
            if self._parallel:
                self.stdout.write(f"  demo data: {what} started")
            else:
                self.stdout.write(f"  demo data: {what}...", ending="")
                self.stdout.flush()
            return
        took = f"{result.seconds:.1f}s, {result.statements:,} SQL statements"
        self.stdout.write(f"  demo data: {what} done ({took})" if self._parallel else f" {took}")

    def _directory(self, rng: random.Random) -> list[Mall]:
        malls = []
        for code, name, address, phone in MALLS:
            mall = Mall.objects.create(code=code, name=name, address=address, phone=phone)
            floors = {
                fcode: Floor.objects.create(mall=mall, code=fcode, name=fname, level=level)
                for fcode, fname, level in FLOORS
            }
            units = []
            # 60 shops a mall: every brand once, the first ten twice.
            names = SHOP_NAMES + [f"{name}（二店）" for name in SHOP_NAMES[:10]]
            for i, shop in enumerate(names):
                fcode = "4F" if shop in RESTAURANTS else FLOORS[1 + i % 4][0]
                units.append(
                    Unit(
                        mall=mall,
                        floor=floors[fcode],
                        kind=Unit.Kind.SHOP,
                        code=f"{fcode}-{101 + i:03d}",
                        name=shop,
                        tenant_name=f"{shop.split('（')[0]}商贸有限公司",
                        contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                        contact_phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                    )
                )
            units.append(
                Unit(
                    mall=mall,
                    floor=floors["1F"],
                    kind=Unit.Kind.COUNTER,
                    code="1F-SVC",
                    name="客服台",
                )
            )
            for j, (area, aname, fcode) in enumerate(PUBLIC_AREAS):
                units.append(
                    Unit(
                        mall=mall,
                        floor=floors[fcode],
                        kind=Unit.Kind.PUBLIC_AREA,
                        area_kind=area,
                        code=f"PA-{j + 1:02d}",
                        name=aname,
                    )
                )
            Unit.objects.bulk_create(units)
            malls.append(mall)
        return malls

    def _staff(self, malls: list[Mall]) -> dict[str, User]:
        staff = {}
        for username, role, name, mall_index in STAFF:
            staff[username] = staff_create(
                username=username,
                password=settings.DEMO_PASSWORD,
                role=role,
                mall=malls[mall_index] if mall_index is not None else malls[0],
                display_name=name,
                all_malls=mall_index is None,
            )
        return staff

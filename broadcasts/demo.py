"""Demo data for the broadcast room: templates, a daily schedule, a few
announcements in every state, a missing-person case, screens with messages."""

from __future__ import annotations

import datetime
import random
from typing import Any

from broadcasts import services
from broadcasts.models import AnnouncementKind
from mallservice.clock import local_date

TEMPLATES = [
    (AnnouncementKind.ROUTINE, "开店广播", "各位顾客，早上好！欢迎光临本商场，祝您购物愉快。"),
    (
        AnnouncementKind.ROUTINE,
        "闭店广播",
        "各位顾客，本商场将于30分钟后结束营业，请您合理安排购物时间，感谢光临。",
    ),
    (
        AnnouncementKind.ROUTINE,
        "安全提示",
        "现在是{time_text}。请照看好随行的老人和儿童，乘坐扶梯时请站稳扶好。",
    ),
    (
        AnnouncementKind.CAR_MOVE,
        "移车通知",
        "车牌号为{plate_number}的{car_colour}车主请注意，您的车辆挡住了通道，请尽快到停车场移车，谢谢。",
    ),
    (
        AnnouncementKind.LOST_ITEM,
        "失物招领",
        "顾客朋友们请注意：我们在{found_place}拾到{item_description}一件，请失主到{meeting_point}认领。",
    ),
    (
        AnnouncementKind.PROMOTION,
        "促销活动",
        "{shop_name}{event_name}正在进行：{event_details}，欢迎选购。",
    ),
    (AnnouncementKind.ADVERTISEMENT, "商户广告", "{shop_name}：{message}"),
    (
        AnnouncementKind.EMERGENCY,
        "紧急疏散",
        "各位顾客请注意：因紧急情况，请听从工作人员指挥，沿安全出口有序疏散，不要乘坐电梯。",
    ),
]
ROUTINE_TIMES = [
    ("开店广播", datetime.time(10, 0)),
    ("安全提示", datetime.time(12, 0)),
    ("安全提示", datetime.time(15, 0)),
    ("安全提示", datetime.time(18, 0)),
    ("闭店广播", datetime.time(21, 30)),
]


def seed(*, malls: list, staff: dict[str, Any], rng: random.Random, now: datetime.datetime) -> None:
    pairs = [
        (malls[0], staff["desk1"], staff["broadcaster1"], staff["supervisor1"]),
        (malls[1], staff["desk4"], staff["broadcaster2"], staff["supervisor2"]),
    ]
    for mall, desk, broadcaster, supervisor in pairs:
        templates = {
            name: services.script_template_save(
                actor=supervisor, mall=mall, kind=kind, name=name, body=body
            )
            for kind, name, body in TEMPLATES
        }
        for name, at in ROUTINE_TIMES:
            services.routine_slot_save(actor=supervisor, mall=mall, template=templates[name], at=at)
        services.routine_airings_ensure(day=local_date(now), malls=[mall])
        earlier = now - datetime.timedelta(minutes=40)
        car = services.announcement_request(
            actor=desk,
            mall=mall,
            kind=AnnouncementKind.CAR_MOVE,
            template=templates["移车通知"],
            fields={
                "plate_number": "粤B·" + str(rng.randint(10000, 99999)),
                "car_colour": "白色轿车",
            },
            repetitions=3,
            interval_minutes=5,
            now=earlier,
        )
        services.announcement_air(actor=broadcaster, announcement=car, now=earlier)
        services.announcement_cancel(
            actor=desk,
            announcement=car,
            reason="车已移走",
            now=earlier + datetime.timedelta(minutes=3),
        )
        services.announcement_request(
            actor=desk,
            mall=mall,
            kind=AnnouncementKind.LOST_ITEM,
            template=templates["失物招领"],
            fields={
                "found_place": "二层洗手间",
                "item_description": "黑色双肩包",
                "meeting_point": "一楼客服台",
            },
            repetitions=2,
            interval_minutes=10,
            now=now,
        )
        promo = services.announcement_request(
            actor=desk,
            mall=mall,
            kind=AnnouncementKind.PROMOTION,
            template=templates["促销活动"],
            fields={
                "shop_name": "优衣库",
                "event_name": "周末特惠",
                "event_details": "全场冬装八折",
            },
            repetitions=3,
            interval_minutes=30,
            now=now,
        )
        services.announcement_approve(actor=supervisor, announcement=promo, now=now)
        services.announcement_request(
            actor=desk,
            mall=mall,
            kind=AnnouncementKind.ADVERTISEMENT,
            template=templates["商户广告"],
            fields={"shop_name": "喜茶", "message": "冬季限定新品上市，第二杯半价。"},
            now=now,
        )
        case = services.missing_case_open(
            actor=desk,
            mall=mall,
            person_kind="child",
            person_name="王小明",
            age=5,
            gender="m",
            description="短发，圆脸，身高约110厘米",
            clothing="红色羽绒服、蓝色牛仔裤、白色运动鞋",
            last_seen_place="三层孩子王门口",
            last_seen_at=now - datetime.timedelta(minutes=20),
            reporter_name="王女士",
            reporter_phone="13800138000",
            meeting_point="一楼客服台",
            now=now - datetime.timedelta(minutes=15),
        )
        services.missing_case_resolve(
            actor=desk,
            case=case,
            outcome="reunited",
            found=True,
            now=now - datetime.timedelta(minutes=5),
        )
        screens = [
            services.screen_save(actor=supervisor, mall=mall, name=name, location=loc)
            for name, loc in [("东门大屏", "东门入口"), ("西门大屏", "西门入口")]
        ]
        today = local_date(now)
        services.screen_message_submit(
            actor=supervisor,
            mall=mall,
            title="欢迎光临",
            text=f"欢迎光临{mall.name}，营业时间 10:00–22:00",
            screens=screens,
            starts_on=today,
            priority=0,
            now=now,
        )
        weekend = services.screen_message_submit(
            actor=supervisor,
            mall=mall,
            title="周末特惠",
            text="优衣库全场冬装八折，仅限本周末",
            screens=screens[:1],
            starts_on=today,
            ends_on=today + datetime.timedelta(days=7),
            weekdays=[4, 5, 6],
            priority=5,
            now=now,
        )
        services.screen_message_submit(
            actor=desk,
            mall=mall,
            title="停车优惠",
            text="消费满200元可免费停车2小时",
            screens=screens,
            starts_on=today,
            time_from=datetime.time(18, 0),
            time_until=datetime.time(23, 0),
            now=now,
        )
        # Marketing extends the offer: the change waits for the supervisor
        # while the approved version keeps running.
        services.screen_message_edit(
            actor=desk,
            message=weekend,
            title=weekend.title,
            text="优衣库全场冬装八折，延长至下周日",
            screens=screens,
            starts_on=weekend.starts_on,
            ends_on=today + datetime.timedelta(days=14),
            weekdays=weekend.weekdays,
            priority=weekend.priority,
            now=now,
        )
    services.screen_live_log_refresh(now=now)

"""The lost-and-found and lending part of the mailroom's bench data: found
items with their claims, police hand-overs and disposals, lost-item
reports, and the lending desk's history."""

from __future__ import annotations

from bench.sql import MALL_OF_G, TODAY

# One placeholder path for every signature (no images).
SIGNATURE = "mailroom/signatures/bench/placeholder.png"


def found_items(cursor, n: int, days: int, first_id: int) -> None:
    """Found items through the years: a third claimed and released within
    three weeks, some valuables handed to the police early, the unclaimed
    handed over or disposed of after the year's retention (the last month's
    still waiting for it), the last year's held; claims with signatures, a
    rejected claim now and then, a few waiting for verification."""
    cursor.execute(
        f"""
        INSERT INTO mailroom_founditem
            (mall_id, number, category, description, photo, found_at, found_unit_id,
             found_place, finder_name, finder_phone, value_band, storage, storage_place,
             broadcast_requested, notice_published_at, retention_until, status, logged_by_id,
             logged_at, expired_at, disposal_at, disposal_by_id, disposal_reference,
             disposal_note)
        SELECT f.mall_id,
               -- numbered from 501 a day, clear of the demo's items
               'LF' || to_char(f.day, 'YYMMDD') || '-' || (500 + row_number() OVER (
                   PARTITION BY f.mall_id, f.day ORDER BY f.g))::text,
               f.category, f.description, '', f.found_at,
               CASE WHEN f.g %% 3 = 0 THEN f.unit_id END,
               CASE WHEN f.g %% 3 = 0 THEN ''
                    ELSE (ARRAY['一层中庭', '二层洗手间', '三层餐厅', '负一层停车场', '电影院门口'])
                        [1 + f.g %% 5] END,
               (ARRAY['保洁 张阿姨', '保安 李师傅', '顾客', '店员'])[1 + f.g %% 4],
               CASE WHEN f.g %% 4 = 2 THEN '137' || lpad((f.g * 7919 %% 100000000)::text, 8, '0')
                    ELSE '' END,
               f.value_band, CASE WHEN f.value_band = 'high' THEN 'cabinet' ELSE 'shelf' END,
               CASE WHEN f.value_band = 'high' THEN '保险柜' ELSE '货架' || (1 + f.g %% 6) END,
               f.g %% 10 = 0, f.found_at + interval '30 minutes', f.day + 365, f.status,
               f.desk_id, f.found_at + interval '20 minutes',
               CASE WHEN f.status IN ('expired', 'disposed') OR (f.status = 'to_police'
                         AND f.day + 365 < t.today)
                    THEN (f.day + 366 + time '03:00') AT TIME ZONE 'Asia/Shanghai' END,
               f.disposal_at, CASE WHEN f.disposal_at IS NOT NULL THEN f.sup_id END,
               CASE WHEN f.status = 'to_police' THEN '派出所收据' || f.g ELSE '' END, ''
        FROM (
            SELECT g, m.mall_id, x.*, d.ids[1 + g %% array_length(d.ids, 1)] AS desk_id,
                   s.ids[1 + g %% array_length(s.ids, 1)] AS sup_id,
                   u.ids[1 + g * 11 %% array_length(u.ids, 1)] AS unit_id,
                   CASE WHEN x.claimed_at < now() THEN 'released'
                        WHEN x.value_band = 'high' AND g %% 3 = 0 AND x.dayoff > 3 THEN 'to_police'
                        WHEN x.day + 365 >= t0.today THEN 'held'
                        WHEN x.day + 395 >= t0.today THEN 'expired'
                        WHEN x.value_band = 'high' THEN 'to_police'
                        ELSE 'disposed' END AS status,
                   CASE WHEN x.claimed_at < now() THEN NULL
                        WHEN x.value_band = 'high' AND g %% 3 = 0 AND x.dayoff > 3
                        THEN x.found_at + interval '2 days'
                        WHEN x.day + 395 >= t0.today THEN NULL
                        ELSE (x.day + 370 + time '15:00') AT TIME ZONE 'Asia/Shanghai'
                        END AS disposal_at
            FROM generate_series(1::bigint, %(n)s) g
            {TODAY} t0
            CROSS JOIN LATERAL (
                SELECT y.*, t0.today - y.dayoff AS day,
                       (t0.today - y.dayoff + time '10:00' + (g * 37 %% 690) * interval '1 minute')
                           AT TIME ZONE 'Asia/Shanghai' AS found_at,
                       CASE WHEN g %% 3 = 1 THEN
                           (t0.today - y.dayoff + 1 + (g %% 20)::int + time '14:00')
                               AT TIME ZONE 'Asia/Shanghai' END AS claimed_at
                FROM (
                    SELECT 1 + ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff,
                           (ARRAY['wallet', 'phone', 'electronics', 'bag', 'keys', 'documents',
                                  'jewellery', 'clothing', 'umbrella', 'child', 'glasses',
                                  'other', 'umbrella', 'clothing', 'child', 'keys'])
                               [1 + g %% 16] AS category,
                           (ARRAY['黑色', '棕色', '红色', '蓝色', '白色', '灰色'])[1 + g %% 6]
                               || (ARRAY['钱包', '手机', '耳机', '背包', '钥匙', '身份证',
                                         '手表', '外套', '雨伞', '玩具', '眼镜', '水杯',
                                         '雨伞', '围巾', '奶瓶', '钥匙串'])[1 + g %% 16]
                               AS description,
                           CASE WHEN g %% 16 IN (0, 1, 5, 6) THEN 'high'
                                WHEN g %% 16 IN (2, 3, 10) THEN 'medium' ELSE 'low' END
                               AS value_band
                ) y
            ) x
            {MALL_OF_G}
            JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
            JOIN _bench_staff s ON s.mall_id = m.mall_id AND s.role = 'supervisor'
            JOIN _bench_units u ON u.mall_id = m.mall_id
        ) f
        {TODAY} t
        """,
        {"n": n, "days": days},
    )
    # The released ones went to a verified, signing claimant; one in ten had
    # a claim refused first; one in a hundred held items has a claim waiting.
    cursor.execute(
        """
        INSERT INTO mailroom_itemclaim
            (mall_id, item_id, claimant_name, claimant_phone, id_last4, proof_description,
             status, logged_by_id, logged_at, verified_by_id, verified_at, verification_note,
             signature, released_by_id, released_at)
        SELECT i.mall_id, i.id, c.name, '135' || lpad((i.id * 7919 %% 100000000)::text, 8, '0'),
               lpad((i.id * 31 %% 10000)::text, 4, '0'), '里面有' || i.description || '，有划痕',
               c.status, i.logged_by_id, c.at - interval '30 minutes',
               CASE WHEN c.status <> 'pending' THEN i.logged_by_id END,
               CASE WHEN c.status <> 'pending' THEN c.at - interval '10 minutes' END,
               CASE c.status WHEN 'released' THEN '描述与物品吻合'
                             WHEN 'rejected' THEN '描述不符' ELSE '' END,
               CASE WHEN c.status = 'released' THEN %(signature)s ELSE '' END,
               CASE WHEN c.status = 'released' THEN i.logged_by_id END,
               CASE WHEN c.status = 'released' THEN c.at END
        FROM mailroom_founditem i
        CROSS JOIN LATERAL (
            SELECT 'released' AS status,
                   least(i.found_at + interval '1 day' * (1 + i.id %% 20) + interval '4 hours',
                         now() - interval '1 hour') AS at,
                   '失主' || (i.id %% 500) AS name
            WHERE i.status = 'released'
            UNION ALL
            SELECT 'rejected', i.found_at + interval '20 hours', '冒领者' || (i.id %% 50)
            WHERE i.status = 'released' AND i.id %% 10 = 0
            UNION ALL
            SELECT 'pending', now() - interval '1 hour', '顾客' || (i.id %% 500)
            WHERE i.status = 'held' AND i.id %% 100 = 0
        ) c
        WHERE i.id > %(first)s
        """,
        {"first": first_id, "signature": SIGNATURE},
    )


def lost_reports(cursor, n: int, days: int) -> None:
    """Reports of lost items at the desk or by phone: the last weeks' still
    open, older ones resolved (the owner found it) or closed unfound."""
    cursor.execute(
        f"""
        INSERT INTO mailroom_lostreport
            (mall_id, source, category, description, lost_on, lost_unit_id, lost_place,
             reporter_name, reporter_phone, status, found_item_id, logged_by_id, logged_at)
        SELECT m.mall_id, CASE WHEN g %% 3 = 0 THEN 'phone' ELSE 'desk' END,
               (ARRAY['wallet', 'phone', 'electronics', 'bag', 'keys', 'documents', 'jewellery',
                      'clothing', 'umbrella', 'child', 'glasses', 'other'])[1 + g %% 12],
               '丢失物品' || (g %% 97), t.today - r.dayoff, NULL,
               (ARRAY['一层', '二层', '三层', '负一层'])[1 + g %% 4],
               '报失人' || (g %% 300), '136' || lpad((g * 7919 %% 100000000)::text, 8, '0'),
               CASE WHEN r.dayoff <= 21 THEN 'open' WHEN g %% 5 < 2 THEN 'resolved'
                    ELSE 'closed' END,
               NULL, d.ids[1 + g %% array_length(d.ids, 1)],
               (t.today - r.dayoff + time '15:00') AT TIME ZONE 'Asia/Shanghai'
        FROM generate_series(1::bigint, %(n)s) g
        {TODAY} t
        CROSS JOIN LATERAL (SELECT 1 + ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff) r
        {MALL_OF_G}
        JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
        """,
        {"n": n, "days": days},
    )


def loans(cursor, days: int) -> None:
    """Each item in service lent on about half the days (umbrellas and power
    banks less), back within a few hours, the deposit handed back; now and
    then damaged or with parts missing."""
    cursor.execute(
        """
        INSERT INTO mailroom_loan
            (asset_id, mall_id, borrower_name, borrower_phone, deposit_kind, deposit_amount,
             id_last4, lent_by_id, lent_at, due_at, returned_at, returned_to_id,
             return_condition, return_note, deposit_returned_at)
        SELECT a.id, a.mall_id, '借用人' || (x.h %% 400),
               '137' || lpad((x.h * 7919 %% 100000000)::text, 8, '0'),
               CASE WHEN x.h %% 2 = 0 THEN 'cash' ELSE 'id_card' END,
               CASE WHEN x.h %% 2 = 0 THEN 200 END,
               CASE WHEN x.h %% 2 = 0 THEN '' ELSE lpad((x.h %% 10000)::text, 4, '0') END,
               d.ids[1 + x.h %% array_length(d.ids, 1)], x.lent_at, x.lent_at + interval '4 hours',
               x.back_at, d.ids[1 + (x.h + 1) %% array_length(d.ids, 1)], x.condition,
               CASE WHEN x.condition = 'good' THEN '' ELSE '轮子松动' END,
               CASE WHEN x.condition = 'good' OR x.h %% 2 = 1 THEN x.back_at END
        FROM mailroom_lendableasset a
        JOIN _bench_staff d ON d.mall_id = a.mall_id AND d.role = 'desk_staff'
        CROSS JOIN LATERAL generate_series(2, %(days)s) day_off
        CROSS JOIN LATERAL (
            SELECT hashint4((a.id * 10007 + day_off)::int)::bigint & 2147483647 AS h
        ) hh
        CROSS JOIN LATERAL (
            SELECT hh.h,
                   ((now() AT TIME ZONE 'Asia/Shanghai')::date - day_off + time '10:00'
                    + (hh.h %% 480) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai'
                       AS lent_at,
                   ((now() AT TIME ZONE 'Asia/Shanghai')::date - day_off + time '10:00'
                    + (hh.h %% 480 + 30 + hh.h %% 210) * interval '1 minute')
                       AT TIME ZONE 'Asia/Shanghai' AS back_at,
                   CASE WHEN hh.h %% 100 < 2 THEN 'damaged' WHEN hh.h %% 100 = 2 THEN 'incomplete'
                        ELSE 'good' END AS condition
        ) x
        WHERE a.is_active
          AND hh.h %% 100 < CASE WHEN a.kind IN ('wheelchair', 'stroller') THEN 50 ELSE 25 END
        """,
        {"days": days},
    )

"""The working calendar every app counts on (工作日历).

- `calendar`: statutory holidays and 调休 make-up workdays — the
  `chinesecalendar` package for the years it covers, the table a manager
  entered for a later year, weekends only (and a warning) when neither has
  the year — and `add_working_days`.
- `hours`: a mall's opening hours day by day (its usual hours, or the
  day's exception: closed on 除夕, a promotion night, 春节 hours), and the
  opening-time arithmetic the SLAs count in (`opening_intervals`,
  `add_open_minutes`).
- `models`, `services`, `views`, `forms`, `admin`: the entered years and the
  malls' exceptions, edited by managers and audited.
"""

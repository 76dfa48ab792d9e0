#!/usr/bin/python3
"""The hall manager's console in a real Chromium (issue 13).

A real hall-server (the demo hall), hall-gateway with its staff address and
a users file made by `hall-gateway add-user`, and a real hall-display (the
hall board) writing its draw log. Visits are made and rated with hallctl
as the kiosk and window would. In the browser a manager signs in, takes a
差评 through every state and sees 差评整改率 change, answers a complaint
(and only a manager sees its whole phone number), posts an announcement
and the board draws it within a second. Over plain HTTP: no cookie, a
forged cookie, a cross-site POST, a missing CSRF token, a form post, a
leader acting, and repeated wrong passwords are all refused and change
nothing. Screenshots at desktop and phone sizes go to --shots.

  test_console.py --build BUILD_DIR --source SOURCE_DIR [--shots DIR]
"""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By

from harness import test_setup, Hall, Programs, chromium, click_when, free_port, wait_for

MANAGER, LEADER = ("wang", "王经理", "manager-pass-1"), ("li", "李局长", "leader-pass-1")


class Http:
    """A browser-less client of the console: its own cookie, any headers."""

    def __init__(self, base):
        self.base = base
        self.cookie = ""
        self.csrf = ""

    def call(self, method, path, body=None, headers=None, raw=None):
        h = {"Host": self.base.split("//")[1]}
        if self.cookie:
            h["Cookie"] = self.cookie
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if raw is not None:
            data = raw
        h.update(headers or {})
        request = urllib.request.Request(self.base + path, data=data, headers=h, method=method)
        try:
            r = urllib.request.urlopen(request, timeout=10)
            status, text, got = r.status, r.read().decode(), r.headers
        except urllib.error.HTTPError as e:
            status, text, got = e.code, e.read().decode(), e.headers
        cookie = got.get("Set-Cookie", "")
        if cookie.startswith("hall_console="):
            self.cookie = cookie.split(";")[0]
            self.set_cookie = cookie
        try:
            return status, json.loads(text) if text else {}
        except ValueError:
            return status, text

    def sign_in(self, name, password):
        status, j = self.call("POST", "/console/api/sign_in", {"name": name, "password": password})
        if status == 200:
            self.csrf = j["csrf"]
        return status, j

    def get_bytes(self, path):
        request = urllib.request.Request(self.base + path, headers={"Host": self.base.split("//")[1], "Cookie": self.cookie})
        try:
            r = urllib.request.urlopen(request, timeout=15)
            return r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.read(), e.headers

    def act(self, path, body):
        return self.call("POST", path, body, {"X-CSRF-Token": self.csrf})


def read_xlsx(path):
    """Each sheet's rows as lists of values (numbers as numbers), read from the workbook's XML."""
    import re
    import zipfile
    from xml.etree import ElementTree
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(path)
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            strings.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    names = [s.get("name") for s in ElementTree.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns)]
    book = {}
    for i, name in enumerate(names, 1):
        rows = []
        for row in ElementTree.fromstring(z.read("xl/worksheets/sheet%d.xml" % i)).iter("{%s}row" % ns["m"]):
            values = []
            for c in row.findall("m:c", ns):
                col = re.match(r"[A-Z]+", c.get("r")).group(0)
                at = sum((ord(ch) - 64) * 26 ** k for k, ch in enumerate(reversed(col))) - 1
                while len(values) < at:
                    values.append(None)
                v = c.find("m:v", ns)
                if c.get("t") == "s":
                    values.append(strings[int(v.text)])
                elif v is not None:
                    n = float(v.text)
                    values.append(int(n) if n.is_integer() else n)
                else:
                    values.append(None)
            rows.append(values)
        book[name] = rows
    return book


def main():
    a, folder, shots = test_setup("hall-web-console-")
    metrics_port = free_port()
    hall = Hall(a.source, a.build, folder, extra={"devices": {"silent_after_s": 3}, "http": "127.0.0.1:%d" % metrics_port,
                                                     "appointments": {"early_minutes": 30, "release_before_minutes": 0}})
    hallctl = hall.hallctl
    staff = free_port()
    base = "http://127.0.0.1:%d" % staff
    gateway_bin = os.path.join(a.build, "gateway/hall-gateway")
    users = os.path.join(folder, "users.json")
    for name, display, password in (MANAGER, LEADER):
        role = "manager" if name == MANAGER[0] else "leader"
        made = subprocess.run([gateway_bin, "add-user", "--users", users, name, role, display], input=password + "\n",
                              capture_output=True, text=True, timeout=30)
        assert made.returncode == 0, made.stderr
    assert "$argon2id$" in open(users).read() and MANAGER[2] not in open(users).read()
    short = subprocess.run([gateway_bin, "add-user", "--users", users, "zhao", "manager"], input="short\n", capture_output=True, text=True)
    assert short.returncode == 2 and "8 characters" in short.stderr, short.stderr

    programs = Programs(folder)
    browser = None
    display = None
    try:
        programs.start("hall-server", [os.path.join(a.build, "hall/hall-server"), "--config", hall.config, "--start", "2026-11-23T10:00"])
        programs.start("hall-gateway", [gateway_bin] + hall.bus + ["--public", "127.0.0.1:%d" % free_port(), "--staff", "127.0.0.1:%d" % staff,
                                        "--users", users, "--assets", os.path.join(a.source, "assets")])
        drawlog = os.path.join(folder, "board.json")
        display = subprocess.Popen([os.path.join(a.build, "display/hall-display"), "--headless", "--page", "hall_board", "--size", "1920x1080",
                                    "--drawlog", drawlog, "--device", "board"] + hall.bus, stdout=open(os.path.join(folder, "display.out"), "w"), stderr=subprocess.STDOUT)
        board_texts = lambda: " ".join(t.get("text", "") for t in json.load(open(drawlog))) if os.path.exists(drawlog) else ""
        wait_for(lambda: "窗口" in board_texts(), 30, "the hall board draws")

        # A 差评 at window 5 and a complaint with a phone number, as the window and kiosk make them.
        hallctl("sign_in", "window=5", "staff=S1005", "pin=1555")
        good = hallctl("take_ticket", "category=tax")["ticket"]
        hallctl("call_next", "window=5"); hallctl("start_serving", "window=5"); hallctl("finish", "window=5")
        hallctl("rate", "ticket=" + good["key"], "level=5")
        bad = hallctl("take_ticket", "category=tax")["ticket"]
        hallctl("call_next", "window=5"); hallctl("start_serving", "window=5"); hallctl("finish", "window=5")
        rated = hallctl("rate", "ticket=" + bad["key"], "level=1", 'reasons=["等候时间长","态度不好"]', "comment=窗口说材料不全但没说缺什么")
        rating = "T/" + bad["key"]
        assert hallctl("get", "key=followup/" + rating)["value"]["state"] == "open", rated
        complaint = hallctl("submit_complaint", "kind=complaint", "text=取号机打印不出小票", "phone=13812345678", "category=tax")["complaint"]
        assert complaint["phone"] == "138****5678", complaint

        # ---- over plain HTTP: every refusal changes nothing
        anon = Http(base)
        assert anon.call("GET", "/console/api/view")[0] == 401
        assert anon.call("POST", "/console/api/announcements", {"text": "x"})[0] == 401
        forged = Http(base)
        forged.cookie = "hall_console=" + "ab" * 32
        assert forged.call("GET", "/console/api/view")[0] == 401
        assert forged.act("/console/api/announcements", {"text": "伪造"})[0] == 401

        mgr = Http(base)
        status, me = mgr.sign_in(MANAGER[0], MANAGER[2])
        assert status == 200 and me["role"] == "manager", (status, me)
        assert "HttpOnly" in mgr.set_cookie and "SameSite=Strict" in mgr.set_cookie, mgr.set_cookie
        count_announcements = lambda: len(mgr.call("GET", "/console/api/view")[1]["announcements"])
        assert count_announcements() == 0
        # A cross-site page posting with the manager's cookie: no CSRF token, or another Origin, or a form.
        assert mgr.call("POST", "/console/api/announcements", {"text": "无令牌"})[0] == 403
        assert mgr.call("POST", "/console/api/announcements", {"text": "跨站"}, {"X-CSRF-Token": mgr.csrf, "Origin": "http://evil.example"})[0] == 403
        assert mgr.call("POST", "/console/api/announcements", None, {"X-CSRF-Token": mgr.csrf, "Content-Type": "application/x-www-form-urlencoded"},
                        raw=b"text=form")[0] == 415
        status, j = mgr.act("/console/api/followups/advance", {"rating": rating, "note": "已电话回访"})  # the manager's first step, with the token
        assert status == 200 and j["followup"]["state"] == "called_back", (status, j)
        leader = Http(base)
        assert leader.sign_in(LEADER[0], LEADER[2])[0] == 200
        assert leader.act("/console/api/announcements", {"text": "领导发的"})[0] == 403
        assert leader.act("/console/api/complaints/answer", {"id": complaint["id"], "answer": "领导答复"})[0] == 403
        assert leader.call("GET", "/console/api/complaints/%s/contact" % complaint["id"])[0] == 403
        assert leader.act("/console/api/users", {"name": "li", "role": "manager", "password": "promote-me-1"})[0] == 403
        view = leader.call("GET", "/console/api/view")[1]
        assert view["announcements"] == [] and view["complaints"][0]["state"] == "open", view["complaints"]
        assert "13812345678" not in json.dumps(view), "the whole number reached a leader's view"
        assert count_announcements() == 0
        # Only the manager's own step went through: the follow-up is 已回访, nothing else moved.
        assert hallctl("get", "key=followup/" + rating)["value"]["state"] == "called_back"

        # Lock-out: five wrong passwords lock the name, even for the right one, for a quarter of an hour.
        intruder = Http(base)
        codes = [intruder.sign_in(LEADER[0], "wrong-%d" % i)[0] for i in range(5)]
        assert codes == [401, 401, 401, 401, 429], codes
        status, j = intruder.sign_in(LEADER[0], LEADER[2])
        assert status == 429 and j["error"] == "locked" and j["retry_after_s"] > 800, (status, j)
        assert Http(base).sign_in("nobody", "whatever-1")[0] == 401

        # ---- in the browser, as the manager
        browser = chromium(folder, "1440,1000")
        by_id = lambda i: browser.find_element(By.ID, i)
        browser.get(base + "/console")
        wait_for(lambda: by_id("sign-in").is_displayed(), 10, "the sign-in form")
        browser.save_screenshot(os.path.join(shots, "console-sign-in.png"))
        by_id("name").send_keys(MANAGER[0])
        by_id("password").send_keys("not-the-password")
        by_id("sign-in-button").click()
        wait_for(lambda: by_id("sign-in-error").text == "用户名或密码不正确", 5, "a wrong password is said so")
        by_id("name").clear()
        by_id("name").send_keys(MANAGER[0])
        by_id("password").send_keys(MANAGER[2])
        by_id("sign-in-button").click()
        wait_for(lambda: by_id("main").is_displayed() and "王经理" in by_id("who").text, 10, "signed in as 王经理")
        wait_for(lambda: "S1005" in by_id("windows").text or "5 ·" in by_id("windows").text, 10, "the live hall's windows")
        hallctl("take_ticket", "category=tax")
        hallctl("take_ticket", "category=company")
        wait_for(lambda: "投诉待处理" in by_id("alerts").text, 5, "the open complaint among the alerts")
        # 预约 of today in the live tab: booked, then checked in with its ticket.
        booked = hallctl("book", "category=company", "day=2026-11-23", "slot=11:00", "phone=13900007777")["booking"]
        wait_for(lambda: "11:00" in by_id("bookings").text and "待签到" in by_id("bookings").text, 5, "today's booking in the console")
        assert booked["code"] not in by_id("bookings").text  # the code is the citizen's key: not shown
        early = subprocess.run([os.path.join(a.build, "tools/hallctl"), "--commands", "tcp://127.0.0.1:%d" % hall.commands, "check_in",
                                "code=" + booked["code"]], capture_output=True, text=True, timeout=20).stdout
        assert '"too_early"' in early, early  # 10:00 for an 11:00 slot: check-in opens at 10:30
        # A 10:30 booking checked in now waits in the queue with its slot beside its ticket.
        soon = hallctl("book", "category=company", "day=2026-11-23", "slot=10:30", "phone=13900008888")["booking"]
        ticket = hallctl("check_in", "code=" + soon["code"])["ticket"]
        assert ticket["lane"] == "appointment", ticket
        wait_for(lambda: ticket["number"] + " 10:30" in by_id("queues").text, 5, "the 预约 ticket in the queue with its slot")
        assert "预约（时段）" in by_id("queues").text
        # 呼叫帮办 from a kiosk: among the alerts with its buttons; the manager goes (the kiosk shows who), then marks it helped.
        help_id = hallctl("ask_help", "device=kiosk-east", "place=东门自助区 1 号机", "page=categories")["help"]["id"]
        wait_for(lambda: "呼叫帮办：东门自助区 1 号机" in by_id("alerts").text, 5, "the help request among the alerts")
        browser.save_screenshot(os.path.join(shots, "console-live.png"))
        click_when(lambda: browser.find_element(By.CSS_SELECTOR, '[data-help="%s"]' % help_id), "我去处理")
        wait_for(lambda: "王经理 已前往" in by_id("alerts").text, 5, "taken by the manager")
        taken = hallctl("get", "key=help/" + help_id)["value"]
        assert taken["state"] == "taken" and taken["taken_by"] == "王经理", taken
        click_when(lambda: browser.find_element(By.CSS_SELECTOR, '[data-help-close="%s"]' % help_id), "已帮办")
        wait_for(lambda: "东门自助区" not in by_id("alerts").text, 5, "helped: off the alerts")
        assert hallctl("get", "key=help/" + help_id)["value"]["state"] == "done"

        # 差评 through every state (the first step was taken over HTTP above), the rate from 0 % to 100 %.
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-tab="followups"]').click()
        rate_text = lambda: by_id("followup-rate").find_element(By.CLASS_NAME, "kpi-value").text
        wait_for(lambda: rate_text() == "0.0%", 5, "差评整改率 0.0% before")
        card = lambda: browser.find_element(By.CSS_SELECTOR, 'article.followup[data-rating="%s"]' % rating)
        assert "等候时间长" in card().text and "非常不满意" in card().text, card().text
        browser.save_screenshot(os.path.join(shots, "console-followups.png"))
        for to, name in (("verified", "已核实"), ("rectified", "已整改"), ("replied", "已答复"), ("closed", "已办结")):
            button = card().find_element(By.CSS_SELECTOR, "button.next")
            assert button.get_attribute("data-to") == to, button.get_attribute("data-to")
            card().find_element(By.CSS_SELECTOR, "input.note").send_keys("第%s步：%s" % (to, name))
            click_when(lambda: card().find_element(By.CSS_SELECTOR, "button.next"), "the step " + to)
            wait_for(lambda: hallctl("get", "key=followup/" + rating)["value"]["state"] == to, 5, "the follow-up is " + to)
            wait_for(lambda: card().find_element(By.CLASS_NAME, "state").text == name, 5, "the card shows " + name)
        wait_for(lambda: rate_text() == "100.0%", 5, "差评整改率 100.0% after")
        steps = hallctl("get", "key=followup/" + rating)["value"]["history"]
        assert [s["state"] for s in steps] == ["open", "called_back", "verified", "rectified", "replied", "closed"], steps
        assert steps[-1]["note"].startswith("王经理："), steps[-1]

        # A complaint: the masked number, the whole one on asking, then answered and closed.
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-tab="complaints"]').click()
        ccard = lambda: browser.find_element(By.CSS_SELECTOR, 'article.complaint[data-id="%s"]' % complaint["id"])
        wait_for(lambda: "138****5678" in ccard().text, 5, "the masked phone")
        click_when(lambda: ccard().find_element(By.CSS_SELECTOR, "button.small"), "查看完整号码")
        wait_for(lambda: "13812345678" in ccard().text, 5, "the whole phone for the manager")
        ccard().find_element(By.CSS_SELECTOR, "textarea").send_keys("已联系，取号机已换纸，感谢反映")
        browser.save_screenshot(os.path.join(shots, "console-complaints.png"))
        click_when(lambda: ccard().find_element(By.CSS_SELECTOR, "button.next"), "答复")
        wait_for(lambda: hallctl("get", "key=complaint/" + complaint["id"])["value"]["state"] == "answered", 5, "the complaint answered")
        wait_for(lambda: "已答复" in ccard().text, 5, "the card says 已答复")

        # An announcement: posted in the browser, drawn on the hall board within a second.
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-tab="announcements"]').click()
        text = "今天下午三点起不动产窗口临时调整到 6 号"
        by_id("announce-text").send_keys(text)
        t0 = time.monotonic()
        by_id("announce-send").click()
        wait_for(lambda: text in board_texts(), 1.0, "the announcement on the hall board's draw log within a second")
        board_ms = (time.monotonic() - t0) * 1000
        wait_for(lambda: text in by_id("announcements").text, 5, "the announcement listed")
        browser.save_screenshot(os.path.join(shots, "console-announcements.png"))
        assert len(mgr.call("GET", "/console/api/view")[1]["announcements"]) == 1

        # Screens: the board reports who it is; a picture of it on asking; silent once it dies.
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-tab="screens"]').click()
        board_row = lambda: browser.find_element(By.CSS_SELECTOR, 'tr[data-device="board"]')
        try:
            wait_for(lambda: "在线" in board_row().text and "hall_board" in board_row().text, 10, "the board listed online with its page")
        except Exception:
            print(by_id("devices").text, mgr.call("GET", "/console/api/view")[1]["devices"])
            raise
        click_when(lambda: board_row().find_element(By.CSS_SELECTOR, "button.small"), "the board's 截图")
        wait_for(lambda: browser.execute_script("const i = document.getElementById('shot-img'); return i.complete && i.naturalWidth > 0 && i.naturalWidth;"),
                 15, "the board's picture shown in the console")
        width = browser.execute_script("return document.getElementById('shot-img').naturalWidth;")
        assert width == 960, width  # the screen sends its picture scaled to 960 px wide
        browser.save_screenshot(os.path.join(shots, "console-screens.png"))
        status, png, headers = mgr.get_bytes("/console/api/devices/board/screenshot.png")
        assert status == 200 and png[:8] == b"\x89PNG\r\n\x1a\n" and headers["Content-Type"] == "image/png", (status, png[:16])
        assert leader.get_bytes("/console/api/devices/board/screenshot.png")[0] == 403  # what a screen shows may be personal
        assert leader.act("/console/api/devices/screenshot", {"device": "board"})[0] == 403
        assert mgr.act("/console/api/devices/screenshot", {"device": "no-such-screen"})[0] == 404
        display.kill()  # a screen dies without a word
        display.wait(10)
        display = None
        t_dead = time.monotonic()
        wait_for(lambda: "失联" in board_row().text, 10, "the board marked silent in the console")
        silent_s = time.monotonic() - t_dead
        wait_for(lambda: "终端失联：board" in by_id("alerts").get_attribute("textContent"), 5, "the silent screen among the console's alerts (live tab)")
        metrics = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % metrics_port, timeout=10).read().decode()
        assert 'hall_device_silent{device="board"} 1' in metrics, [l for l in metrics.splitlines() if "device" in l]
        leader_log = os.path.join(folder, "leader.json")
        leader_page = subprocess.Popen([os.path.join(a.build, "display/hall-display"), "--headless", "--page", "leader", "--size", "1920x1080",
                                        "--drawlog", leader_log, "--device", "leader-screen"] + hall.bus,
                                       stdout=open(os.path.join(folder, "leader.out"), "w"), stderr=subprocess.STDOUT)
        try:
            leader_texts = lambda: " ".join(t.get("text", "") for t in json.load(open(leader_log))) if os.path.exists(leader_log) else ""
            wait_for(lambda: "终端失联：board" in leader_texts(), 20, "the silent screen on the leader dashboard's alerts")
        finally:
            leader_page.terminate()
            leader_page.wait(10)
        browser.save_screenshot(os.path.join(shots, "console-screens-silent.png"))

        # Reports: today's, in the browser (printable page), as CSV and as an Excel file whose cells are read back.
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-tab="reports"]').click()
        by_id("report-today").click()
        wait_for(lambda: "from=2026-11-23&to=2026-11-23" in (by_id("report-xlsx").get_attribute("href") or ""), 5, "today's report links")
        assert leader.call("GET", "/console/report?from=2026-11-23&to=2026-11-23&format=html")[0] == 200  # a leader reads reports
        assert mgr.call("GET", "/console/report?from=2026-11-24&to=2026-11-23")[0] == 400
        assert mgr.call("GET", "/console/report?from=2026-11-23&to=2026-11-23&format=pdf")[0] == 400
        assert anon.call("GET", "/console/report?from=2026-11-23&to=2026-11-23&format=csv")[0] == 401
        status, csv, headers = mgr.get_bytes("/console/report?from=2026-11-23&to=2026-11-23&format=csv")
        csv = csv.decode("utf-8")
        assert status == 200 and csv.startswith("\ufeff") and "attachment" in headers["Content-Disposition"], (status, headers)
        assert "好评率,50.0%" in csv and "差评数,1" in csv and "差评整改率,100.0%" in csv, csv[:600]
        downloads = os.path.join(folder, "downloads")
        os.makedirs(downloads, exist_ok=True)
        browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        by_id("report-xlsx").click()
        xlsx = wait_for(lambda: [os.path.join(downloads, f) for f in os.listdir(downloads) if f.endswith(".xlsx")], 15, "the Excel report downloaded")[0]
        assert os.path.basename(xlsx) == "report-demo-county-2026-11-23-2026-11-23.xlsx", xlsx
        book = read_xlsx(xlsx)
        assert list(book)[:3] == ["概况", "每日排队", "窗口好评率"], list(book)
        summary = {row[0]: row[1] for row in book["概况"] if len(row) > 1}
        assert summary["好评率"] == 0.5 and summary["评价总数"] == 2 and summary["差评数"] == 1, summary
        assert summary["差评整改率"] == 1.0 and summary["取号总数"] >= 4, summary
        window5 = [row for row in book["窗口好评率"] if row and row[0] == 5]
        assert window5 and window5[0][3:7] == [2, 1, 1, 0.5], book["窗口好评率"]
        bad_rows = [row for row in book["差评及整改"] if len(row) > 8 and row[1] == bad["number"]]
        assert bad_rows and bad_rows[0][5] == "非常不满意" and bad_rows[0][8] == "已办结", book["差评及整改"]
        browser.get(base + "/console/report?from=2026-11-23&to=2026-11-23&format=html")
        wait_for(lambda: "窗口好评率" in browser.find_element(By.TAG_NAME, "body").text, 5, "the printable report")
        assert "50.0%" in browser.find_element(By.TAG_NAME, "body").text
        browser.save_screenshot(os.path.join(shots, "console-report.png"))
        browser.get(base + "/console#live")
        wait_for(lambda: by_id("main").is_displayed(), 10, "back in the console")

        # English, and a phone-sized window.
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-tab="live"]').click()
        by_id("lang").click()
        wait_for(lambda: "Windows" in by_id("h-windows").text, 5, "the console in English")
        browser.save_screenshot(os.path.join(shots, "console-live-en.png"))
        by_id("lang").click()
        browser.set_window_size(390, 844)
        time.sleep(0.3)  # (a resize has no event to wait on; the shot is for people, nothing is asserted from it)
        browser.save_screenshot(os.path.join(shots, "console-live-phone.png"))
        for tab in ("followups", "complaints", "announcements", "screens", "reports", "users"):
            browser.find_element(By.CSS_SELECTOR, 'nav button[data-tab="%s"]' % tab).click()
            wait_for(lambda: by_id("tab-" + tab).is_displayed(), 5, "the %s tab at phone size" % tab)
            browser.save_screenshot(os.path.join(shots, "console-%s-phone.png" % tab))

        # Signing out ends the session on the server: the old cookie is refused afterwards.
        out = Http(base)
        out.sign_in(MANAGER[0], MANAGER[2])
        old = out.cookie
        assert out.act("/console/api/sign_out", {})[0] == 200
        out.cookie = old
        assert out.call("GET", "/console/api/view")[0] == 401

        print("ok: console in Chromium; announcement drawn on the board %.0f ms after the click; a killed screen marked silent after %.1f s"
              % (board_ms, silent_s))
        return 0
    finally:
        if browser:
            browser.quit()
        if display:
            display.terminate()
            display.wait(10)
        programs.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

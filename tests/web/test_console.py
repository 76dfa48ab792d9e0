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
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By

from harness import Hall, Programs, chromium, free_port, wait_for

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

    def act(self, path, body):
        return self.call("POST", path, body, {"X-CSRF-Token": self.csrf})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shots", default="")
    a = ap.parse_args()
    a.build, a.source = os.path.abspath(a.build), os.path.abspath(a.source)
    folder = tempfile.mkdtemp(prefix="hall-web-console-")
    shots = a.shots or folder
    os.makedirs(shots, exist_ok=True)
    hall = Hall(a.source, a.build, folder)
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
                                    "--drawlog", drawlog] + hall.bus, stdout=open(os.path.join(folder, "display.out"), "w"), stderr=subprocess.STDOUT)
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
        browser.save_screenshot(os.path.join(shots, "console-live.png"))

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
            button.click()
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
        ccard().find_element(By.CSS_SELECTOR, "button.small").click()
        wait_for(lambda: "13812345678" in ccard().text, 5, "the whole phone for the manager")
        ccard().find_element(By.CSS_SELECTOR, "textarea").send_keys("已联系，取号机已换纸，感谢反映")
        browser.save_screenshot(os.path.join(shots, "console-complaints.png"))
        ccard().find_element(By.CSS_SELECTOR, "button.next").click()
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

        # English, and a phone-sized window.
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-tab="live"]').click()
        by_id("lang").click()
        wait_for(lambda: "Windows" in by_id("h-windows").text, 5, "the console in English")
        browser.save_screenshot(os.path.join(shots, "console-live-en.png"))
        by_id("lang").click()
        browser.set_window_size(390, 844)
        time.sleep(0.3)  # (a resize has no event to wait on; the shot is for people, nothing is asserted from it)
        browser.save_screenshot(os.path.join(shots, "console-live-phone.png"))

        # Signing out ends the session on the server: the old cookie is refused afterwards.
        out = Http(base)
        out.sign_in(MANAGER[0], MANAGER[2])
        old = out.cookie
        assert out.act("/console/api/sign_out", {})[0] == 200
        out.cookie = old
        assert out.call("GET", "/console/api/view")[0] == 401

        print("ok: console in Chromium; announcement drawn on the board %.0f ms after the click" % board_ms)
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

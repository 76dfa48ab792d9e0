#!/usr/bin/python3
"""A ticket taken from a phone on the hall's public page, in a real Chromium (issue 13).

A real hall-server (the demo hall with web.remote: a tenth of each
category's day) and a real hall-gateway. The phone opens the hall's page,
reads the rules (the share kept for people who come, one open ticket per
number, what happens when late) before the button, takes a ticket and lands
on its own live page. Over plain HTTP: the rules not accepted, a bad
number, a second ticket for the same number, a retried tap, a cross-site
form and a category whose share is used up are all refused; a kiosk still
takes tickets when phones cannot; the phone number reaches neither the bus
nor the page. Screenshots at phone size go to --shots.

  test_remote_ticket.py --build BUILD_DIR --source SOURCE_DIR [--shots DIR]
"""
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from harness import test_setup, post_json as post, Hall, Programs, chromium, free_port, wait_for



def main():
    a, folder, shots = test_setup("hall-web-remote-")
    web = free_port()
    base = "http://127.0.0.1:%d" % web
    hall = Hall(a.source, a.build, folder, web_port=web)
    config = json.load(open(hall.config))
    config["web"]["remote"] = {"share": 0.1, "stop_before_close_min": 30}
    json.dump(config, open(hall.config, "w"), ensure_ascii=False)
    hallctl = hall.hallctl

    # A share above one half is refused at start, naming the key.
    bad = dict(config, web=dict(config["web"], remote={"share": 0.8}))
    bad_path = os.path.join(folder, "bad.json")
    json.dump(bad, open(bad_path, "w"), ensure_ascii=False)
    refused = subprocess.run([os.path.join(a.build, "hall/hall-server"), "--config", bad_path, "--check-config"], capture_output=True, text=True, timeout=20)
    assert refused.returncode != 0 and "web.remote.share" in refused.stderr, (refused.returncode, refused.stderr)

    programs = Programs(folder)
    browser = None
    try:
        programs.start("hall-server", [os.path.join(a.build, "hall/hall-server"), "--config", hall.config, "--start", "2026-11-23T10:00"])
        programs.start("hall-gateway", [os.path.join(a.build, "gateway/hall-gateway")] + hall.bus +
                       ["--public", "127.0.0.1:%d" % web, "--staff", "off", "--assets", os.path.join(a.source, "assets")])
        def hall_offer():
            try:
                return json.loads(urllib.request.urlopen(base + "/api/hall", timeout=10).read())
            except urllib.error.HTTPError as e:
                assert e.code == 503, e.code  # the gateway's mirror not synced yet: it says so
                return None
        offer = wait_for(hall_offer, 10, "the gateway's mirror of the hall")
        cats = {c["code"]: c for c in offer["categories"]}
        assert offer["remote"] and cats["tax"]["remote"] and cats["tax"]["left"] > 0, offer

        # ---- in the browser, phone-sized
        browser = chromium(folder, "390,844")
        by_id = lambda i: browser.find_element(By.ID, i)
        browser.get(base + "/hall")
        wait_for(lambda: by_id("remote").is_displayed() and "税务" in by_id("queues").text, 10, "the hall's page with its queues and the remote form")
        rules = by_id("rules").text
        assert "过号" in rules and "一个手机号" in rules and "不用手机的老人" in rules and "30 分钟" in rules, rules
        browser.save_screenshot(os.path.join(shots, "hall-page.png"))
        Select(by_id("category")).select_by_value("tax")
        by_id("phone").send_keys("13900001111")
        by_id("take").click()  # the rules not ticked: the form does not go
        assert browser.current_url.endswith("/hall"), browser.current_url
        by_id("accept").click()
        browser.execute_script("document.getElementById('remote').scrollIntoView()")
        browser.save_screenshot(os.path.join(shots, "hall-page-form.png"))
        by_id("take").click()
        wait_for(lambda: "/t/" in browser.current_url, 10, "the phone lands on its ticket's page")
        wait_for(lambda: by_id("number").text not in ("", "…"), 10, "the ticket's number shown")
        number = by_id("number").text
        wait_for(lambda: "前面" in by_id("status").text or "下一位" in by_id("status").text, 10, "its place in the queue")
        browser.save_screenshot(os.path.join(shots, "hall-remote-ticket.png"))
        ticket = hallctl("get", "key=ticket/2026-11-23/" + number)["value"]
        assert ticket["remote"] is True and ticket["category"] == "tax", ticket
        whole = subprocess.run([os.path.join(a.build, "tools/hallctl"), "--commands", "tcp://127.0.0.1:%d" % hall.commands, "state"],
                               capture_output=True, text=True, timeout=20).stdout
        assert number in whole and "13900001111" not in whole, "the phone number reached the bus"

        # ---- over HTTP: each refusal changes nothing
        left = lambda code: {c["code"]: c for c in json.loads(urllib.request.urlopen(base + "/api/hall", timeout=10).read())["categories"]}[code]["left"]
        before = left("tax")
        assert post(base, "/api/remote_ticket", {"category": "tax", "phone": "13900002222"})[0] == 400  # rules not accepted
        assert post(base, "/api/remote_ticket", {"category": "tax", "phone": "12345", "accepted_rule": True})[0] == 400
        status, j = post(base, "/api/remote_ticket", {"category": "tax", "phone": "13900001111", "accepted_rule": True})
        assert status == 409 and j["error"] == "remote_ticket_open", (status, j)
        assert post(base, "/api/remote_ticket", None, raw=b"category=tax&phone=13900003333&accepted_rule=true",
                    content_type="application/x-www-form-urlencoded")[0] == 415
        assert left("tax") == before, "a refused try took a ticket"
        # A tap retried with the same key takes one ticket.
        first = post(base, "/api/remote_ticket", {"category": "tax", "phone": "13900004444", "accepted_rule": True}, {"Idempotency-Key": "try-1"})
        again = post(base, "/api/remote_ticket", {"category": "tax", "phone": "13900004444", "accepted_rule": True}, {"Idempotency-Key": "try-1"})
        assert first[0] == 200 and again == first, (first, again)
        assert left("tax") == before - 1

        # The share used up: phones are refused, the kiosk still serves people who come.
        code = min(cats, key=lambda c: cats[c]["left"])
        n = left(code)
        for i in range(n):
            status, j = post(base, "/api/remote_ticket", {"category": code, "phone": "137%08d" % i, "accepted_rule": True})
            assert status == 200, (i, status, j)
        status, j = post(base, "/api/remote_ticket", {"category": code, "phone": "13688889999", "accepted_rule": True})
        assert status == 409 and j["error"] == "remote_refused" and j["why_not"] == "full", (status, j)
        assert hallctl("take_ticket", "category=" + code)["ticket"]["number"]
        browser.get(base + "/hall")
        wait_for(lambda: "今日远程号已取完" in by_id("category").text, 10, "the page says the share is used up")

        # A served remote ticket frees its number for another.
        hallctl("sign_in", "window=5", "staff=S1005", "pin=1555")
        for _ in range(50):
            called = hallctl("call_next", "window=5")
            hallctl("start_serving", "window=5")
            hallctl("finish", "window=5")
            if called["ticket"]["number"] == number:
                break
        assert hallctl("get", "key=ticket/2026-11-23/" + number)["value"]["state"] == "done"
        assert post(base, "/api/remote_ticket", {"category": "tax", "phone": "13900001111", "accepted_rule": True})[0] == 200

        # English.
        by_id("lang").click()
        wait_for(lambda: "Take a ticket" in by_id("take").text, 5, "the page in English")
        browser.save_screenshot(os.path.join(shots, "hall-page-en.png"))
        by_id("lang").click()
        browser.set_window_size(1440, 1000)
        wait_for(lambda: "取号" in by_id("take").text, 5, "the page in Chinese again")
        browser.save_screenshot(os.path.join(shots, "hall-page-desktop.png"))
        print("ok: remote ticket %s taken in Chromium; %d of %s's share taken, then refused; the kiosk still issues" % (number, n, code))
        return 0
    finally:
        if browser:
            browser.quit()
        programs.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

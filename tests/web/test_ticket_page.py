#!/usr/bin/python3
"""A citizen's ticket on a phone, in a real Chromium (issue 13).

A real hall-server (the demo hall, with web.public_url) and a real
hall-gateway on loopback; tickets taken and called with hallctl as a kiosk
and a window would. The phone opens the link from take_ticket's reply (what
the kiosk's QR holds) and must show: its number and place in the queue;
"请到 5 号窗口" within a second of call_next; served; 过号 with what to do;
nothing for a guessed link. Screenshots at phone size go to --shots.

  test_ticket_page.py --build BUILD_DIR --source SOURCE_DIR [--shots DIR]
"""
import os
import shutil
import sys
import time
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By

from harness import test_setup, Hall, Programs, chromium, free_port, wait_for


def main():
    a, folder, shots = test_setup("hall-web-ticket-")
    web = free_port()
    hall = Hall(a.source, a.build, folder, web_port=web)
    hallctl = hall.hallctl

    programs = Programs(folder)
    browser = None
    try:
        programs.start("hall-server", [os.path.join(a.build, "hall/hall-server"), "--config", hall.config, "--start", "2026-11-23T10:00"])
        programs.start("hall-gateway", [os.path.join(a.build, "gateway/hall-gateway")] + hall.bus +
                       ["--public", "127.0.0.1:%d" % web, "--staff", "off", "--assets", os.path.join(a.source, "assets")])
        first = hallctl("take_ticket", "category=tax")
        mine = hallctl("take_ticket", "category=tax")
        link = mine["link"]
        assert link.startswith("http://127.0.0.1:%d/t/" % web) and mine["ticket"]["key"] not in link, link

        browser = chromium(folder, "390,844")
        text = lambda element: browser.find_element(By.ID, element).text
        state = lambda: browser.find_element(By.TAG_NAME, "body").get_attribute("data-state")

        # Scan to page: the ticket's own number and its place, nothing of anyone else.
        browser.get(link)
        wait_for(lambda: text("number") == mine["ticket"]["number"], 10, "the page shows " + mine["ticket"]["number"])
        assert state() == "waiting", state()
        assert "前面还有 1 人" in text("status"), text("status")
        assert first["ticket"]["number"] not in browser.page_source, "another ticket's number on the page"
        browser.save_screenshot(os.path.join(shots, "phone-ticket-waiting.png"))

        # The window calls: first the ticket ahead (the page moves up), then this one, within a second.
        hallctl("sign_in", "window=5", "staff=S1005", "pin=1555")
        hallctl("call_next", "window=5")
        wait_for(lambda: "下一位就是您" in text("status"), 2, "the page says it is next")
        hallctl("finish", "window=5")
        t0 = time.monotonic()
        called = hallctl("call_next", "window=5")
        assert called["ticket"]["number"] == mine["ticket"]["number"], called
        wait_for(lambda: state() == "called" and text("status") == "请到 5 号窗口", 1.0, "请到 5 号窗口 within a second of call_next")
        seen_ms = (time.monotonic() - t0) * 1000
        browser.save_screenshot(os.path.join(shots, "phone-ticket-called.png"))
        hallctl("recall", "window=5")
        wait_for(lambda: "重呼" in text("detail"), 2, "a recall is shown")
        hallctl("start_serving", "window=5")
        wait_for(lambda: text("status") == "正在 5 号窗口办理", 2, "serving at window 5")
        hallctl("finish", "window=5")
        wait_for(lambda: state() == "done" and "评价" in text("detail"), 2, "finished, with how to rate")
        browser.save_screenshot(os.path.join(shots, "phone-ticket-done.png"))

        # Rated from the phone (not at the window): 不满意 asks what went wrong; the hall gets it once, channel web.
        token = link.rsplit("/", 1)[1]
        api = "http://127.0.0.1:%d/api/ticket/%s/rate" % (web, token)
        def post(body, content_type="application/json"):
            request = urllib.request.Request(api, data=body.encode(), headers={"Content-Type": content_type}, method="POST")
            try:
                return urllib.request.urlopen(request, timeout=5).status
            except urllib.error.HTTPError as e:
                return e.code
        assert post("level=1", "application/x-www-form-urlencoded") == 415  # a cross-site form post changes nothing
        browser.find_element(By.CSS_SELECTOR, '#levels button[data-level="2"]').click()
        wait_for(lambda: browser.find_element(By.ID, "reasons-box").is_displayed(), 2, "reasons for 不满意")
        browser.find_element(By.XPATH, '//div[@id="reasons"]/button[text()="等候时间长"]').click()
        browser.save_screenshot(os.path.join(shots, "phone-ticket-rate.png"))
        browser.find_element(By.ID, "send").click()
        wait_for(lambda: text("rate-result") == "感谢您的评价", 3, "the rating is thanked for")
        rating = hallctl("get", "key=rating/T/" + mine["ticket"]["key"])["value"]
        assert rating and rating["level"] == 2 and rating["channel"] == "web" and rating["reasons"] == ["等候时间长"], rating
        assert post('{"level": 5}') == 200  # the same link again: the first answer (idempotency key), not a second rating
        assert hallctl("get", "key=rating/T/" + mine["ticket"]["key"])["value"]["level"] == 2
        other = hallctl("take_ticket", "category=company")  # (not a tax ticket: window 5 calls the next one below)
        request = urllib.request.Request(api.replace(token, other["token"]), data=b'{"level": 5}', headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=5)
            raise AssertionError("a ticket not yet served was rated")
        except urllib.error.HTTPError as e:
            assert e.code == 409, e.code

        # 过号: a ticket called and not come says so and what to do.
        third = hallctl("take_ticket", "category=tax")
        browser.get(third["link"])
        wait_for(lambda: text("number") == third["ticket"]["number"], 10, "the third ticket's page")
        hallctl("call_next", "window=5")
        hallctl("skip", "window=5")
        wait_for(lambda: state() == "no_show" and "导服台" in text("detail"), 2, "过号 with what to do")
        browser.save_screenshot(os.path.join(shots, "phone-ticket-missed.png"))

        # English, from the same page.
        browser.find_element(By.ID, "lang").click()
        wait_for(lambda: text("status") == "Missed", 2, "the page in English")
        browser.save_screenshot(os.path.join(shots, "phone-ticket-missed-en.png"))
        browser.find_element(By.ID, "lang").click()

        # A guessed link shows nothing of any ticket, and the API says 404.
        guessed = ("0" if token[0] != "0" else "1") + token[1:]
        browser.get(link.rsplit("/", 1)[0] + "/" + guessed)
        wait_for(lambda: state() == "unknown", 5, "a guessed link is refused")
        assert mine["ticket"]["number"] not in browser.page_source
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/api/ticket/%s" % (web, guessed), timeout=5)
            raise AssertionError("a guessed token was answered")
        except urllib.error.HTTPError as e:
            assert e.code == 404, e.code
        headers = urllib.request.urlopen(link, timeout=5).headers
        assert headers["Referrer-Policy"] == "no-referrer" and "default-src 'self'" in headers["Content-Security-Policy"], dict(headers)
        print("ok: ticket page live in Chromium; call seen on the phone %.0f ms after call_next returned" % seen_ms)
        return 0
    finally:
        if browser:
            browser.quit()
        programs.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

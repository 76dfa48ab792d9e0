#!/usr/bin/python3
"""预约 from a phone, in a real Chromium (issue 14).

A real hall-server (the demo hall: it takes bookings) and hall-gateway. On
the hall's public page the phone books a slot (the rules shown and ticked
first), lands on the booking's own page with its 8-digit code, and cancels
it with the number it was booked with (a wrong number is refused). Over
plain HTTP: a form post, the rules not accepted, and a cancellation by code
alone are refused and change nothing. Screenshots at phone size go to --shots.

  test_booking_page.py --build BUILD_DIR --source SOURCE_DIR [--shots DIR]
"""
import json
import os
import shutil
import sys
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from harness import test_setup, post_json as post, Hall, Programs, chromium, free_port, wait_for



def main():
    a, folder, shots = test_setup("hall-web-booking-")
    web = free_port()
    base = "http://127.0.0.1:%d" % web
    hall = Hall(a.source, a.build, folder, web_port=web)
    hallctl = hall.hallctl
    programs = Programs(folder)
    browser = None
    try:
        programs.start("hall-server", [os.path.join(a.build, "hall/hall-server"), "--config", hall.config, "--start", "2026-11-23T10:00"])
        programs.start("hall-gateway", [os.path.join(a.build, "gateway/hall-gateway")] + hall.bus +
                       ["--public", "127.0.0.1:%d" % web, "--staff", "off", "--assets", os.path.join(a.source, "assets")])
        # Refused over HTTP, nothing booked.
        assert post(base, "/api/book", None, raw=b"category=company", content_type="application/x-www-form-urlencoded")[0] == 415
        assert post(base, "/api/book", {"category": "company", "day": "2026-11-23", "slot": "11:00", "phone": "13900001111"})[0] == 400

        browser = chromium(folder, "390,844")
        by_id = lambda i: browser.find_element(By.ID, i)
        browser.get(base + "/hall")
        wait_for(lambda: by_id("book").is_displayed(), 10, "the booking form on the hall's page")
        Select(by_id("book-category")).select_by_value("company")
        Select(by_id("book-day")).select_by_value("2026-11-24")
        wait_for(lambda: len(by_id("book-slot").find_elements(By.TAG_NAME, "option")) > 10, 10, "the day's slots")
        Select(by_id("book-slot")).select_by_value("09:30")
        rules = by_id("book-rules").text
        assert "15 分钟" in rules and "3 次预约未到" in rules and "14 天内不能再预约" in rules, rules
        by_id("book-phone").send_keys("13900001111")
        by_id("book-accept").click()
        browser.execute_script("document.getElementById('book').scrollIntoView()")
        browser.save_screenshot(os.path.join(shots, "hall-book-form.png"))
        by_id("book-go").click()
        wait_for(lambda: "/b/" in browser.current_url, 10, "the phone lands on the booking's page")
        code = browser.current_url.rsplit("/", 1)[1]
        assert len(code) == 8 and code.isdigit(), code
        wait_for(lambda: by_id("code").text == code and "2026-11-24 09:30" in by_id("when").text, 10, "the booking's code and time")
        assert "已预约" in by_id("state").text
        browser.save_screenshot(os.path.join(shots, "booking-page.png"))
        booking = hallctl("get", "key=booking/" + code)["value"]
        assert booking["state"] == "booked" and booking["channel"] == "web" and booking["slot"] == "09:30", booking
        assert "13900001111" not in json.dumps(booking)

        # A cancellation by code alone or with another number changes nothing; with the right number it cancels.
        assert post(base, "/api/booking/%s/cancel" % code, {})[0] == 400
        assert post(base, "/api/booking/%s/cancel" % code, {"phone": "13900002222"})[0] == 404
        assert hallctl("get", "key=booking/" + code)["value"]["state"] == "booked"
        by_id("cancel-phone").send_keys("13900001111")
        by_id("cancel-go").click()
        wait_for(lambda: hallctl("get", "key=booking/" + code)["value"]["state"] == "cancelled", 10, "the booking cancelled")
        wait_for(lambda: "已取消" in by_id("state").text, 10, "the page says cancelled")
        try:
            urllib.request.urlopen(base + "/api/booking/00000000", timeout=10)
            raise AssertionError("a made-up code answered")
        except urllib.error.HTTPError as e:
            assert e.code == 404
        print("ok: booked %s from the phone, its page, cancelled with its number" % code)
        return 0
    finally:
        if browser:
            browser.quit()
        programs.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

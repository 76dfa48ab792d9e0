"""What the browser tests share: free loopback ports, waiting on a condition
with a deadline, the programs under test as real processes, the demo hall's
config in a temporary folder, hallctl, and a headless Chromium."""
import argparse
import json
import os
import socket
import subprocess
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service


def test_setup(prefix):
    """The flags every browser test takes (--build, --source, --shots) and its own temporary folder."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shots", default="")
    a = ap.parse_args()
    a.build, a.source = os.path.abspath(a.build), os.path.abspath(a.source)
    folder = tempfile.mkdtemp(prefix=prefix)
    shots = a.shots or folder
    os.makedirs(shots, exist_ok=True)
    return a, folder, shots


def post_json(base, path, body, headers=None, raw=None, content_type="application/json"):
    """A POST as a phone page (or a forger) sends it: (status, JSON answer)."""
    import urllib.error
    import urllib.request
    h = {"Content-Type": content_type}
    h.update(headers or {})
    data = raw if raw is not None else json.dumps(body).encode()
    try:
        r = urllib.request.urlopen(urllib.request.Request(base + path, data=data, headers=h, method="POST"), timeout=10)
        return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what, step=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except (NoSuchElementException, StaleElementReferenceException):
            value = None  # a part of the page being drawn again: look once more
        if value:
            return value
        time.sleep(step)
    raise AssertionError("not within %.1f s: %s" % (timeout, what))


def click_when(find, what, timeout=5):
    """Finds an element and clicks it, finding it again when the page has
    drawn that part anew in between (a list refreshed from the hall)."""
    def attempt():
        find().click()
        return True
    return wait_for(attempt, timeout, "a click on " + what)


class Programs:
    def __init__(self, folder):
        self.folder = folder
        self.running = []

    def start(self, name, argv, ready="ready"):
        out = open(os.path.join(self.folder, name + ".out"), "w")
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        self.running.append(p)
        log = os.path.join(self.folder, name + ".out")
        wait_for(lambda: ready in open(log).read() or p.poll() is not None, 30, name + " says " + ready)
        assert p.poll() is None, name + " exited: " + open(log).read()
        return p

    def stop(self):
        for p in reversed(self.running):
            p.terminate()
        for p in self.running:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


class Hall:
    """The demo hall's config with its own database and loopback ports."""

    def __init__(self, source, build, folder, web_port=None, extra=None):
        self.build = build
        self.commands, self.updates = free_port(), free_port()
        hall = json.load(open(os.path.join(source, "assets/demo-hall.json")))
        hall["database"] = os.path.join(folder, "hall.db")
        hall["bus"] = {"commands": "tcp://127.0.0.1:%d" % self.commands, "updates": "tcp://127.0.0.1:%d" % self.updates}
        if web_port:
            hall["web"] = {"public_url": "http://127.0.0.1:%d" % web_port}
        for key in ("catalogue", "policies", "calendar"):
            if key in hall:
                hall[key] = os.path.join(source, "assets", hall[key])
        hall.update(extra or {})
        self.config = os.path.join(folder, "hall.json")
        json.dump(hall, open(self.config, "w"), ensure_ascii=False)
        self.bus = ["--commands", "tcp://127.0.0.1:%d" % self.commands, "--updates", "tcp://127.0.0.1:%d" % self.updates]

    def hallctl(self, *args):
        out = subprocess.run([os.path.join(self.build, "tools/hallctl"), "--commands", "tcp://127.0.0.1:%d" % self.commands] + list(args),
                             capture_output=True, text=True, timeout=20)
        reply = json.loads(out.stdout)
        assert reply.get("ok"), "hallctl %s: %s" % (" ".join(args), out.stdout + out.stderr)
        return reply["result"]


def chromium(folder, size, downloads=None):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=" + size,
                 "--user-data-dir=" + os.path.join(folder, "chromium-" + size), "--lang=zh-CN"):
        options.add_argument(flag)
    if downloads:
        options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

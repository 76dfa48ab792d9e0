// A citizen's own ticket, live. Reads its token from the address, asks the
// gateway for the ticket, then listens to its event stream (Server-Sent
// Events); where a stream cannot be held it asks again every few seconds.
"use strict";
(function () {
  const token = location.pathname.split("/").filter(Boolean).pop() || "";
  const api = "/api/ticket/" + encodeURIComponent(token);
  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem("lang") === "en" ? "en" : "zh-CN";  // Chinese first; English when the citizen chose it
  let words = {};
  let last = null;          // the last ticket shown
  let problem = "";         // unknown, ended, unreachable
  let audio = null;         // made on the citizen's tap (browsers allow sound only after one)
  let polling = null;

  const say = (key, vars) => {
    let text = words[key] || key;
    for (const [k, v] of Object.entries(vars || {})) text = text.split("{" + k + "}").join(String(v));
    return text;
  };

  function render() {
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    document.title = say("title");
    $("lang").textContent = say("lang.switch");
    $("label").textContent = say("label");
    $("footer").textContent = say("footer");
    $("enable").textContent = audio ? say("sound.on") : say("sound.enable");
    const status = $("status"), detail = $("detail");
    if (problem) {
      status.dataset.state = problem;
      status.textContent = say("state." + problem);
      detail.textContent = say(problem + ".detail");
      document.body.dataset.state = problem;
      $("sound").hidden = true;
      return;
    }
    if (!last) return;
    const t = last;
    $("hall").textContent = t.hall;
    $("number").textContent = t.number;
    $("category").textContent = t.item ? t.category + " · " + t.item : t.category;
    status.dataset.state = t.state;
    document.body.dataset.state = t.state;
    document.body.dataset.window = t.window || "";
    document.body.classList.toggle("called", t.state === "called");
    $("sound").hidden = t.state !== "waiting" && t.state !== "called";  // a tone only matters while a call may come
    if (t.state === "waiting") {
      status.textContent = t.ahead > 0 ? say("ahead", { n: t.ahead }) : say("ahead.none");
      detail.textContent = t.estimated_wait_ms < 0 ? say("estimate.none")
                                                   : say("estimate", { m: Math.max(1, Math.ceil(t.estimated_wait_ms / 60000)) });
    } else if (t.state === "called") {
      status.textContent = say("state.called", { w: t.window });
      detail.textContent = t.recalls > 0 ? say("recalled.detail", { n: t.recalls }) : say("called.detail");
    } else if (t.state === "serving") {
      status.textContent = say("state.serving", { w: t.window });
      detail.textContent = "";
    } else if (t.state === "done") {
      status.textContent = say("state.done");
      detail.textContent = say("done.detail") + (lang === "en" ? ". " : "。") + (t.rated || rated ? say("done.rated") : say("done.rate"));
    } else if (t.state === "no_show") {
      status.textContent = say("state.no_show");
      detail.textContent = say("no_show.detail");
    }
    render_rating(t);
    const notice = $("notice");
    notice.hidden = !t.stale;
    notice.textContent = say("stale");
  }

  // After service, when the visit was not rated at the window: five levels, and for 不满意 or worse what went wrong.
  let rated = false, level = 0, reasons = new Set(), rate_error = "";
  function render_rating(t) {
    const box = $("rate");
    box.hidden = !(t.state === "done" && (!t.rated || rated));
    if (box.hidden) return;
    $("rate-how").textContent = say("rate.how");
    $("rate-reasons").textContent = say("rate.reasons");
    $("send").textContent = say("rate.send");
    $("rate-result").textContent = rated ? say("rate.thanks") : rate_error;
    $("levels").hidden = rated;
    $("reasons-box").hidden = rated || !(level === 1 || level === 2);
    const levels = $("levels");
    levels.replaceChildren(...[5, 4, 3, 2, 1].map((n) => {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.level = n;
      b.textContent = say("level." + n);
      b.setAttribute("aria-pressed", String(level === n));
      b.addEventListener("click", () => { level = n; if (n >= 3) send(); else render(); });
      return b;
    }));
    $("reasons").replaceChildren(...[0, 1, 2, 3, 4, 5].map((i) => {
      const b = document.createElement("button");
      const text = say("reason." + i);
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-pressed", String(reasons.has(i)));
      b.addEventListener("click", () => { reasons.has(i) ? reasons.delete(i) : reasons.add(i); render(); });
      return b;
    }));
  }
  async function send() {
    // Reasons are sent in Chinese, the hall's language, whatever the page shows.
    const zh = lang === "en" ? await (await fetch("/web/strings/zh-CN.json")).json() : words;
    const body = { level: level, reasons: [...reasons].map((i) => zh["reason." + i]) };
    try {
      const r = await fetch(api + "/rate", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      if (r.ok) { rated = true; rate_error = ""; }
      else rate_error = r.status === 409 ? say("rate.already") : say("rate.failed");
    } catch (e) {
      rate_error = say("rate.failed");
    }
    render();
  }
  $("send").addEventListener("click", send);

  // A call (or a recall) is announced: a tone where sound was allowed, a vibration where the phone has one.
  function alert_call() {
    try { if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]); } catch (e) {}
    if (!audio) return;
    const now = audio.currentTime;
    for (const [at, f] of [[0, 880], [0.35, 660], [0.7, 880]]) {
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.4, now + at);
      gain.gain.exponentialRampToValueAtTime(0.001, now + at + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + at);
      osc.stop(now + at + 0.32);
    }
  }

  function show(t) {
    const before = last;
    last = t;
    problem = "";
    const called = t.state === "called" && (!before || before.state !== "called" || before.recalls !== t.recalls);
    render();
    if (called) alert_call();
  }

  function failed(status) {
    problem = status === 404 ? "unknown" : status === 410 ? "ended" : "unreachable";
    render();
    return problem === "unreachable";  // worth another try
  }

  async function ask() {
    try {
      const r = await fetch(api, { cache: "no-store" });
      if (r.ok) { show(await r.json()); return true; }
      return failed(r.status);
    } catch (e) {
      return failed(0);
    }
  }

  function poll() {  // the fallback: no event stream here
    if (polling) return;
    polling = setInterval(async () => { if (!(await ask())) { clearInterval(polling); polling = null; } }, 3000);
  }

  function listen() {
    if (!window.EventSource) return poll();
    const stream = new EventSource(api + "/events");
    stream.addEventListener("ticket", (e) => show(JSON.parse(e.data)));
    stream.addEventListener("ended", () => { stream.close(); problem = "ended"; render(); });
    stream.onerror = () => {
      if (stream.readyState === EventSource.CLOSED) { poll(); }  // refused or cut for good: ask every few seconds
    };
  }

  async function load_words() {
    const r = await fetch("/web/strings/" + lang + ".json");
    words = await r.json();
  }

  $("lang").addEventListener("click", async () => {
    lang = lang === "en" ? "zh-CN" : "en";
    localStorage.setItem("lang", lang);
    await load_words();
    render();
  });
  $("enable").addEventListener("click", () => {
    if (!audio) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (Ctx) audio = new Ctx();
    }
    if (audio && audio.state === "suspended") audio.resume();
    render();
  });

  load_words().then(async () => {
    render();
    if (await ask() || last) listen();
  });
})();

// The hall manager's console. Asks who is signed in, then follows the hall
// through one event stream (the whole view at each change); every action is
// a JSON POST with the session's CSRF token and an idempotency key made for
// that click, so a retried click acts once. A leader's account sees the same
// pages without the controls (and the gateway refuses its actions anyway).
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem("lang") === "en" ? "en" : "zh-CN";
  let words = {};
  let me = null;            // {name, display, role, csrf}
  let view = null;          // the last view of the hall
  let tab = location.hash.replace("#", "") || "live";
  let stream = null, polling = null;
  const notes = {};         // typed text kept across re-renders: element id → text

  const say = (key, vars) => {
    let text = words[key] !== undefined ? words[key] : key;
    for (const [k, v] of Object.entries(vars || {})) text = text.split("{" + k + "}").join(String(v));
    return text;
  };
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (v !== false && v !== undefined && v !== null) e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
    return e;
  };
  const manager = () => me && me.role === "manager";
  const pad = (n) => String(n).padStart(2, "0");
  const clock = (ms) => {  // hall local time (UTC+8 in every hall of China)
    const d = new Date(ms + 8 * 3600e3);
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  };
  const stamp = (ms) => {
    const d = new Date(ms + 8 * 3600e3);
    return (d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " + clock(ms);
  };
  const minutes = (ms) => (ms < 0 ? say("unknown") : ms < 60e3 ? say("minutes.under") : say("minutes", { m: Math.round(ms / 60e3) }));
  const percent = (f) => (f * 100).toFixed(1) + "%";
  const key = () => {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  };

  async function load() {
    const r = await fetch("/web/strings/console." + lang + ".json");
    words = await r.json();
  }

  function flash(text, bad) {
    const f = $("flash");
    f.textContent = text;
    f.hidden = false;
    f.classList.toggle("bad", !!bad);
    clearTimeout(flash.timer);
    flash.timer = setTimeout(() => (f.hidden = true), 6000);
  }

  // One action: the answer's JSON, or a thrown Error naming what went wrong.
  async function post(path, body) {
    const r = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": me ? me.csrf : "", "Idempotency-Key": key() },
      body: JSON.stringify(body || {}),
    });
    const j = await r.json().catch(() => ({}));
    if (r.status === 401) signedOut();
    if (!r.ok) throw new Error(j.error === "forbidden" ? say("forbidden") : words["err." + j.error] || j.message || j.error || r.status);
    return j;
  }
  async function doing(path, body, okText) {
    try {
      const j = await post(path, body);
      flash(okText || say("done"));
      return j;
    } catch (e) {
      flash(say("failed", { e: e.message }), true);
      return null;
    }
  }

  function chrome() {
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    document.title = say("title");
    $("lang").textContent = say("lang.switch");
    $("sign-out").textContent = say("sign_out");
    $("sign-in-title").textContent = say("sign_in.title");
    $("name-label").textContent = say("sign_in.name");
    $("password-label").textContent = say("sign_in.password");
    $("sign-in-button").textContent = say("sign_in.go");
    for (const b of document.querySelectorAll("#tabs button")) {
      b.textContent = say("tab." + b.dataset.tab);
      b.setAttribute("aria-selected", b.dataset.tab === tab ? "true" : "false");
      if (b.hasAttribute("data-manager")) b.hidden = !manager();
    }
    for (const s of document.querySelectorAll("main .tab")) s.hidden = s.id !== "tab-" + tab;
    for (const e of document.querySelectorAll("form[data-manager]")) e.hidden = !manager();
    for (const [id, k] of [["h-windows", "h.windows"], ["h-queues", "h.queues"], ["h-alerts", "h.alerts"], ["h-calls", "h.calls"],
      ["h-closed", "h.closed"], ["announce-label", "an.text"], ["announce-for", "an.for"], ["announce-send", "an.send"],
      ["report-from", "rp.from"], ["report-to", "rp.to"], ["report-today", "rp.today"], ["report-month", "rp.month"],
      ["report-html", "rp.html"], ["report-csv", "rp.csv"], ["report-xlsx", "rp.xlsx"], ["user-name", "us.name"],
      ["user-display", "us.display"], ["user-role", "us.role"], ["user-password", "us.password"], ["user-add", "us.add"]])
      $(id).textContent = say(k);
    for (const o of $("announce-hours").options) o.textContent = say("an.h" + o.value);
    for (const o of $("new-role").options) o.textContent = say("role." + o.value);
    if (me) {
      $("who").textContent = me.display;
      $("role").textContent = say("role." + me.role);
      $("role").dataset.role = me.role;
    }
  }

  // ---- the live hall
  function kpi(label, value, cls) {
    return el("div", { class: "kpi " + (cls || "") }, el("div", { class: "kpi-value", text: value }), el("div", { class: "kpi-label", text: label }));
  }
  function row(cells, head) {
    return el("tr", {}, ...cells.map((c) => el(head ? "th" : "td", typeof c === "object" && c && c.nodeType ? {} : { text: c }, typeof c === "object" && c && c.nodeType ? c : null)));
  }
  function renderLive(v) {
    const t = v.today;
    $("kpis").replaceChildren(kpi(say("kpi.issued"), t.issued), kpi(say("kpi.waiting"), t.waiting), kpi(say("kpi.served"), t.served),
      kpi(say("kpi.no_show"), t.no_show), kpi(say("kpi.wait"), minutes(t.mean_wait_ms)),
      kpi(say("kpi.good_today"), t.ratings ? percent(t.good_rate_today) : say("unknown"), "good"),
      kpi(say("kpi.good_month"), t.ratings_month ? percent(t.good_rate_month) : say("unknown"), "good"),
      kpi(say("kpi.bad"), t.bad_ratings, t.bad_ratings ? "bad" : ""));
    const now = v.hall.now_ms;
    $("windows").replaceChildren(row([say("col.window"), say("col.state"), say("col.staff"), say("col.ticket"), say("col.since")], true),
      ...v.windows.map((w) => {
        const tr = row([w.number + " · " + w.name, say("window." + w.state) + (w.pause_reason ? "（" + w.pause_reason + "）" : ""),
          w.staff_name || w.staff || say("unknown"), w.ticket ? w.ticket + " " + say("ticket." + w.ticket_state) : say("unknown"),
          w.ticket && w.since_ms ? minutes(now - w.since_ms) : say("unknown")]);
        tr.dataset.state = w.state;
        tr.id = "window-" + w.number;
        return tr;
      }));
    // The 预约 column: the waiting appointment tickets with their slot ("A012 10:30"), only where the hall takes bookings.
    const booked = (q) => (q.appointments || []).map((a) => a.ticket + " " + a.slot).join("，") || "—";
    $("queues").replaceChildren(row([say("col.category"), say("col.waiting"), say("col.open"), say("col.mean_wait"), say("col.p90_wait"), say("col.estimate"),
      ...(v.appointments ? [say("col.booked_waiting")] : [])], true),
      ...v.queues.map((q) => row([q.prefix + " · " + q.name, q.waiting, q.open_windows, minutes(q.mean_wait_ms), minutes(q.p90_wait_ms),
        minutes(q.estimated_wait_ms), ...(v.appointments ? [booked(q)] : [])])));
    // A 帮办 alert carries its buttons: go to the kiosk (the kiosk shows who), or mark the citizen helped.
    const helpAction = (id, action) => doing("/console/api/help", { id, action }, say(action === "take" ? "help.taken_flash" : "help.closed_flash"));
    const helpButtons = (a) => {
      const h = (v.helps || []).find((x) => x.id === a.subject);
      if (!h || !manager()) return [];
      return [h.state === "open" ? el("button", { class: "small", text: say("help.take"), "data-help": h.id, onclick: () => helpAction(h.id, "take") }) : null,
        el("button", { class: "small", text: say("help.close"), "data-help-close": h.id, onclick: () => helpAction(h.id, "close") })].filter(Boolean);
    };
    $("alerts").replaceChildren(...(v.alerts.length ? v.alerts.map((a) => el("li", { class: a.severe ? "severe" : "warn", "data-kind": a.kind },
      el("span", { text: a.text }), ...(a.kind === "help" ? helpButtons(a) : [])))
      : [el("li", { class: "calm", text: say("alerts.none") })]));
    // 预约 of today, by slot: the lane's tickets in the queue with their slot.
    const bookings = v.bookings || [];
    $("h-bookings").hidden = $("bookings").hidden = !v.appointments;
    $("h-bookings").textContent = say("h.bookings");
    $("bookings").replaceChildren(row([say("col.slot"), say("col.category"), say("col.booking_state"), say("col.ticket")], true),
      ...(bookings.length ? bookings.map((b) => row([b.slot, b.category_name, say("booking." + b.state) + (b.late ? " · " + say("booking.late") : ""),
        b.ticket ? b.ticket + (b.ticket_state ? " " + say("ticket." + b.ticket_state) : "") : say("unknown")]))
        : [row([say("bookings.none")])]));
    $("calls").replaceChildren(...(v.calls.length ? v.calls.map((c) => el("li", { text: clock(c.at_ms) + "  " + c.number + " → " + c.window + (c.recall ? " · " + say("recall") : "") }))
      : [el("li", { text: say("calls.none") })]));
  }

  // ---- 差评 follow-ups
  const nextState = { open: "called_back", called_back: "verified", verified: "rectified", rectified: "replied", replied: "closed" };
  function keepTyping(input) {
    input.value = notes[input.id] || "";
    input.addEventListener("input", () => (notes[input.id] = input.value));
    return input;
  }
  function followup(f) {
    const card = el("article", { class: "card followup " + (f.urgency || ""), "data-rating": f.key });
    const head = el("div", { class: "card-head" },
      el("span", { class: "level level-" + (f.level || 0), text: f.level ? say("level." + f.level) : "" }),
      el("span", { class: "state", text: say("fu.state." + f.state) }),
      f.urgency ? el("span", { class: "tag " + f.urgency, text: say("fu." + f.urgency + "_tag") }) : null,
      el("span", { class: "due", text: say("fu.due", { d: f.due_day }) }));
    card.append(head);
    card.append(el("div", { class: "meta", text: [say("fu.at", { w: f.window, s: f.staff_name || f.staff_id || "" }), f.ticket ? say("fu.ticket", { t: f.ticket }) : "",
      say("fu.rated", { d: f.rated_day || f.opened_day, c: say("channel." + (f.channel || "kiosk")) }), f.department].filter(Boolean).join(" · ") }));
    if ((f.reasons || []).length || f.comment) card.append(el("div", { class: "reasons", text: [...(f.reasons || []), f.comment].filter(Boolean).join("；") }));
    const steps = el("ol", { class: "history" });
    for (const h of f.history || []) steps.append(el("li", { text: stamp(h.at_ms) + " " + say("fu.state." + h.state) + (h.note ? "：" + h.note : "") }));
    card.append(steps);
    if (manager() && f.state !== "closed") {
      const note = keepTyping(el("input", { id: "note-" + f.key.replaceAll("/", "-"), class: "note", placeholder: say("fu.note"), maxlength: 200 }));
      const to = nextState[f.state];
      const go = el("button", { type: "button", class: "next", text: say("fu.next", { s: say("fu.state." + to) }), "data-to": to });
      go.addEventListener("click", async () => {
        if (!note.value.trim()) return note.focus();
        go.disabled = true;
        if (await doing("/console/api/followups/advance", { rating: f.key, to, note: note.value.trim() })) delete notes[note.id];
        go.disabled = false;
      });
      card.append(el("div", { class: "act" }, note, go));
    }
    return card;
  }
  function renderFollowups(v) {
    const f = v.followup_figures;
    $("followup-figures").replaceChildren(kpi(say("fu.total"), f.bad_total), kpi(say("fu.open"), f.open), kpi(say("fu.overdue"), f.overdue, f.overdue ? "bad" : ""),
      kpi(say("fu.due_soon"), f.due_soon, f.due_soon ? "warn" : ""), kpi(say("fu.rate"), f.bad_total ? percent(f.closed_rate) : say("unknown"), "good", "rate"));
    $("followup-figures").lastChild.id = "followup-rate";
    $("followups-open").replaceChildren(...(v.followups.open.length ? v.followups.open.map(followup) : [el("p", { class: "calm", text: say("fu.none") })]));
    $("followups-closed").replaceChildren(...v.followups.closed.map(followup));
  }

  // ---- complaints
  function complaint(c) {
    const card = el("article", { class: "card complaint " + c.state, "data-id": c.id });
    card.append(el("div", { class: "card-head" }, el("span", { class: "kind " + c.kind, text: say("cp.kind." + c.kind) }),
      el("span", { class: "state", text: say("cp." + c.state) }), el("span", { class: "due", text: stamp(c.at_ms) + (c.category_name ? " · " + c.category_name : "") })));
    card.append(el("div", { class: "reasons", text: [...(c.phrases || []), c.text].filter(Boolean).join("；") }));
    const phone = el("span", { class: "phone", text: c.phone ? say("cp.phone", { p: c.phone }) : say("cp.no_phone") });
    const meta = el("div", { class: "meta" }, phone);
    if (c.phone && manager()) {
      meta.append(el("button", { type: "button", class: "small", text: say("cp.show_phone"), onclick: async (e) => {
        const r = await fetch("/console/api/complaints/" + encodeURIComponent(c.id) + "/contact", { credentials: "same-origin" });
        const j = await r.json().catch(() => ({}));
        if (r.ok) { phone.textContent = say("cp.phone", { p: j.phone }); e.target.remove(); } else flash(say("failed", { e: j.error || r.status }), true);
      } }));
    }
    card.append(meta);
    if (c.state === "answered") card.append(el("div", { class: "answer", text: say("cp.answered_at", { a: c.answer }) }));
    else if (manager()) {
      const text = keepTyping(el("textarea", { id: "answer-" + c.id, class: "note", rows: 2, placeholder: say("cp.answer"), maxlength: 500 }));
      const go = el("button", { type: "button", class: "next", text: say("cp.send") });
      go.addEventListener("click", async () => {
        if (!text.value.trim()) return text.focus();
        go.disabled = true;
        if (await doing("/console/api/complaints/answer", { id: c.id, answer: text.value.trim() })) delete notes[text.id];
        go.disabled = false;
      });
      card.append(el("div", { class: "act" }, text, go));
    }
    return card;
  }
  function renderComplaints(v) {
    $("complaints").replaceChildren(...(v.complaints.length ? v.complaints.map(complaint) : [el("p", { class: "calm", text: say("cp.none") })]));
  }

  // ---- announcements
  function renderAnnouncements(v) {
    $("announcements").replaceChildren(...(v.announcements.length ? v.announcements.map((a) => el("article", { class: "card announcement", "data-id": a.id },
      el("div", { class: "reasons", text: a.text }),
      el("div", { class: "meta", text: stamp(a.posted_ms) + " · " + (a.until_ms ? say("an.until", { t: stamp(a.until_ms) }) : say("an.forever")) }),
      manager() ? el("button", { type: "button", class: "small", text: say("an.remove"), onclick: () => doing("/console/api/announcements/remove", { id: a.id }) }) : null))
      : [el("p", { class: "calm", text: say("an.none") })]));
  }

  // ---- screens
  function renderScreens(v) {
    const now = v.hall.now_ms;
    $("devices").replaceChildren(row([say("col.device"), say("col.kind"), say("col.state"), say("col.page"), say("col.input"), say("col.paper"), say("col.storage"), say("col.version"), ""], true),
      ...(v.devices.length ? v.devices.map((d) => {
        const silent = d.silent;
        const shot = manager() && d.screenshots ? el("button", { type: "button", class: "small", text: say("dev.shot"), onclick: () => screenshot(d) }) : "";
        const tr = row([d.id + (d.window ? " · " + d.window : ""), say("kind." + d.kind), silent ? say("dev.silent", { t: stamp(d.at_ms) }) : say("dev.online"),
          d.page || say("unknown"), d.last_input_ms ? minutes(now - d.last_input_ms) : say("unknown"), d.paper ? say("paper." + d.paper) : say("unknown"),
          say("storage." + (d.storage || "ok")), d.version || say("unknown"), shot]);
        tr.className = silent ? "silent" : "";
        tr.dataset.device = d.id;
        return tr;
      }) : [row([say("dev.none")])]));
  }
  async function screenshot(d) {
    $("shot").hidden = false;
    $("shot-title").textContent = say("dev.shot_wait");
    $("shot-img").removeAttribute("src");
    try {
      const j = await post("/console/api/devices/screenshot", { device: d.id });
      $("shot-title").textContent = say("dev.shot_title", { d: d.id, t: stamp(j.at_ms) });
      $("shot-img").src = "/console/api/devices/" + encodeURIComponent(d.id) + "/screenshot.png?at=" + j.at_ms;
    } catch (e) {
      $("shot-title").textContent = say("dev.shot_failed", { e: e.message });
    }
  }

  // ---- reports
  function reportLinks() {
    const from = $("from").value, to = $("to").value;
    for (const [id, fmt] of [["report-html", "html"], ["report-csv", "csv"], ["report-xlsx", "xlsx"]])
      $(id).href = "/console/report?from=" + from + "&to=" + to + "&format=" + fmt + "&lang=" + lang;
  }
  function setRange(from, to) {
    $("from").value = from;
    $("to").value = to;
    reportLinks();
  }

  // ---- users
  async function renderUsers() {
    if (!manager()) return;
    const r = await fetch("/console/api/users", { credentials: "same-origin" });
    if (!r.ok) return;
    const j = await r.json();
    $("users").replaceChildren(row([say("col.user"), say("col.display"), say("col.role"), ""], true),
      ...j.users.map((u) => row([u.name, u.display, say("role." + u.role), u.name === me.name ? "" :
        el("button", { type: "button", class: "small", text: say("us.remove"), onclick: async () => { if (await doing("/console/api/users/remove", { name: u.name })) renderUsers(); } })])));
  }

  // A part is drawn again only when its own data changed, so a note being
  // typed keeps its focus while the hall's queues move.
  let drawn = {};
  function part(name, data, draw) {
    const text = JSON.stringify(data);
    if (drawn[name] === text) return;
    drawn[name] = text;
    draw(view);
  }
  function render() {
    chrome();
    if (!view) return;
    $("hall").textContent = view.hall.name + " · " + say("title");
    $("stale").hidden = !view.hall.stale;
    $("stale").textContent = say("stale");
    const v = view;
    part("live", [v.today, v.windows, v.queues, v.alerts, v.helps, v.calls, v.bookings, v.appointments, Math.floor(v.hall.now_ms / 60e3)], renderLive);
    part("followups", [v.followups, v.followup_figures], renderFollowups);
    part("complaints", v.complaints, renderComplaints);
    part("announcements", v.announcements, renderAnnouncements);
    part("screens", [v.devices, Math.floor(v.hall.now_ms / 60e3)], renderScreens);
    if (!$("from").value) setRange(view.hall.day, view.hall.day);
  }

  function follow() {
    if (stream) stream.close();
    stream = new EventSource("/console/api/events");
    stream.addEventListener("view", (e) => {
      view = JSON.parse(e.data);
      render();
    });
    stream.addEventListener("signed_out", signedOut);
    stream.onerror = () => {  // the browser reconnects by itself; meanwhile ask now and then
      if (!polling) polling = setInterval(poll, 3000);
    };
    stream.onopen = () => {
      if (polling) clearInterval(polling), (polling = null);
    };
    poll();
  }
  async function poll() {
    const r = await fetch("/console/api/view", { credentials: "same-origin" }).catch(() => null);
    if (!r) return;
    if (r.status === 401) return signedOut();
    if (r.ok) {
      view = await r.json();
      render();
    }
  }

  function signedOut() {
    me = null;
    view = null;
    if (stream) stream.close(), (stream = null);
    if (polling) clearInterval(polling), (polling = null);
    $("sign-in").hidden = false;
    $("tabs").hidden = $("main").hidden = $("sign-out").hidden = true;
    $("who").textContent = $("role").textContent = "";
    chrome();
  }
  function signedIn(who) {
    me = who;
    $("sign-in").hidden = true;
    $("tabs").hidden = $("main").hidden = $("sign-out").hidden = false;
    chrome();
    follow();
    renderUsers();
  }

  $("sign-in-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("sign-in-error").textContent = "";
    const r = await fetch("/console/api/sign_in", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: $("name").value.trim(), password: $("password").value }),
    }).catch(() => null);
    const j = r ? await r.json().catch(() => ({})) : {};
    $("password").value = "";
    if (r && r.ok) return signedIn(j);
    $("sign-in-error").textContent = !r ? say("unreachable") : r.status === 429 ? say("sign_in.locked", { m: Math.ceil((j.retry_after_s || 60) / 60) })
      : r.status === 401 ? say("sign_in.wrong") : say("sign_in.failed", { e: j.error || r.status });
  });
  $("sign-out").addEventListener("click", async () => {
    await post("/console/api/sign_out").catch(() => null);
    signedOut();
  });
  $("lang").addEventListener("click", async () => {
    lang = lang === "en" ? "zh-CN" : "en";
    localStorage.setItem("lang", lang);
    await load();
    drawn = {};
    render();
    renderUsers();
    if ($("from").value) reportLinks();  // the report in the console's language
  });
  for (const b of document.querySelectorAll("#tabs button"))
    b.addEventListener("click", () => {
      tab = b.dataset.tab;
      history.replaceState(null, "", "#" + tab);
      render();
    });
  $("announce-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const hours = Number($("announce-hours").value);
    const body = { text: $("announce-text").value.trim() };
    if (hours > 0) body.hours = hours;
    if (await doing("/console/api/announcements", body)) $("announce-text").value = "";
  });
  $("user-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const ok = await doing("/console/api/users", { name: $("new-name").value.trim(), display: $("new-display").value.trim(),
      role: $("new-role").value, password: $("new-password").value });
    $("new-password").value = "";
    if (ok) renderUsers();
  });
  $("from").addEventListener("change", reportLinks);
  $("to").addEventListener("change", reportLinks);
  $("report-today").addEventListener("click", () => view && setRange(view.hall.day, view.hall.day));
  $("report-month").addEventListener("click", () => view && setRange(view.hall.day.slice(0, 8) + "01", view.hall.day));

  (async function start() {
    await load();
    chrome();
    const r = await fetch("/console/api/me", { credentials: "same-origin" }).catch(() => null);
    if (r && r.ok) signedIn(await r.json());
    else signedOut();
  })();
})();

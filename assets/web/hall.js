// A hall's public page: its queues now and, where the hall allows it, a
// ticket taken from the phone. The rules (share kept for people who come,
// one open ticket per number, what happens when late) are shown before the
// button, and the citizen ticks that they read them.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem("lang") === "en" ? "en" : "zh-CN";
  let words = {};
  let hall = null;
  let tryKey = "";  // one per attempt: a retried tap takes one ticket
  const say = (key, vars) => {
    let text = words[key] || key;
    for (const [k, v] of Object.entries(vars || {})) text = text.split("{" + k + "}").join(String(v));
    return text;
  };
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };

  function render() {
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    document.title = say("title");
    $("lang").textContent = say("lang.switch");
    $("queues-title").textContent = say("queues");
    $("remote-title").textContent = say("remote.title");
    $("category-label").textContent = say("remote.category");
    $("phone-label").textContent = say("remote.phone");
    $("accept-label").textContent = say("remote.accept");
    $("take").textContent = say("remote.take");
    $("footer").textContent = say("footer");
    if (!hall) return;
    $("hall").textContent = hall.hall.name;
    $("hours").textContent = say(hall.hall.open ? "hours.open" : "hours.closed", { o: hall.hall.opens, c: hall.hall.closes });
    $("queues").replaceChildren(...hall.categories.map((c) => {
      const li = el("li");
      li.append(el("span", c.name, "name"), el("span", say("waiting", { n: c.waiting }), "waiting"),
        el("span", c.estimated_wait_ms < 0 ? say("no_window") : say("estimate", { m: Math.max(1, Math.ceil(c.estimated_wait_ms / 60000)) }), "estimate"));
      return li;
    }));
    renderBooking();
    $("remote").hidden = !hall.remote;
    if (!hall.remote) return;
    const chosen = $("category").value;
    $("category").replaceChildren(...hall.categories.map((c) => {
      const o = el("option", c.remote ? say("remote.left", { name: c.name, n: c.left }) : c.name + " — " + say("why." + c.why_not));
      o.value = c.code;
      o.disabled = !c.remote;
      return o;
    }));
    if (chosen) $("category").value = chosen;
    $("rules").replaceChildren(...["rule.share", "rule.one", "rule.late", "rule.stop"].map((k) => el("p", say(k, { m: hall.stop_before_close_min }))));
    $("take").disabled = !hall.categories.some((c) => c.remote);
  }

  // 预约: category → day → the day's slots (asked of the hall) → phone → the booking's own page.
  let bookKey = "";
  function renderBooking() {
    const b = hall && hall.booking;
    $("book").hidden = !(b && b.enabled && b.categories.length);
    if ($("book").hidden) return;
    for (const [id, key] of [["book-title", "book.title"], ["book-category-label", "book.category"], ["book-day-label", "book.day"],
      ["book-slot-label", "book.slot"], ["book-phone-label", "remote.phone"], ["book-accept-label", "remote.accept"], ["book-go", "book.go"]])
      $(id).textContent = say(key);
    const keep = (sel, options) => {
      const was = sel.value;
      sel.replaceChildren(...options);
      if ([...sel.options].some((o) => o.value === was && !o.disabled)) sel.value = was;
    };
    keep($("book-category"), b.categories.map((c) => { const o = el("option", c.name); o.value = c.code; return o; }));
    keep($("book-day"), b.days.map((d) => { const o = el("option", d); o.value = d; return o; }));
    const r = b.rules;
    $("book-rules").replaceChildren(el("p", say("book.rules", { early: r.early_minutes, late: r.late_minutes, cancel: r.cancel_before_minutes,
      limit: r.no_show_limit, days: r.no_show_days, cool: r.cool_down_days })));
  }
  async function loadSlots() {
    if (!$("book-category").value || !$("book-day").value) return;
    const r = await fetch("/api/slots?category=" + encodeURIComponent($("book-category").value) + "&day=" + $("book-day").value, { cache: "no-store" });
    if (!r.ok) return;
    const j = await r.json();
    const was = $("book-slot").value;
    $("book-slot").replaceChildren(...j.slots.map((s) => {
      const o = el("option", s.slot + "  " + (s.open ? say("book.free", { n: s.free }) : say("book.slot." + s.why_not)));
      o.value = s.slot;
      o.disabled = !s.open;
      return o;
    }));
    const first = [...$("book-slot").options].find((o) => !o.disabled);
    $("book-slot").value = [...$("book-slot").options].some((o) => o.value === was && !o.disabled) ? was : first ? first.value : "";
  }
  $("book-category").addEventListener("change", loadSlots);
  $("book-day").addEventListener("change", loadSlots);
  $("book-phone").addEventListener("input", () => { bookKey = ""; });
  $("book").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!/^1[0-9]{10}$/.test($("book-phone").value)) { $("book-result").textContent = say("error.phone"); return; }
    if (!bookKey) bookKey = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
    $("book-go").disabled = true;
    try {
      const r = await fetch("/api/book", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": bookKey },
        body: JSON.stringify({ category: $("book-category").value, day: $("book-day").value, slot: $("book-slot").value,
          phone: $("book-phone").value, accepted_rule: $("book-accept").checked }),
      });
      const j = await r.json();
      if (r.ok) { location.href = j.link; return; }
      $("book-result").textContent = say("book.error." + j.error) + (j.error === "slot_full" && j.message ? "（" + j.message.split(":").pop().trim() + "）" : "");
      bookKey = "";
      loadSlots();
    } catch (e) {
      $("book-result").textContent = say("unreachable");
    }
    $("book-go").disabled = false;
  });

  async function load() {
    const r = await fetch("/web/strings/hall." + lang + ".json");
    words = await r.json();
    render();
  }
  async function refresh() {
    try {
      const r = await fetch("/api/hall", { cache: "no-store" });
      if (!r.ok) throw new Error(String(r.status));
      const first = !hall;
      hall = await r.json();
      if (first) setTimeout(loadSlots, 0);
      $("notice").hidden = !hall.stale;
      $("notice").textContent = say("stale");
    } catch (e) {
      $("notice").hidden = false;
      $("notice").textContent = say("unreachable");
      setTimeout(refresh, 3000);  // a gateway just started, or the hall away for a moment: ask again soon
    }
    render();
  }

  $("lang").addEventListener("click", () => {
    lang = lang === "en" ? "zh-CN" : "en";
    localStorage.setItem("lang", lang === "en" ? "en" : "zh");
    load();
  });
  $("phone").addEventListener("input", () => { tryKey = ""; });
  $("remote").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!/^1[0-9]{10}$/.test($("phone").value)) { $("result").textContent = say("error.phone"); return; }
    if (!tryKey) tryKey = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
    $("take").disabled = true;
    $("result").textContent = say("remote.taking");
    try {
      const r = await fetch("/api/remote_ticket", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": tryKey },
        body: JSON.stringify({ category: $("category").value, phone: $("phone").value, accepted_rule: $("accept").checked }),
      });
      const j = await r.json();
      if (r.ok) { location.href = j.link; return; }
      $("result").textContent = say("error." + (j.why_not || j.error));
      tryKey = "";
    } catch (e) {
      $("result").textContent = say("unreachable");
    }
    $("take").disabled = false;
    refresh();
  });
  load().then(refresh);
  setInterval(refresh, 15000);
})();

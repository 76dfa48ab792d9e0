// A booking's own page: its code (what the kiosk asks for), what and when,
// the rule for arriving, the materials to bring from the item's 办事指南, and
// a cancellation that needs the number it was booked with.
"use strict";
(function () {
  const code = location.pathname.split("/").filter(Boolean).pop() || "";
  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem("lang") === "en" ? "en" : "zh-CN";
  let words = {};
  let b = null;
  const say = (key, vars) => {
    let text = words[key] || key;
    for (const [k, v] of Object.entries(vars || {})) text = text.split("{" + k + "}").join(String(v));
    return text;
  };
  const el = (tag, text) => { const e = document.createElement(tag); e.textContent = text; return e; };
  function render() {
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    document.title = say("booking.title");
    $("lang").textContent = say("lang.switch");
    $("label").textContent = say("booking.code");
    $("materials-title").textContent = say("booking.materials");
    $("cancel-title").textContent = say("booking.cancel");
    $("cancel-phone-label").textContent = say("booking.cancel_phone");
    $("cancel-go").textContent = say("booking.cancel_go");
    $("footer").textContent = say("booking.footer");
    if (!b) return;
    $("hall").textContent = b.hall;
    $("code").textContent = b.code;
    $("what").textContent = b.item ? b.category + " · " + b.item : b.category;
    $("when").textContent = b.day + " " + b.slot;
    $("state").textContent = say("booking.state." + b.state);
    $("come").textContent = b.state === "booked" ? say("booking.come", { early: b.rules.early_minutes, late: b.rules.late_minutes }) : "";
    $("materials-box").hidden = !b.materials.length;
    $("materials").replaceChildren(...b.materials.map((m) => el("li", m.name + "（" + m.form + (m.copies > 1 ? " × " + m.copies : "") + "）")));
    $("where").textContent = b.where ? say("booking.where", { w: b.where }) : "";
    $("cancel").hidden = b.state !== "booked";
  }
  async function load() {
    words = await (await fetch("/web/strings/hall." + lang + ".json")).json();
    render();
  }
  async function refresh() {
    const r = await fetch("/api/booking/" + encodeURIComponent(code), { cache: "no-store" });
    if (r.ok) b = await r.json();
    else $("state").textContent = say(r.status === 404 ? "booking.unknown" : "unreachable");
    render();
  }
  $("lang").addEventListener("click", () => {
    lang = lang === "en" ? "zh-CN" : "en";
    localStorage.setItem("lang", lang === "en" ? "en" : "zh");
    load();
  });
  $("cancel").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await fetch("/api/booking/" + encodeURIComponent(code) + "/cancel", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ phone: $("cancel-phone").value }),
    });
    const j = await r.json();
    $("cancel-result").textContent = r.ok ? say("booking.cancelled") : say("booking.error." + j.error);
    refresh();
  });
  load().then(refresh);
  setInterval(refresh, 30000);
})();

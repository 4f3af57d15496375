// Svoi console: the live audience count while composing a broadcast, and a broadcast's live
// progress. Everything works without it (the forms post normally); it only adds live figures.
"use strict";

(function () {
  const compose = document.getElementById("compose");
  const count = document.getElementById("audience-count");
  const cost = document.getElementById("viber-cost");
  if (compose && count) {
    let timer = null;
    const refresh = async () => {
      const data = new FormData(compose);
      const audience = data.get("audience") || "everyone";
      const params = new URLSearchParams({ audience: audience });
      const value = data.get("value_" + audience);
      if (value) params.set("value", value);
      try {
        const response = await fetch(count.dataset.url + "?" + params.toString(), { credentials: "same-origin" });
        const body = await response.json();
        count.textContent = body.error || body.text;
        if (cost) cost.textContent = body.counts && body.counts.viber ? body.cost_text : "";
      } catch (error) {
        count.textContent = "";
      }
    };
    compose.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(refresh, 150); });
    refresh();
  }

  const panel = document.getElementById("progress");
  if (panel && panel.dataset.running === "true") {
    const set = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = value; };
    const bar = document.getElementById("bc-bar");
    const tick = async () => {
      try {
        const response = await fetch(panel.dataset.url, { credentials: "same-origin" });
        const p = await response.json();
        bar.max = Math.max(p.total, 1);
        bar.value = p.done;
        set("bc-done", p.done + " / " + p.total);
        set("bc-sent", p.sent);
        set("bc-blocked", p.blocked);
        set("bc-failed", p.failed);
        set("bc-waiting", p.waiting);
        set("bc-skipped", p.skipped);
        set("bc-status", p.status_text);
        panel.dataset.status = p.status;
        if (p.finished) {
          panel.dataset.running = "false";
          const cancel = document.getElementById("cancel-form");
          if (cancel) cancel.remove();
          return;
        }
      } catch (error) { /* try again on the next tick */ }
      setTimeout(tick, 1000);
    };
    setTimeout(tick, 500);
  }
})();

// Svoi console: a conversation with a resident shows their new messages as they come. The
// page works without it (the refresh link reloads it); it only adds the live transcript.
"use strict";

(function () {
  const list = document.getElementById("transcript");
  if (!list) return;
  const status = document.getElementById("handoff-status");
  const empty = document.getElementById("transcript-empty");
  const every = Math.max(Number(list.dataset.poll) || 5, 2) * 1000;
  const add = (message) => {
    const item = document.createElement("li");
    item.className = message.resident ? "from-resident" : "from-us";
    const who = document.createElement("strong");
    who.textContent = message.who;
    const text = document.createElement("p");
    text.className = "quote";
    text.textContent = message.text;
    item.append(who, " ", text);
    list.append(item);
  };
  const tick = async () => {
    try {
      const url = list.dataset.url + "?after=" + encodeURIComponent(list.dataset.after);
      const response = await fetch(url, { credentials: "same-origin" });
      const body = await response.json();
      for (const message of body.messages) {
        add(message);
        list.dataset.after = String(message.id);
      }
      if (body.messages.length && empty) empty.remove();
      if (status) status.textContent = body.status_text;
      if (body.status === "closed") return;
    } catch (error) { /* try again on the next tick */ }
    setTimeout(tick, every);
  };
  setTimeout(tick, every);
})();

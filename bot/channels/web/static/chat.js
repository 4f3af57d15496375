// Svoi web chat: sends the resident's actions as JSON, shows replies, and receives proactive
// messages over server-sent events (each one acknowledged once it is on the screen).
"use strict";

(function () {
  const main = document.getElementById("chat");
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const statusLine = document.getElementById("status");
  const strings = JSON.parse(main.dataset.strings || "{}");
  const STORE = "svoi-web-log";
  const SHOWN = "svoi-web-shown";
  const SAFE_URL = /^(https?:\/\/|\/(?!\/))/i;
  let busy = false;

  function t(key) { return strings[key] || key; }

  function actionId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function status(text, isError) {
    statusLine.textContent = text || "";
    statusLine.classList.toggle("error", Boolean(isError));
  }

  // --- the transcript survives a reload of the tab (sessionStorage, this tab only) ----
  function saved() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function save(entry) {
    const items = saved();
    items.push(entry);
    try { sessionStorage.setItem(STORE, JSON.stringify(items.slice(-100))); } catch (e) { /* full: keep going */ }
  }
  function shownIds() {
    try { return new Set(JSON.parse(sessionStorage.getItem(SHOWN) || "[]")); } catch (e) { return new Set(); }
  }
  function markShown(id) {
    const ids = Array.from(shownIds());
    ids.push(id);
    try { sessionStorage.setItem(SHOWN, JSON.stringify(ids.slice(-500))); } catch (e) { /* ignore */ }
  }

  // --- rendering -------------------------------------------------------------------
  function bubble(kind, label) {
    const item = document.createElement("li");
    item.className = "msg " + kind;
    item.tabIndex = -1;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = label;
    item.appendChild(who);
    return item;
  }

  function showYou(text) {
    const item = bubble("you", t("web-you"));
    const p = document.createElement("p");
    p.className = "text";
    p.textContent = text;
    item.appendChild(p);
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function retireOldButtons() {
    // The engine accepts only the last screen's buttons (and global "g:" actions, which
    // stay valid on proactive messages), so older screens' buttons are switched off.
    log.querySelectorAll("button[data-payload]").forEach((button) => {
      if (!button.dataset.payload.startsWith("g:")) button.disabled = true;
    });
    log.querySelectorAll(".request-button, .phone-form button, .phone-form input").forEach((el) => {
      el.disabled = true;
    });
  }

  function requestButton(request) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "request-button primary";
    button.textContent = request.label;
    if (request.request === "location") {
      button.addEventListener("click", () => shareLocation(button));
    } else {
      button.addEventListener("click", () => askPhone(button));
    }
    return button;
  }

  function showBot(message) {
    const item = bubble("bot", t("web-svoi"));
    const p = document.createElement("p");
    p.className = "text";
    p.textContent = message.text || "";
    item.appendChild(p);
    if (message.location) {
      const loc = message.location;
      const link = document.createElement("a");
      link.className = "attachment";
      link.href = "https://www.openstreetmap.org/?mlat=" + encodeURIComponent(loc.latitude) +
        "&mlon=" + encodeURIComponent(loc.longitude) + "#map=17/" + loc.latitude + "/" + loc.longitude;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = t("web-map-link") + (loc.title ? ": " + loc.title : "") + (loc.address ? ", " + loc.address : "");
      item.appendChild(link);
    }
    if (message.document && SAFE_URL.test(message.document.url)) {
      const link = document.createElement("a");
      link.className = "attachment";
      link.href = message.document.url;
      link.setAttribute("download", message.document.filename);
      link.textContent = t("web-download") + ": " + message.document.filename;
      item.appendChild(link);
    }
    const rows = message.buttons || [];
    const requests = message.requests || [];
    if (rows.length || requests.length) {
      const group = document.createElement("div");
      group.className = "buttons";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", (message.text || "").split("\n")[0].slice(0, 80));
      rows.forEach((row) => {
        const line = document.createElement("div");
        line.className = "row";
        row.forEach((spec) => {
          if (spec.url !== undefined) {
            if (!SAFE_URL.test(spec.url)) return;
            const link = document.createElement("a");
            link.className = "button-link";
            link.href = spec.url;
            link.target = "_blank";
            link.rel = "noopener noreferrer";
            link.textContent = spec.label;
            line.appendChild(link);
          } else {
            const button = document.createElement("button");
            button.type = "button";
            button.dataset.payload = spec.payload;
            button.textContent = spec.label;
            button.addEventListener("click", () => send({ type: "button", payload: spec.payload }, spec.label));
            line.appendChild(button);
          }
        });
        group.appendChild(line);
      });
      if (requests.length) {
        const line = document.createElement("div");
        line.className = "row";
        requests.forEach((request) => line.appendChild(requestButton(request)));
        group.appendChild(line);
      }
      item.appendChild(group);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function restore() {
    saved().forEach((entry) => {
      if (entry.who === "you") showYou(entry.text);
      else showBot(entry.message);
    });
    retireOldButtons();
    const last = log.lastElementChild;
    if (last) last.querySelectorAll("button[data-payload], .request-button").forEach((b) => { b.disabled = false; });
  }

  // --- actions -----------------------------------------------------------------------
  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const error = new Error("HTTP " + response.status);
      // Too many new chats from this address: say so, not "check your connection".
      if (response.status === 429) error.shown = t("web-too-many-new-chats");
      throw error;
    }
    return response.json();
  }

  // Actions go out one at a time, in order: what is typed while an answer is on its way
  // waits for it instead of being dropped.
  let queue = Promise.resolve();
  function send(action, echo, keepFocus) {
    action.id = actionId();
    if (echo) { showYou(echo); save({ who: "you", text: echo }); }
    queue = queue.then(() => deliver(action, keepFocus));
    return queue;
  }

  // A photo (for a report) goes as it is; the server checks it and strips its metadata.
  function sendPhoto(file) {
    const id = actionId();
    const echo = t("web-photo-sent");
    showYou(echo);
    save({ who: "you", text: echo });
    queue = queue.then(() => deliver(null, false, () => postPhoto(file, id)));
    return queue;
  }

  async function postPhoto(file, id) {
    const response = await fetch("/web/api/photo?id=" + encodeURIComponent(id), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": file.type || "application/octet-stream" },
      body: file,
    });
    if (!response.ok) {
      const error = new Error("HTTP " + response.status);
      if (response.status === 413) error.shown = t("web-photo-too-large");
      throw error;
    }
    return response.json();
  }

  async function deliver(action, keepFocus, poster) {
    busy = true;
    status(t("web-sending"));
    try {
      const answer = await (poster ? poster() : post("/web/api/send", action));
      status("");
      if (answer.messages.length) retireOldButtons();
      let first = null;
      answer.messages.forEach((message) => {
        const item = showBot(message);
        save({ who: "bot", message: message });
        if (!first) first = item;
      });
      // After a button press focus moves to the answer, so a screen reader reads it and the
      // next Tab reaches its buttons; after typing, focus stays in the text box.
      if (first && !keepFocus) first.focus();
    } catch (error) {
      status(error.shown || t("web-send-failed"), true);
    } finally {
      busy = false;
    }
  }

  function shareLocation(button) {
    if (!navigator.geolocation) { status(t("web-location-unsupported"), true); return; }
    status(t("web-location-asking"));
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        button.disabled = false;
        send({ type: "location", latitude: position.coords.latitude, longitude: position.coords.longitude }, t("web-location-sent"));
      },
      () => { button.disabled = false; status(t("web-location-denied"), true); },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
    );
  }

  function askPhone(button) {
    if (button.nextElementSibling && button.nextElementSibling.classList.contains("phone-form")) {
      button.nextElementSibling.querySelector("input").focus();
      return;
    }
    const phoneForm = document.createElement("form");
    phoneForm.className = "phone-form";
    const id = "phone-" + actionId().slice(0, 8);
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = t("web-phone-label");
    const field = document.createElement("input");
    field.type = "tel";
    field.id = id;
    field.autocomplete = "tel";
    field.required = true;
    const submit = document.createElement("button");
    submit.type = "submit";
    submit.textContent = t("web-phone-send");
    phoneForm.append(label, field, submit);
    phoneForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (field.value.trim()) send({ type: "contact", phone: field.value.trim() }, field.value.trim());
    });
    button.after(phoneForm);
    field.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ type: "text", text: text }, text, true);
    input.focus();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const photoInput = document.getElementById("photo");
  if (photoInput) {
    photoInput.addEventListener("change", () => {
      const file = photoInput.files && photoInput.files[0];
      photoInput.value = "";
      if (file) sendPhoto(file);
    });
  }
  form.querySelectorAll("button[data-command]").forEach((button) => {
    button.addEventListener("click", () => send({ type: "text", text: button.dataset.command }, button.textContent));
  });

  // --- proactive messages ----------------------------------------------------------------
  function listen() {
    const source = new EventSource("/web/api/events");
    source.onopen = () => {
      main.dataset.live = "true";
      // Clear "reconnecting…", not an error the resident has yet to read.
      if (statusLine.textContent === t("web-offline")) status("");
    };
    source.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (!shownIds().has(message.id)) {
        showBot(message);
        save({ who: "bot", message: message });
        markShown(message.id);
        status(t("web-new-messages"));
      }
      post("/web/api/ack", { ids: [message.id] }).catch(() => { /* resent on the next load */ });
    };
    source.onerror = () => { main.dataset.live = "false"; status(t("web-offline")); };
  }

  // A new visitor starts; a returning one (same cookie) sees this tab's transcript, or —
  // in a new tab, or after the browser dropped it — the menu: never an empty page.
  if (main.dataset.fresh === "true") {
    try { sessionStorage.removeItem(STORE); sessionStorage.removeItem(SHOWN); } catch (e) { /* ignore */ }
  }
  restore();
  listen();
  if (!saved().length) send({ type: main.dataset.fresh === "true" ? "start" : "resume" });
})();

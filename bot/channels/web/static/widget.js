// Svoi chat widget for the council's site:
//   <script src="https://svoi.example.org/web/widget.js" defer></script>
// adds a button that opens the chat in a frame; data-lang="en" on the script tag is the
// language the chat opens in for a visitor who has not chosen one (`hl=`: a hint; a
// resident's own choice in the chat wins).
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script) return;
  const origin = new URL(script.src).origin;
  const lang = script.dataset.lang === "en" ? "en" : "uk";
  const label = lang === "en" ? "Chat with Svoi" : "Чат «Свої»";
  const close = lang === "en" ? "Close the chat" : "Закрити чат";

  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.textContent = label;
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", "svoi-chat-frame");
  toggle.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:2147483000;" +
    "padding:.75rem 1.1rem;border-radius:2rem;border:2px solid #fff;background:#0b4f8a;" +
    "color:#fff;font:600 1rem system-ui,sans-serif;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)";

  const frame = document.createElement("iframe");
  frame.id = "svoi-chat-frame";
  frame.title = label;
  frame.hidden = true;
  frame.allow = "geolocation";
  frame.style.cssText = "position:fixed;right:1rem;bottom:4.5rem;z-index:2147483000;" +
    "width:min(24rem,calc(100vw - 2rem));height:min(36rem,calc(100vh - 6rem));" +
    "border:2px solid #0b4f8a;border-radius:.75rem;background:#fff";

  toggle.addEventListener("click", () => {
    const opening = frame.hidden;
    if (opening && !frame.src) frame.src = origin + "/?embed=1&hl=" + lang;
    frame.hidden = !opening;
    toggle.setAttribute("aria-expanded", String(opening));
    toggle.textContent = opening ? close : label;
    if (opening) frame.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !frame.hidden) { toggle.click(); toggle.focus(); }
  });
  document.body.append(frame, toggle);
})();

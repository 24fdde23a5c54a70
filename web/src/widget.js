/*
 * Web chat widget for the migrant-children assistant.
 *
 * Embed:  <div id="sipinna-chat"></div>
 *         <script src="https://YOUR-HOST/widget.js" data-socket-url="https://YOUR-RASA-HOST" defer></script>
 *
 * Everything the person and the bot write is put on the page with textContent, never as HTML.
 * Interface wording lives in web/locales/<lang>.json (bundled as LOCALES by tools/build_web.py).
 * The socket.io client (bundled before this file) is the only third-party code.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = {
    socketUrl: (script && script.dataset.socketUrl) || window.location.protocol + "//" + window.location.hostname + ":5005",
    target: (script && script.dataset.target) || "sipinna-chat",
    language: (script && script.dataset.language) || "es",
    storageKey: "sipinna-chat-v1",
    maxStored: 200,
  };
  var base = script ? script.src.replace(/[^/]*$/, "") : "";
  var SESSION_ID = /^[0-9a-f]{32}$/;
  var LINK = /(https?:\/\/[^\s<>"')]+)|((?:\+?52 )?\b\d{2,3}(?: \d{3,4}){2}\b(?: ext\. [\d, ]+\d)?)|(\b(?:911|0\d\d)\b)/g;

  // ---- state kept on this phone (see the privacy notice) -------------------------------------
  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(config.storageKey) || "null");
      if (saved && typeof saved === "object") return saved;
    } catch (e) { /* storage unavailable or corrupt: start fresh */ }
    return {};
  }
  var state = load();
  state.language = LOCALES[state.language] ? state.language : (LOCALES[config.language] ? config.language : "es");
  state.messages = Array.isArray(state.messages) ? state.messages : [];
  state.sessionId = SESSION_ID.test(state.sessionId || "") ? state.sessionId : null;

  function save() {
    state.messages = state.messages.slice(-config.maxStored);
    try { window.localStorage.setItem(config.storageKey, JSON.stringify(state)); } catch (e) { /* full or private mode */ }
  }
  function t(key) { return (LOCALES[state.language] || LOCALES.es)[key] || LOCALES.es[key] || key; }

  // ---- DOM helpers: text only --------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Appends `text` to `parent`, turning web addresses and phone numbers into links. */
  function appendLinked(parent, text) {
    var last = 0;
    String(text).replace(LINK, function (match, url, phone, shortCode, offset) {
      if (offset > last) parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var a;
      if (url) {
        a = el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url);
      } else {
        var number = (phone || shortCode).replace(/ ext\..*$/, "").replace(/[^\d+]/g, "");
        a = el("a", { href: "tel:" + number }, match);
      }
      parent.appendChild(a);
      last = offset + match.length;
      return match;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---- build the widget --------------------------------------------------------------------
  var host = document.getElementById(config.target);
  if (!host) { host = el("div", { id: config.target }); document.body.appendChild(host); }
  var css = el("link", { rel: "stylesheet", href: base + "widget.css" });
  document.head.appendChild(css);

  var root = el("section", { "class": "sc", "aria-labelledby": "sc-title" });
  var header = el("header", { "class": "sc-header" });
  var title = el("h1", { id: "sc-title", "class": "sc-title" });
  var tools = el("div", { "class": "sc-tools" });
  var langGroup = el("div", { "class": "sc-lang", role: "group" });
  var langButtons = {};
  Object.keys(LOCALES).sort(function (a, b) { return LOCALES[a].order - LOCALES[b].order; }).forEach(function (code) {
    var b = el("button", { type: "button", lang: code, "data-lang": code }, LOCALES[code].language_name);
    b.addEventListener("click", function () { setLanguage(code); });
    langButtons[code] = b;
    langGroup.appendChild(b);
  });
  var newButton = el("button", { type: "button", "class": "sc-new" });
  newButton.addEventListener("click", newConversation);
  tools.appendChild(langGroup);
  tools.appendChild(newButton);
  header.appendChild(title);
  header.appendChild(tools);

  var privacy = el("p", { "class": "sc-privacy" });
  var log = el("div", { "class": "sc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  var typing = el("p", { "class": "sc-typing", hidden: "" });
  var status = el("p", { "class": "sc-status", role: "status" });
  var form = el("form", { "class": "sc-form" });
  var label = el("label", { "for": "sc-input", "class": "sc-visually-hidden" });
  var input = el("textarea", { id: "sc-input", rows: "1", maxlength: "1000", autocomplete: "off" });
  var send = el("button", { type: "submit", "class": "sc-send" });
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  [header, privacy, log, typing, status, form].forEach(function (n) { root.appendChild(n); });
  host.appendChild(root);

  function renderChrome() {
    root.setAttribute("lang", state.language);
    title.textContent = t("title");
    langGroup.setAttribute("aria-label", t("language_label"));
    Object.keys(langButtons).forEach(function (code) {
      langButtons[code].setAttribute("aria-pressed", String(code === state.language));
    });
    newButton.textContent = t("new_conversation");
    privacy.textContent = t("privacy");
    log.setAttribute("aria-label", t("conversation"));
    typing.textContent = t("typing");
    label.textContent = t("input_label");
    input.setAttribute("placeholder", t("placeholder"));
    send.textContent = t("send");
  }

  // ---- messages ----------------------------------------------------------------------------
  function renderMessage(message) {
    var who = message.from === "user" ? "user" : "bot";
    var item = el("div", { "class": "sc-msg sc-" + who });
    item.appendChild(el("span", { "class": "sc-visually-hidden" }, t(who === "user" ? "you_said" : "bot_said")));
    var body = el("p", { "class": "sc-text" });
    if (who === "bot") appendLinked(body, message.text || ""); else body.textContent = message.text || "";
    item.appendChild(body);
    if (who === "bot" && message.buttons && message.buttons.length) {
      var group = el("div", { "class": "sc-buttons", role: "group" });
      message.buttons.forEach(function (button) {
        var b = el("button", { type: "button", "class": "sc-button" }, button.title);
        b.addEventListener("click", function () { sendMessage(button.payload, button.title); });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }
  function renderAll() {
    while (log.firstChild) log.removeChild(log.firstChild);
    state.messages.forEach(renderMessage);
    privacy.hidden = state.messages.length > 0;
  }
  function addMessage(message) {
    state.messages.push(message);
    privacy.hidden = true;
    save();
    renderMessage(message);
  }

  // ---- connection --------------------------------------------------------------------------
  var socket = io(config.socketUrl, { path: "/socket.io", transports: ["websocket", "polling"], reconnectionDelayMax: 10000 });
  var typingTimer = null;

  function setTyping(on) {
    typing.hidden = !on;
    window.clearTimeout(typingTimer);
    if (on) typingTimer = window.setTimeout(function () { typing.hidden = true; }, 20000);
  }
  socket.on("connect", function () {
    status.textContent = "";
    root.classList.remove("sc-offline");
    socket.emit("session_request", { session_id: state.sessionId });
  });
  socket.on("disconnect", function () {
    status.textContent = t("reconnecting");
    root.classList.add("sc-offline");
  });
  socket.on("connect_error", function () {
    status.textContent = t("reconnecting");
    root.classList.add("sc-offline");
  });
  socket.on("rate_limited", function () {
    setTyping(false);
    status.textContent = t("slow_down");
  });
  socket.on("session_confirm", function (sessionId) {
    var id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
    if (!SESSION_ID.test(id || "")) return;
    if (state.sessionId && state.sessionId !== id) { state.messages = []; renderAll(); }
    state.sessionId = id;
    save();
  });
  socket.on("bot_uttered", function (data) {
    setTyping(false);
    if (data && data.clear_transcript === true) {
      // "borra mis datos" was done on the server: erase this phone's copy too (the reply follows).
      state.messages = [];
      save();
      renderAll();
      return;
    }
    var buttons = (data.quick_replies || data.buttons || []).map(function (b) {
      return { title: String(b.title || ""), payload: String(b.payload || "") };
    });
    if (!data.text && !buttons.length) return;
    addMessage({ from: "bot", text: String(data.text || ""), buttons: buttons });
  });

  function sendMessage(text, shown) {
    var message = String(text || "").trim();
    if (!message) return;
    if (status.textContent === t("slow_down")) status.textContent = "";
    addMessage({ from: "user", text: shown || message });
    setTyping(true);
    socket.emit("user_uttered", {
      message: message,
      session_id: state.sessionId,
      metadata: { language: state.language },
    });
  }

  function setLanguage(code) {
    state.language = code;
    save();
    renderChrome();
  }

  function newConversation() {
    state.messages = [];
    state.sessionId = null;
    save();
    renderAll();
    socket.emit("session_request", { session_id: null });
    input.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    sendMessage(input.value);
    input.value = "";
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  renderChrome();
  renderAll();
})();

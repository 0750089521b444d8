// The WeRoBot simulator page, part 2: the input bar, the account menu and the "+" actions.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const { el, icon, send, addNote, bubble, image, scrollDown } = window.WeRoBotSimulator;
  let config = null;

  // -- what the user's side of the conversation shows ----------------------------------
  function locationCard(v) {
    return el("div", { className: "location" },
      el("div", { className: "loc-name", text: v.label || "Location" }),
      el("div", { className: "loc-coords", text: v.lat + ", " + v.lon }),
      el("div", { className: "map" }, icon("pin")));
  }

  function linkCard(v) {
    return el("div", { className: "card" }, el("div", { className: "card-title", text: v.title }),
      el("div", { className: "desc", text: v.url }));
  }

  // -- sheets: the "+" actions and small forms -------------------------------------------
  function closeSheet() {
    $("sheet").hidden = true;
    $("sheet").replaceChildren();
  }

  function openForm(title, fields, onSubmit) {
    const inputs = {};
    const form = el("form", { className: "form" }, el("h2", { text: title }));
    for (const field of fields) {
      inputs[field.name] = el("input", { name: field.name, value: field.value || "", "aria-label": field.label });
      form.append(el("label", { text: field.label }), inputs[field.name]);
    }
    form.append(el("div", { className: "row-buttons" },
      el("button", { type: "button", text: "Cancel", on: { click: closeSheet } }),
      el("button", { type: "submit", className: "send", text: "Send" })));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const values = {};
      for (const [name, input] of Object.entries(inputs)) values[name] = input.value.trim();
      closeSheet();
      onSubmit(values);
    });
    $("sheet").replaceChildren(form);
    $("sheet").hidden = false;
    scrollDown();
    const first = Object.values(inputs)[0];
    if (first) first.focus();
  }

  const LOCATION = [
    { name: "lat", label: "Latitude", value: "39.9087" },
    { name: "lon", label: "Longitude", value: "116.3975" },
    { name: "label", label: "Label", value: "Tiananmen Square, Beijing" },
  ];

  const ACTIONS = [
    ["pin", "Location", () => openForm("Send a location", LOCATION,
      (v) => send("location", [v.lat, v.lon, v.label], locationCard(v)))],
    ["image", "Image", () => $("file").click()],
    ["link", "Link", () => openForm("Share a link", [
      { name: "url", label: "URL", value: "https://example.com/" },
      { name: "title", label: "Title", value: "An article" }],
    (v) => send("link", [v.url, v.title], linkCard(v)))],
    ["mic", "Voice", () => openForm("Speak (WeChat's recognition text)", [
      { name: "text", label: "What you said", value: "hello" }],
    (v) => send("voice", [v.text], bubble(el("span", { className: "voice" }, icon("speaker"), " " + v.text))))],
    ["follow", "Subscribe", () => openForm("Follow the account", [
      { name: "scene", label: "QR code scene (optional)", value: "" }],
    (v) => send("subscribe", v.scene ? [v.scene] : [], null, "You followed " + config.name))],
    ["unfollow", "Unsubscribe", () => send("unsubscribe", [], null, "You unfollowed " + config.name)],
    ["scan", "Scan", () => openForm("Scan a parametric QR code", [
      { name: "scene", label: "Scene id", value: "123" }],
    (v) => send("scan", [v.scene], null, "You scanned the QR code of scene " + v.scene))],
  ];

  function openActions() {
    if (!$("sheet").hidden) return closeSheet();
    const grid = el("div", { className: "actions" });
    for (const [name, label, action] of ACTIONS) {
      grid.append(el("button", { type: "button", "aria-label": label, on: { click: () => { closeSheet(); action(); } } },
        el("span", null, icon(name)), label));
    }
    $("sheet").replaceChildren(grid);
    $("sheet").hidden = false;
    scrollDown();
  }

  async function sendImage(file) {
    const response = await fetch("/api/upload", { method: "POST", headers: { "Content-Type": file.type }, body: file });
    const data = await response.json();
    if (!response.ok) return addNote("Upload failed: " + data.error, "error");
    return send("image", [data.url], image(data.url, "sent-image"));
  }

  // -- the account menu ------------------------------------------------------------------
  function menuAction(b) {
    switch (b.type) {
      case "click": return send("click", [b.key]);
      case "view": return send("view", [b.url], null, el("span", null, "Opened ", el("a", { href: b.url, target: "_blank", rel: "noopener", text: b.url })));
      case "miniprogram": return send("view_miniprogram", [b.pagepath], null, "Opened the Mini Program page " + b.pagepath);
      case "scancode_push":
      case "scancode_waitmsg":
        return openForm("What the camera read", [{ name: "result", label: "Scan result", value: "https://example.com/qr" }],
          (v) => send(b.type, [b.key, v.result], null, "Scanned: " + v.result));
      case "pic_sysphoto":
      case "pic_photo_or_album":
      case "pic_weixin":
        return send(b.type, [b.key], null, "You sent a photo");
      case "location_select":
        return openForm("Choose a location", LOCATION, (v) => send("location_select", [b.key, v.lat, v.lon, v.label], locationCard(v)));
      default:
        return addNote("A " + b.type + " menu item: WeChat answers it itself; nothing is pushed.");
    }
  }

  function closeSubmenu() {
    $("submenu").hidden = true;
    $("submenu").replaceChildren();
  }

  function openSubmenu(button, subs) {
    const box = $("submenu");
    if (!box.hidden && box.dataset.owner === button.textContent) return closeSubmenu();
    box.dataset.owner = button.textContent;
    box.replaceChildren(...subs.map((sub) => el("button", { type: "button", text: sub.name, on: { click: () => { closeSubmenu(); menuAction(sub); } } })));
    box.hidden = false;
    const phone = button.closest(".phone").getBoundingClientRect();
    const rect = button.getBoundingClientRect();
    const width = box.getBoundingClientRect().width;
    const left = Math.min(Math.max(rect.left - phone.left + rect.width / 2 - width / 2, 6), phone.width - width - 6);
    box.style.left = left + "px";
  }

  function buildMenu(menu) {
    const nav = $("menu");
    for (const b of menu.button) {
      const subs = b.sub_button || [];
      const button = el("button", { type: "button", className: subs.length ? "has-sub" : "", text: b.name });
      button.addEventListener("click", () => (subs.length ? openSubmenu(button, subs) : (closeSubmenu(), menuAction(b))));
      nav.append(button);
    }
  }

  function showMenu(yes) {
    $("menu-mode").hidden = !yes;
    $("input-mode").hidden = yes;
    closeSubmenu();
    closeSheet();
    if (!yes) $("text").focus();
  }

  // -- the input bar ---------------------------------------------------------------------
  function sendText() {
    const text = $("text").value;
    if (!text.trim()) return;
    $("text").value = "";
    updateSend();
    send("text", [text], bubble(text));
  }

  function updateSend() {
    const typing = $("text").value.length > 0;
    $("send").hidden = !typing;
    $("plus").hidden = typing;
  }

  function setIcons() {
    $("to-menu").replaceChildren(icon("menu"));
    $("to-keyboard").replaceChildren(icon("keyboard"));
  }

  async function start() {
    setIcons();
    config = await (await fetch("/api/config")).json();
    $("title").textContent = config.name;
    document.title = config.name + " · WeRoBot simulator";
    $("target").textContent = config.target;
    $("mode").textContent = config.mode;
    $("mode").classList.toggle("plaintext", config.mode === "plaintext");
    $("text").addEventListener("input", updateSend);
    $("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.isComposing) sendText(); });
    $("send").addEventListener("click", sendText);
    $("plus").addEventListener("click", openActions);
    $("file").addEventListener("change", () => { const f = $("file").files[0]; $("file").value = ""; if (f) sendImage(f); });
    if (config.menu && config.menu.button && config.menu.button.length) {
      buildMenu(config.menu);
      $("to-menu").hidden = false;
      $("to-menu").addEventListener("click", () => showMenu(true));
      $("to-keyboard").addEventListener("click", () => showMenu(false));
      showMenu(true);
    }
    document.body.dataset.ready = "true";
  }

  start();
})();

// The WeRoBot simulator page, part 1: the conversation and the raw exchanges panel.
// No build step: plain DOM code. Every push goes through the simulator server (/api/send),
// which signs it (and encrypts it in safe mode) and forwards it to the robot.
// Part 2 (controls.js) wires the input bar, the menu and the actions to send().
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const FAILED = "该公众号提供的服务出现故障，请稍后再试";
  const state = { config: null, lastShown: 0, count: 0 };

  // -- small DOM helpers ---------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key === "on") Object.entries(value).forEach(([ev, fn]) => node.addEventListener(ev, fn));
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // Line icons (24x24, stroked), so the page needs no emoji or icon font.
  const ICONS = {
    robot: "M5 8h14v11H5zM12 4v4M9.5 13h.01M14.5 13h.01M9 16.5h6",
    pin: "M12 21s7-6.2 7-11.5a7 7 0 1 0-14 0C5 14.8 12 21 12 21zM12 12a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z",
    image: "M3 5h18v14H3zM3 16l5-5 4 4 3-3 6 6M8.5 9.5h.01",
    link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
    mic: "M9 6a3 3 0 0 1 6 0v5a3 3 0 0 1-6 0zM5 11a7 7 0 0 0 14 0M12 18v3",
    follow: "M9 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-6 7-6s7 2 7 6M19 8v6M16 11h6",
    unfollow: "M9 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-6 7-6s7 2 7 6M16 11h6",
    scan: "M4 8V4h4M16 4h4v4M20 16v4h-4M8 20H4v-4M4 12h16",
    keyboard: "M2 6h20v12H2zM6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10",
    menu: "M4 7h16M4 12h16M4 17h16",
    music: "M9 18V5l10-2v13M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0zM19 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0z",
    play: "M8 5v14l11-7z",
    speaker: "M4 9v6h4l5 4V5L8 9zM16 9a4 4 0 0 1 0 6",
  };

  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "svg-icon");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function safeUrl(url, allowDataImage) {
    if (!url) return null;
    if (allowDataImage && /^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/i.test(url)) return url;
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function image(url, className) {
    const src = safeUrl(url, true);
    if (!src) return el("div", { className });
    const img = el("img", { className, src, alt: "" });
    img.addEventListener("error", () => img.replaceWith(el("div", { className })));
    img.addEventListener("load", scrollDown);
    return img;
  }

  // WeChat shows <a href="...">text</a> inside a text reply as a link; everything else is text.
  function richText(text) {
    const fragment = document.createDocumentFragment();
    const pattern = /<a\s+href=(["'])(.*?)\1\s*>(.*?)<\/a>/gis;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      fragment.append(text.slice(last, match.index));
      const href = safeUrl(match[2], false);
      fragment.append(href ? el("a", { href, target: "_blank", rel: "noopener", text: match[3] }) : match[0]);
      last = match.index + match[0].length;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  // -- the conversation ------------------------------------------------------------------
  function scrollDown() {
    const box = $("messages");
    box.scrollTop = box.scrollHeight;
  }

  function addTime() {
    const now = Date.now();
    if (now - state.lastShown > 3 * 60 * 1000) {
      const time = new Date(now).toTimeString().slice(0, 5);
      $("messages").append(el("div", { className: "time", text: time }));
    }
    state.lastShown = now;
  }

  function addMessage(side, content) {
    addTime();
    const avatar = side === "me" ? el("div", { className: "avatar me", text: "Me" }) : el("div", { className: "avatar bot" }, icon("robot"));
    const row = side === "me" ? el("div", { className: "msg me" }, content, avatar) : el("div", { className: "msg bot" }, avatar, content);
    $("messages").append(row);
    scrollDown();
  }

  function addNote(content, className) {
    $("messages").append(el("div", { className: "note " + (className || "") }, content));
    scrollDown();
  }

  function bubble(content) {
    return el("div", { className: "bubble" }, content);
  }

  function newsCard(articles) {
    const [first, ...rest] = articles;
    if (!first) return null;
    if (rest.length === 0) {
      return el("a", { className: "card news", href: safeUrl(first.url) || "#", target: "_blank", rel: "noopener" },
        el("div", { className: "card-title", text: first.title }),
        image(first.img, "cover"),
        first.description ? el("div", { className: "desc", text: first.description }) : null,
        el("div", { className: "more-link" }, el("span", { text: "Read more" }), el("span", { text: "›" })));
    }
    const card = el("div", { className: "card news news-multi" },
      el("a", { className: "lead", href: safeUrl(first.url) || "#", target: "_blank", rel: "noopener" },
        image(first.img, "cover"), el("div", { className: "card-title", text: first.title })));
    for (const article of rest) {
      card.append(el("a", { className: "row", href: safeUrl(article.url) || "#", target: "_blank", rel: "noopener" },
        el("span", { text: article.title }), image(article.img, "")));
    }
    return card;
  }

  function musicCard(fields) {
    return el("a", { className: "card", href: safeUrl(fields.hq_url || fields.url) || "#", target: "_blank", rel: "noopener" },
      el("div", { className: "music" },
        el("div", { className: "music-text" },
          el("div", { className: "music-title", text: fields.title }),
          el("div", { className: "music-desc", text: fields.description })),
        el("div", { className: "music-icon" }, icon("music"))),
      el("div", { className: "card-foot", text: "Music" }));
  }

  function mediaBox(name, label, detail) {
    return el("div", { className: "media" }, el("div", { className: "media-icon" }, icon(name)),
      el("div", { text: label }), el("div", { text: detail }));
  }

  function renderReply(reply) {
    if (!reply) return null;
    const f = reply.fields;
    switch (reply.kind) {
      case "text": return bubble(richText(f.content || ""));
      case "news": return newsCard(f.articles || []);
      case "music": return musicCard(f);
      case "image": return mediaBox("image", "image", f.media_id);
      case "voice": return bubble(el("span", { className: "voice" }, icon("speaker"), " voice · " + f.media_id));
      case "video": return mediaBox("play", f.title || "video", f.media_id);
      default: return null;
    }
  }

  function showReply(data) {
    if (data.error) {
      addNote(FAILED, "error");
      addNote("(" + data.error + ")", "error");
      return;
    }
    const reply = data.reply;
    if (reply && reply.kind === "transfer_customer_service") {
      addNote("Transferred to customer service" + (reply.fields.account ? " (" + reply.fields.account + ")" : ""));
      return;
    }
    const node = renderReply(reply);
    if (node) addMessage("bot", node);
  }

  // -- the raw exchanges panel -----------------------------------------------------------
  function prettyXml(xml) {
    if (!xml || !xml.trim().startsWith("<")) return xml || "(empty)";
    const doc = new DOMParser().parseFromString(xml, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) return xml;
    const serializer = new XMLSerializer();
    const lines = [];
    (function walk(node, depth) {
      const pad = "  ".repeat(depth);
      const elements = Array.from(node.childNodes).filter((c) => c.nodeType === Node.ELEMENT_NODE);
      if (elements.length === 0) {
        lines.push(pad + serializer.serializeToString(node));
        return;
      }
      lines.push(pad + "<" + node.nodeName + ">");
      elements.forEach((child) => walk(child, depth + 1));
      lines.push(pad + "</" + node.nodeName + ">");
    })(doc.documentElement, 0);
    return lines.join("\n");
  }

  function logEntry(kind, args) {
    state.count += 1;
    document.querySelectorAll("#log details").forEach((d) => { d.open = false; });
    const summary = el("summary", null, el("b", { text: "#" + state.count + " " + kind }), " " + args.join(" ") + " · ",
      el("span", { className: "latency", text: "sending…" }));
    const entry = el("details", { className: "entry", open: "" }, summary);
    $("log").prepend(entry);
    return entry;
  }

  function section(entry, title, text) {
    entry.append(el("h3", { text: title }), el("pre", { text: prettyXml(text) }));
  }

  function fillEntry(entry, data) {
    const summary = entry.querySelector("summary");
    summary.querySelector(".latency").remove();
    const ok = data.status === 200 && !data.error;
    summary.append(el("span", { className: ok ? "status-ok" : "status-bad", text: String(data.status ?? "no answer") }),
      " · ", el("span", { className: "latency", text: data.latency_ms + " ms" }));
    section(entry, "→ push (plaintext)", data.request_xml);
    if (data.sent) section(entry, "→ body as sent (encrypted)", data.sent);
    if (data.status !== null) section(entry, "← body as received", data.body);
    if (data.encrypted_reply) section(entry, "← reply (decrypted, MsgSignature verified)", data.reply_xml);
    for (const problem of [data.error, ...data.notes].filter(Boolean)) {
      entry.append(el("div", { className: "problem", text: "⚠ " + problem }));
    }
  }

  async function send(kind, args, mine, note) {
    if (mine) addMessage("me", mine);
    if (note) addNote(note);
    const entry = logEntry(kind, args);
    let data;
    try {
      const response = await fetch("/api/send", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ kind, args }),
      });
      data = await response.json();
      if (!response.ok) throw new Error(data.error || "HTTP " + response.status);
    } catch (error) {
      entry.querySelector(".latency").textContent = "simulator error";
      addNote("Simulator error: " + error.message, "error");
      return;
    }
    fillEntry(entry, data);
    showReply(data);
  }

  window.WeRoBotSimulator = { el, icon, send, addNote, bubble, image, safeUrl, scrollDown };
})();

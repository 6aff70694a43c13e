// The script of the double's admin page: the parent side of the message protocol with the
// App Bridge stand-in (see app-bridge-stand-in.ts). It only accepts messages from the app's
// origin and its own iframe, and only posts to the app's origin.

export const ADMIN_HOST_JS = String.raw`(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("double-config").textContent);
  var frame = document.getElementById("app-frame");
  var navList = document.getElementById("app-nav");
  var appLink = document.getElementById("app-home");
  var titleEl = document.getElementById("app-title");
  var loadingEl = document.getElementById("loading-bar");
  var toastsEl = document.getElementById("toasts");
  var homeHref = null;

  function send(message) {
    message.source = cfg.source;
    frame.contentWindow.postMessage(message, cfg.appOrigin);
  }

  function adminHref(appHref) {
    return cfg.adminBase + (appHref.charAt(0) === "/" ? appHref : "/" + appHref);
  }

  function requestNavigation(event, href) {
    event.preventDefault();
    send({ type: "navigate", href: href });
  }

  function renderNav(items, home) {
    homeHref = home;
    appLink.setAttribute("href", adminHref(home || "/"));
    navList.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.textContent = item.label;
      a.setAttribute("href", adminHref(item.href));
      a.setAttribute("data-app-href", item.href);
      a.addEventListener("click", function (event) { requestNavigation(event, item.href); });
      li.appendChild(a);
      navList.appendChild(li);
    });
    markActive(location.pathname.slice(cfg.adminBase.length) || "/");
  }

  function markActive(path) {
    var links = navList.querySelectorAll("a[data-app-href]");
    var best = null;
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("data-app-href").split("?")[0];
      if (path === href || path.indexOf(href + "/") === 0) {
        if (!best || href.length > best.getAttribute("data-app-href").length) best = links[i];
      }
      links[i].removeAttribute("aria-current");
    }
    if (best) best.setAttribute("aria-current", "page");
  }

  function showToast(message) {
    var el = document.createElement("div");
    el.className = "toast" + (message.isError ? " toast-error" : "");
    el.setAttribute("role", "status");
    el.setAttribute("data-toast-id", String(message.id || ""));
    el.textContent = String(message.message || "");
    toastsEl.appendChild(el);
    setTimeout(function () { el.remove(); }, Math.min(Number(message.duration) || 5000, 60000));
  }

  function hideToast(id) {
    var els = toastsEl.querySelectorAll(".toast");
    for (var i = 0; i < els.length; i++) if (els[i].getAttribute("data-toast-id") === String(id)) els[i].remove();
  }

  function navigateTop(raw) {
    var url;
    try { url = new URL(String(raw), cfg.appOrigin); } catch (e) { return; }
    if (url.protocol !== "http:" && url.protocol !== "https:") return;
    if (url.origin === "https://admin.shopify.com") {
      var match = /^\/store\/[^/]+\/apps\/([^/]+)(\/.*)?$/.exec(url.pathname);
      if (match && match[1] === cfg.apiKey) {
        location.assign(cfg.adminBase + (match[2] || "") + url.search);
      } else {
        showToast({ message: "That Shopify admin page is not part of the local Shopify double", isError: true });
      }
      return;
    }
    location.assign(url.toString());
  }

  function fetchSessionToken(requestId) {
    fetch("/admin-host/session-token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: cfg.shop }),
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) throw new Error("session token request failed with HTTP " + response.status);
        return response.json();
      })
      .then(
        function (body) { send({ type: "session-token:response", requestId: requestId, token: body.token }); },
        function (error) { send({ type: "session-token:response", requestId: requestId, error: error.message }); }
      );
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== cfg.appOrigin || event.source !== frame.contentWindow) return;
    var message = event.data;
    if (!message || message.source !== cfg.source) return;
    switch (message.type) {
      case "session-token:request": fetchSessionToken(message.requestId); break;
      case "toast:show": showToast(message); break;
      case "toast:hide": hideToast(message.id); break;
      case "loading": loadingEl.hidden = !message.isLoading; break;
      case "nav:update": renderNav(Array.isArray(message.items) ? message.items : [], message.home || null); break;
      case "title:update": titleEl.textContent = String(message.title || ""); break;
      case "location:changed":
        if (typeof message.path === "string" && message.path.charAt(0) === "/") {
          history.replaceState(null, "", adminHref(message.path));
          markActive(message.path.split("?")[0].split("#")[0]);
        }
        break;
      case "navigate:top": navigateTop(message.url); break;
      case "ready": break;
    }
  });

  appLink.addEventListener("click", function (event) { requestNavigation(event, homeHref || "/"); });
})();
`;

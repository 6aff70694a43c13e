// The App Bridge stand-in served at GET /app-bridge.js, loaded by the app instead of
// Shopify's CDN script. Plain ES2017, no build step. It talks to the double's admin page
// (admin-host.ts) with window.postMessage; see MESSAGE_SOURCE and the protocol in README.md.
//
// The parent origin is the origin this script was served from (the double serves both),
// which stays right after in-frame navigations, unlike document.referrer.

import { UI_ELEMENTS_JS } from "./app-bridge-elements";

export const MESSAGE_SOURCE = "kinship-shopify-double";

export const APP_BRIDGE_STAND_IN_JS = String.raw`/* App Bridge stand-in of the local Shopify double (Kinship). Not Shopify's App Bridge. */
(function () {
  "use strict";
  if (window.shopify && window.shopify.__localShopifyDouble) return;

  var SOURCE = "${MESSAGE_SOURCE}";
  var SHOPIFY_PARAMS = ["embedded", "hmac", "host", "id_token", "locale", "session", "shop", "timestamp"];
  var script = document.currentScript || document.querySelector('script[src*="app-bridge.js"]');
  var scriptUrl = new URL(script && script.src ? script.src : location.href, location.href);
  var parentOrigin = (script && script.getAttribute("data-parent-origin")) || scriptUrl.origin;
  var apiKey = (script && script.getAttribute("data-api-key")) || "";
  var params = new URLSearchParams(location.search);
  var host = params.get("host") || "";
  var shop = params.get("shop") || shopFromHost(host);
  var framed = window.top !== window.self;

  function shopFromHost(value) {
    try {
      var match = /\/store\/([^/?#]+)/.exec(atob(value));
      return match ? match[1] + ".myshopify.com" : "";
    } catch (e) {
      return "";
    }
  }

  /** The app path without the parameters Shopify admin adds. */
  function appPath(href) {
    var url = new URL(href || location.href, location.href);
    SHOPIFY_PARAMS.forEach(function (name) { url.searchParams.delete(name); });
    var query = url.searchParams.toString();
    return url.pathname + (query ? "?" + query : "") + url.hash;
  }

  // ---- messaging -------------------------------------------------------------------------
  var pending = {};
  var sequence = 0;

  function post(type, data) {
    if (!framed) return;
    var message = { source: SOURCE, type: type };
    for (var key in data || {}) message[key] = data[key];
    window.parent.postMessage(message, parentOrigin);
  }

  function request(type, data, timeoutMs) {
    return new Promise(function (resolve, reject) {
      var requestId = "req-" + ++sequence + "-" + Date.now();
      var timer = setTimeout(function () {
        delete pending[requestId];
        reject(new Error("Timed out waiting for the Shopify admin to answer " + type));
      }, timeoutMs);
      pending[requestId] = { resolve: resolve, reject: reject, timer: timer };
      var payload = { requestId: requestId };
      for (var key in data || {}) payload[key] = data[key];
      post(type, payload);
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    var message = event.data;
    if (!message || message.source !== SOURCE) return;
    if (message.requestId && pending[message.requestId]) {
      var waiter = pending[message.requestId];
      delete pending[message.requestId];
      clearTimeout(waiter.timer);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message);
      return;
    }
    if (message.type === "navigate" && typeof message.href === "string") navigate(message.href);
  });

  // ---- session tokens --------------------------------------------------------------------
  var cachedToken = null;
  var cachedExpiry = 0;
  var inflight = null;

  function expiryOf(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(part)).exp * 1000;
    } catch (e) {
      return 0;
    }
  }

  function idToken(fresh) {
    if (!framed) return Promise.reject(new Error("shopify.idToken() needs the app to be embedded in the Shopify admin"));
    if (!fresh && cachedToken && cachedExpiry - Date.now() > 10000) return Promise.resolve(cachedToken);
    if (!inflight) {
      inflight = request("session-token:request", {}, 10000).then(
        function (message) {
          inflight = null;
          cachedToken = message.token;
          cachedExpiry = expiryOf(message.token);
          return message.token;
        },
        function (error) {
          inflight = null;
          throw error;
        }
      );
    }
    return inflight;
  }

  // ---- top-level navigation ----------------------------------------------------------------
  function navigateTop(url) {
    if (framed) post("navigate:top", { url: String(url) });
    else location.assign(String(url));
  }

  var originalOpen = window.open;
  window.open = function (url, target, features) {
    if (framed && (target === "_top" || target === "_parent")) {
      navigateTop(new URL(String(url), location.href).toString());
      return null;
    }
    return originalOpen.call(window, url, target, features);
  };

  // ---- fetch: same-origin requests carry a fresh session token (as App Bridge does) ---------
  var originalFetch = window.fetch;
  function withToken(req, token) {
    var headers = new Headers(req.headers);
    headers.set("Authorization", "Bearer " + token);
    return new Request(req, { headers: headers });
  }
  window.fetch = function (input, init) {
    var req = new Request(input, init);
    if (!framed || new URL(req.url).origin !== location.origin || req.headers.has("Authorization")) {
      return originalFetch.call(window, req);
    }
    var spare = req.clone();
    return idToken(false)
      .then(function (token) { return originalFetch.call(window, withToken(req, token)); })
      .then(function (response) {
        var reauthorize = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
        if (reauthorize) navigateTop(new URL(reauthorize, location.href).toString());
        if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
          return idToken(true).then(function (token) { return originalFetch.call(window, withToken(spare, token)); });
        }
        return response;
      });
  };

  // ---- the global ---------------------------------------------------------------------------
  var toastSequence = 0;
  function elementById(tag, id) {
    var element = document.getElementById(id);
    return element && element.tagName.toLowerCase() === tag ? element : null;
  }
  window.shopify = {
    __localShopifyDouble: true,
    config: { apiKey: apiKey, shop: shop, host: host, locale: params.get("locale") || "en" },
    environment: { embedded: framed, mobile: false, pos: false },
    origin: parentOrigin,
    idToken: function () { return idToken(false); },
    toast: {
      show: function (message, options) {
        var id = "toast-" + ++toastSequence;
        options = options || {};
        post("toast:show", { id: id, message: String(message), isError: !!options.isError, duration: options.duration || 5000 });
        return id;
      },
      hide: function (id) { post("toast:hide", { id: id }); }
    },
    loading: function (isLoading) { post("loading", { isLoading: isLoading !== false }); },
    modal: {
      show: function (id) { var m = elementById("ui-modal", id); if (m) m.show(); return Promise.resolve(); },
      hide: function (id) { var m = elementById("ui-modal", id); if (m) m.hide(); return Promise.resolve(); },
      toggle: function (id) { var m = elementById("ui-modal", id); if (m) m.toggle(); return Promise.resolve(); }
    },
    saveBar: {
      show: function (id) { var s = elementById("ui-save-bar", id); if (s) s.show(); return Promise.resolve(); },
      hide: function (id) { var s = elementById("ui-save-bar", id); if (s) s.hide(); return Promise.resolve(); },
      toggle: function (id) { var s = elementById("ui-save-bar", id); if (s) s.toggle(); return Promise.resolve(); }
    },
    resourcePicker: function () { return Promise.reject(new Error("The resource picker is not available in the local Shopify double")); }
  };

${UI_ELEMENTS_JS}
  // ---- navigation menu, title and location sync ------------------------------------------------
  var lastNav = "";
  var lastTitle = null;
  var lastPath = null;
  var syncScheduled = false;

  function sync() {
    syncScheduled = false;
    var items = [];
    var home = null;
    var links = document.querySelectorAll("ui-nav-menu a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if ((links[i].getAttribute("rel") || "").split(/\s+/).indexOf("home") >= 0) {
        if (home === null) home = href;
      } else {
        items.push({ label: (links[i].textContent || "").trim(), href: href });
      }
    }
    var nav = JSON.stringify({ items: items, home: home });
    if (nav !== lastNav) {
      lastNav = nav;
      post("nav:update", { items: items, home: home });
    }
    var title = "";
    var titleBars = document.querySelectorAll("ui-title-bar");
    for (var t = 0; t < titleBars.length; t++) {
      if (!titleBars[t].closest("ui-modal")) {
        title = titleBars[t].getAttribute("title") || "";
        break;
      }
    }
    if (title !== lastTitle) {
      lastTitle = title;
      post("title:update", { title: title });
    }
    var path = appPath();
    if (path !== lastPath) {
      lastPath = path;
      post("location:changed", { path: path });
    }
  }
  function scheduleSync() {
    if (syncScheduled) return;
    syncScheduled = true;
    setTimeout(sync, 0);
  }

  function navigate(href) {
    var target = null;
    var links = document.querySelectorAll("ui-nav-menu a[href]");
    for (var i = 0; i < links.length; i++) if (links[i].getAttribute("href") === href) target = links[i];
    var temporary = null;
    if (!target) {
      temporary = document.createElement("a");
      temporary.setAttribute("href", href);
      temporary.style.display = "none";
      document.body.appendChild(temporary);
      target = temporary;
    }
    // The Remix AppProvider listens for this event and navigates to the element's href.
    target.dispatchEvent(new Event("shopify:navigate", { bubbles: true }));
    if (temporary) temporary.remove();
  }

  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(history, arguments);
      scheduleSync();
      return result;
    };
  });
  window.addEventListener("popstate", scheduleSync);

  // ---- start ----------------------------------------------------------------------------------
  var reloadParam = params.get("shopify-reload");
  if (!framed) {
    // Opened outside the admin: go to the admin page that frames this app, as App Bridge does.
    if (shop && apiKey) {
      var path = appPath();
      if (reloadParam) {
        try { path = appPath(reloadParam); } catch (e) { /* keep the current path */ }
      }
      var handle = shop.replace(/\.myshopify\.com$/, "");
      location.replace(parentOrigin + "/store/" + encodeURIComponent(handle) + "/apps/" + encodeURIComponent(apiKey) + path);
    }
    return;
  }

  if (reloadParam) {
    // Session-token bounce page: come back to shopify-reload with a fresh id_token.
    idToken(true).then(function (token) {
      var target = new URL(reloadParam, location.href);
      if (target.origin !== location.origin) throw new Error("shopify-reload must stay on the app's origin");
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    }).catch(function (error) {
      console.warn("[local Shopify double] session-token bounce failed: " + error.message);
    });
  }

  new MutationObserver(scheduleSync).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, characterData: true
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scheduleSync);
  scheduleSync();
  post("ready", { path: appPath() });
})();
`;

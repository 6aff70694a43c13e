/* global document, fetch */
// Kinship loyalty launcher: a button that opens a panel with the shopper's points, tier,
// rewards, referral link and birthday, from the app proxy (/apps/kinship/loyalty…), and the
// products picked for them (/apps/kinship/recommendations) unless the block turns that off.
// Plain DOM, no framework; every value is set as text, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("kinship-loyalty");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  var base = root.dataset.proxyUrl || "/apps/kinship";
  var loginUrl = root.dataset.loginUrl || "/account/login";
  var searchUrl = root.dataset.searchUrl || "/search";
  var picksOn = root.dataset.picks !== "false";
  // Amounts from the app are minor units of the shop currency (not the shopper's presentment currency).
  var currency = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key.indexOf("on") === 0) node.addEventListener(key.slice(2), attrs[key]);
      else if (attrs[key] !== null && attrs[key] !== false)
        node.setAttribute(key, attrs[key] === true ? "" : attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  var launcher = el("button", {
    type: "button",
    class: "kl-launcher kl-" + (root.dataset.position || "right"),
    "aria-expanded": "false",
    "aria-controls": "kl-panel",
    text: root.dataset.label || "Rewards",
  });
  var body = el("div", { class: "kl-body" });
  var status = el("p", { class: "kl-status", role: "status", "aria-live": "polite" });
  var title = el("h2", { id: "kl-title", class: "kl-title", tabindex: "-1", text: root.dataset.label || "Rewards" });
  var picksTitle = el("h3", { id: "kl-picks-title" });
  var picksList = el("ul", { class: "kl-picks-list" });
  var picks = el("section", { class: "kl-picks", "aria-labelledby": "kl-picks-title", hidden: true }, [
    picksTitle,
    picksList,
  ]);
  var picked = null;
  var closeButton = el("button", { type: "button", class: "kl-close", "aria-label": "Close", text: "×" });
  var panel = el(
    "div",
    {
      id: "kl-panel",
      class: "kl-panel kl-" + (root.dataset.position || "right"),
      role: "dialog",
      "aria-labelledby": "kl-title",
      hidden: true,
    },
    [el("div", { class: "kl-head" }, [title, closeButton]), status, body, picks],
  );
  root.appendChild(launcher);
  root.appendChild(panel);

  function request(path, payload) {
    var options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (payload) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    return fetch(base + path, options).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          return { ok: response.ok, status: response.status, data: data };
        });
    });
  }

  // replaceChildren would print a null as the text "null".
  function fill(node, children) {
    node.replaceChildren.apply(node, children.filter(Boolean));
  }

  function say(message) {
    status.textContent = message || "";
  }

  function money(minor) {
    if (!currency) return String(minor);
    var format = new Intl.NumberFormat(undefined, { style: "currency", currency: currency });
    var digits = format.resolvedOptions().maximumFractionDigits;
    return format.format(Number(minor) / Math.pow(10, digits));
  }

  function progress(nextTier) {
    if (!nextTier) return null;
    var remaining =
      nextTier.basis === "spend" ? "Spend " + money(nextTier.remaining) + " more" : nextTier.remaining + " more points";
    var bar = null;
    if (nextTier.threshold) {
      var done = Math.max(0, Number(nextTier.threshold) - Number(nextTier.remaining));
      bar = el("progress", {
        class: "kl-progress",
        max: nextTier.threshold,
        value: String(done),
        "aria-label": "Progress to " + nextTier.name,
      });
    }
    return el("div", { class: "kl-next" }, [el("p", { text: remaining + " to reach " + nextTier.name }), bar]);
  }

  function rewardItem(reward, balance) {
    var reason = reward.tierRequired
      ? "For " + reward.tierRequired + " members"
      : reward.affordable
        ? null
        : reward.pointsCost - balance + " more points needed";
    var button = el("button", { type: "button", class: "kl-redeem", disabled: !reward.affordable, text: "Redeem" });
    var item = el("li", { class: "kl-reward" }, [
      el("span", { class: "kl-reward-title", text: reward.title }),
      el("span", { class: "kl-cost", text: reward.pointsCost + " points" }),
      reason ? el("span", { class: "kl-reason", text: reason }) : null,
      button,
    ]);
    button.addEventListener("click", function () {
      button.disabled = true;
      say("Creating your code…");
      request("/loyalty/redeem", { rewardId: reward.id }).then(function (result) {
        if (!result.ok) {
          say(
            result.data.error === "insufficient_points"
              ? "Not enough points for this reward."
              : "That did not work; please try again.",
          );
          button.disabled = false;
          return;
        }
        return load().then(function () {
          say(
            result.data.code ? "Code ready: use it at checkout." : "Your code is on its way: check back in a minute.",
          );
          if (result.data.code) showCode(result.data.code);
        });
      });
    });
    return item;
  }

  function showCode(code) {
    var field = el("input", { class: "kl-code", readonly: true, value: code, "aria-label": "Your discount code" });
    body.insertBefore(
      el("div", { class: "kl-code-box" }, [el("p", { text: "Your discount code" }), field]),
      body.firstChild,
    );
    field.focus();
    field.select();
  }

  function birthdayForm() {
    var months = [
      "January",
      "February",
      "March",
      "April",
      "May",
      "June",
      "July",
      "August",
      "September",
      "October",
      "November",
      "December",
    ];
    var month = el(
      "select",
      { name: "month", "aria-label": "Birthday month" },
      months.map(function (name, i) {
        return el("option", { value: String(i + 1), text: name });
      }),
    );
    var day = el("input", {
      name: "day",
      type: "number",
      min: "1",
      max: "31",
      required: true,
      "aria-label": "Birthday day",
      class: "kl-day",
    });
    var form = el("form", { class: "kl-birthday" }, [
      el("p", { text: "Tell us your birthday for a treat each year" }),
      month,
      day,
      el("button", { type: "submit", text: "Save" }),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      request("/loyalty/birthday", { month: Number(month.value), day: Number(day.value) }).then(function (result) {
        if (!result.ok)
          return say(
            result.data.error === "invalid_birthday" ? "That date does not exist." : "Could not save your birthday.",
          );
        return load().then(function () {
          say(
            result.data.pointsAwarded
              ? "Happy birthday! " + result.data.pointsAwarded + " points added."
              : "Birthday saved.",
          );
        });
      });
    });
    return form;
  }

  function renderMember(data) {
    var referral = el("input", {
      class: "kl-referral",
      readonly: true,
      value: data.referral.link,
      "aria-label": "Your referral link",
    });
    fill(body, [
      el("p", { class: "kl-balance" }, [
        el("strong", { text: String(data.balance) }),
        document.createTextNode(" points"),
      ]),
      el("p", { class: "kl-tier", text: data.tier ? "Tier: " + data.tier.name : "No tier yet" }),
      progress(data.nextTier),
      data.expiring
        ? el("p", {
            class: "kl-expiring",
            text: data.expiring.points + " points expire on " + new Date(data.expiring.at).toLocaleDateString(),
          })
        : null,
      el("h3", { text: "Rewards" }),
      el(
        "ul",
        { class: "kl-rewards" },
        data.rewards.map(function (reward) {
          return rewardItem(reward, data.balance);
        }),
      ),
      el("h3", { text: "Refer a friend" }),
      referral,
      data.birthday ? null : birthdayForm(),
    ]);
  }

  function renderJoin(data) {
    var join = data.howToJoin;
    fill(body, [
      el("p", {
        class: "kl-join",
        text:
          "Join our rewards: earn " +
          join.pointsPerCurrencyUnit +
          " points for every " +
          (join.currencyCode || "unit") +
          " you spend" +
          (join.signupBonus ? ", and " + join.signupBonus + " points when you sign up." : "."),
      }),
      el(
        "ul",
        { class: "kl-rewards" },
        join.rewards.map(function (reward) {
          return el("li", { class: "kl-reward" }, [
            el("span", { class: "kl-reward-title", text: reward.title }),
            el("span", { class: "kl-cost", text: reward.pointsCost + " points" }),
          ]);
        }),
      ),
      el("a", { class: "kl-login", href: loginUrl, text: "Sign in or create an account" }),
    ]);
  }

  // Picks change with the nightly mining, not while the shopper browses: fetched once a page
  // (again after a failure). Any failure or an empty list hides the section.
  function loadPicks() {
    if (!picksOn) return Promise.resolve(null);
    if (!picked)
      picked = request("/recommendations").then(
        function (result) {
          if (!result.ok) picked = null;
          return result.ok ? result.data : null;
        },
        function () {
          picked = null;
          return null;
        },
      );
    return picked;
  }

  // The app stores no product handles: each title opens the theme's search for it.
  function renderPicks(data) {
    var products = data && Array.isArray(data.products) ? data.products : [];
    picksTitle.textContent = data && data.personal ? "Picked for you" : "Popular right now";
    fill(
      picksList,
      products.map(function (product) {
        var href = searchUrl + "?type=product&q=" + encodeURIComponent(product.title);
        return el("li", { class: "kl-pick" }, [el("a", { href: href, text: product.title })]);
      }),
    );
    picks.hidden = products.length === 0;
  }

  // Both answers are awaited before anything is drawn, so the panel does not jump when the
  // picks arrive after the points.
  function load() {
    return Promise.all([request("/loyalty"), loadPicks()]).then(
      function (results) {
        var result = results[0];
        renderPicks(results[1]);
        if (!result.ok) {
          body.replaceChildren();
          say(result.status === 404 ? "Rewards are not available in this shop." : "Rewards are unavailable right now.");
          return;
        }
        currency = result.data.currencyCode || null;
        if (result.data.member) renderMember(result.data);
        else renderJoin(result.data);
      },
      function () {
        say("Rewards are unavailable right now.");
      },
    );
  }

  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      say("Loading…");
      title.focus();
      load().then(function () {
        if (status.textContent === "Loading…") say("");
      });
    } else {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(panel.hidden);
  });
  closeButton.addEventListener("click", function () {
    setOpen(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) setOpen(false);
  });
})();

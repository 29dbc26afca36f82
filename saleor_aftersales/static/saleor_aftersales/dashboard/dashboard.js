/* saleor-aftersales dashboard pages: wait for the Saleor dashboard's AppBridge handshake,
   then load server-rendered fragments with its token (Authorization: Bearer). Forms marked
   data-as-action are sent with the token and answered with the fragment again. Messages are
   accepted only from the parent frame (and its origin, when the referrer names it). */
(function () {
  "use strict";
  var root = document.getElementById("as-root");
  if (!root) { return; }
  var view = document.getElementById("as-view");
  var live = document.getElementById("as-live");
  var params = new URLSearchParams(window.location.search);
  var base = root.getAttribute("data-root");
  var kind = root.getAttribute("data-kind");
  var lang = params.get("locale") || params.get("lang") || root.getAttribute("data-lang") || "en";
  var token = "";
  var query = "";
  var parentOrigin = "";
  try { parentOrigin = document.referrer ? new URL(document.referrer).origin : ""; } catch (e) { parentOrigin = ""; }

  function shortLang(value) { return String(value || "en").toLowerCase().indexOf("de") === 0 ? "de" : "en"; }
  function withLang(url) { return url + (url.indexOf("?") < 0 ? "?" : "&") + "lang=" + shortLang(lang); }
  function actionId() { return "as-" + Date.now() + "-" + Math.random().toString(36).slice(2); }
  function post(type, payload) {
    if (window.parent === window) { return; }
    payload.actionId = actionId();
    window.parent.postMessage({ type: type, payload: payload }, parentOrigin || "*");
  }
  var pagePath = "/api/problems";  /* the Aftersales page's tab */
  function target() {
    if (kind === "page") { return base + pagePath + query; }
    var id = params.get("orderId") || params.get("order");
    return id ? base + "/api/order?id=" + encodeURIComponent(id) : "";
  }
  function show(html, focus) {
    view.innerHTML = html;
    view.setAttribute("aria-busy", "false");
    document.documentElement.lang = shortLang(lang);
    var heading = view.querySelector("h1");
    if (heading) { document.title = heading.textContent; }
    if (focus) {
      var notice = view.querySelector(".as-dash__notice") || heading;
      if (notice) { live.textContent = notice.textContent; }
    }
    resized();
  }
  /* after a change, keyboard focus goes where the fragment asks (data-as-focus: an id; a
     disabled button gives way to its list item), else to a field marked invalid */
  function focusAfter() {
    var invalid = view.querySelector("[aria-invalid='true']");
    var marker = view.querySelector("[data-as-focus]");
    var id = marker ? marker.getAttribute("data-as-focus") : "";
    var el = invalid || (id ? document.getElementById(id) : null);
    if (el && el.disabled) { el = el.closest("li") || el; }
    if (el) { el.focus(); }
  }
  /* the dashboard sizes a widget's frame to what we report (AppBridge widgetResize, 3.23.7+) */
  var reported = 0;
  function resized() {
    var height = Math.ceil(root.scrollHeight);
    if (kind === "widget" && height !== reported) {
      reported = height;
      post("widgetResize", { height: height });
    }
  }
  if (window.ResizeObserver) { new ResizeObserver(resized).observe(root); }
  function send(url, options) {
    options = options || {};
    options.headers = { Authorization: "Bearer " + token };
    options.credentials = "omit";
    return fetch(withLang(url), options).then(function (response) {
      return response.text().then(function (html) { return { ok: response.ok, html: html }; });
    });
  }
  function failed() {
    view.innerHTML = "";
    var p = document.createElement("p");
    p.className = "as-dash__notice as-dash__notice--error";
    p.setAttribute("role", "alert");
    p.textContent = shortLang(lang) === "de" ? "Keine Verbindung. Bitte laden Sie die Seite neu." :
      "No connection. Please reload the page.";
    view.appendChild(p);
  }
  var latest = 0;  /* only the newest load is shown (a locale change may overtake the first) */
  function load() {
    var url = target();
    if (!url || !token) { return; }
    var mine = ++latest;
    view.setAttribute("aria-busy", "true");
    send(url).then(function (result) {
      if (mine === latest) { show(result.html, false); }
    }, function () { if (mine === latest) { failed(); } });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) { return; }
    if (parentOrigin && event.origin !== parentOrigin) { return; }
    var data = event.data || {};
    var payload = data.payload || {};
    if (data.type === "handshake" && typeof payload.token === "string") {
      token = payload.token;
      load();
    } else if (data.type === "tokenRefresh" && typeof payload.token === "string") {
      token = payload.token;
    } else if (data.type === "localeChanged" && typeof payload.locale === "string") {
      if (shortLang(payload.locale) !== shortLang(lang)) { lang = payload.locale; load(); }
    }
  });

  /* the Settings tab's brand preview follows the name, colour and logo being typed (the
     frame's signed link stays; the typed values go as ?name, ?color, ?logo) */
  var brandTimer = 0;
  view.addEventListener("input", function (event) {
    var id = event.target && event.target.id;
    if (id !== "as-s-shop_name" && id !== "as-s-brand_color" && id !== "as-s-logo_url") { return; }
    var frame = view.querySelector("[data-as-brand-preview]");
    if (!frame) { return; }
    clearTimeout(brandTimer);
    brandTimer = setTimeout(function () {
      var url = new URL(frame.getAttribute("src"), window.location.href);
      [["name", "as-s-shop_name"], ["color", "as-s-brand_color"], ["logo", "as-s-logo_url"]]
        .forEach(function (pair) {
          var input = document.getElementById(pair[1]);
          if (input) { url.searchParams.set(pair[0], input.value); }
        });
      frame.setAttribute("src", url.pathname + url.search);
    }, 250);
  });

  view.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-as-action")) { return; }
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    if ((form.getAttribute("method") || "get").toLowerCase() === "get") {
      pagePath = new URL(form.action).pathname.slice(base.length) || pagePath;
      query = "?" + data.toString();
      load();
      return;
    }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    var mine = ++latest;
    send(form.action, { method: "POST", body: data }).then(function (result) {
      if (mine !== latest) { return; }
      show(result.html, true);
      focusAfter();
      var notice = view.querySelector(".as-dash__notice");
      if (notice) {
        post("notification", { status: result.ok ? "success" : "error", title: notice.textContent });
      }
      if (result.ok && /\/tracking$/.test(form.action)) {
        post("refreshEntity", {});  /* the order page shows the new tracking number */
      }
    }, function () { buttons.forEach(function (b) { b.disabled = false; }); failed(); });
  });

  view.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-as-copy]") : null;
    if (!button) {
      var tab = event.target.closest ? event.target.closest("[data-as-tab]") : null;
      if (tab) {
        event.preventDefault();
        pagePath = tab.getAttribute("data-as-tab");
        query = "";
        load();
        return;
      }
      var goto = event.target.closest ? event.target.closest("[data-as-goto]") : null;
      if (goto) {
        event.preventDefault();
        post("redirect", { to: goto.getAttribute("data-as-goto"), newContext: false });
        return;
      }
      var all = event.target.closest ? event.target.closest("[data-as-all]") : null;
      if (all) {
        view.querySelectorAll("input[name='" + all.getAttribute("data-as-all") + "']")
          .forEach(function (box) { box.checked = all.checked; });
      }
      return;
    }
    var input = document.getElementById(button.getAttribute("data-as-copy"));
    if (!input) { return; }
    var done = function () { live.textContent = button.getAttribute("data-as-done") || ""; };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        if (document.execCommand("copy")) { done(); }
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });

  post("notifyReady", {});
}());

/*!
 * <aftersales-status> — saleor-aftersales thank-you widget. No dependencies, no build step.
 *
 *   <script type="module" src="https://API/plugins/channel/CHANNEL/io.github.saleor-aftersales/assets/aftersales-status.js"></script>
 *   <aftersales-status api="https://API/plugins/channel/CHANNEL/io.github.saleor-aftersales"
 *                      order-id="ORDER_ID" email="SHOPPER_EMAIL">
 *     <a href="https://API/…/status/…">Track your order</a>   <!-- shown until (or unless) the widget loads -->
 *   </aftersales-status>
 *
 * Attributes: api (plugin route, required), order-id + email (from checkoutComplete) or token
 * (a signed status token), lang ("en"/"de", default: the order's language).
 * Theme with CSS custom properties on the element: --aftersales-brand, --aftersales-on-brand,
 * --aftersales-text, --aftersales-muted, --aftersales-bg, --aftersales-border,
 * --aftersales-radius, --aftersales-font. Parts: container, headline, parcel, button.
 * Every text from the server is inserted as text; only FAQ answers (sanitised by the server)
 * are inserted as HTML, and then only after removing scripts and event handlers again.
 */
(() => {
  "use strict";

  const UI = {
    en: {
      order: "Order", parcel: "Parcel", of: "of", carrier: "Carrier", tracking: "Tracking number",
      eta: "Estimated delivery", buyAgain: "Buy again", buyAgainButton: "Put available items in a new cart",
      unavailable: "Not available", faq: "Questions and answers", review: "How did we do?",
      rating: "Your rating", stars: "stars", comment: "Comment (optional)", send: "Send rating",
      thanks: "Thank you for your review!", details: "Full order status", notYet: "Not yet shipped",
      error: "Something went wrong. Please try again.", loading: "Loading your order status…",
      return: "Return", returnLines: "Items", notYetDone: "not yet",
    },
    de: {
      order: "Bestellung", parcel: "Paket", of: "von", carrier: "Versanddienstleister",
      tracking: "Sendungsnummer", eta: "Voraussichtliche Zustellung", buyAgain: "Erneut kaufen",
      buyAgainButton: "Verfügbare Artikel in einen neuen Warenkorb legen",
      unavailable: "Nicht verfügbar", faq: "Fragen und Antworten", review: "Wie waren wir?",
      rating: "Ihre Bewertung", stars: "Sterne", comment: "Kommentar (optional)",
      send: "Bewertung senden", thanks: "Vielen Dank für Ihre Bewertung!",
      details: "Vollständiger Bestellstatus", notYet: "Noch nicht versandt",
      error: "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.",
      loading: "Ihr Bestellstatus wird geladen …",
      return: "Rücksendung", returnLines: "Artikel", notYetDone: "noch nicht",
    },
  };

  const STYLE = `
    :host { display: block; font-family: var(--aftersales-font, system-ui, sans-serif);
      color: var(--aftersales-text, #1b1f24); }
    :host([hidden]) { display: none; }
    .box { background: var(--aftersales-bg, #fff); border: 1px solid var(--aftersales-border, #d0d7de);
      border-radius: var(--aftersales-radius, 10px); padding: 16px; display: grid; gap: 12px; }
    h2 { margin: 0; font-size: 1.2rem; } h3 { margin: 0 0 4px; font-size: 1rem; }
    p { margin: 0; } .muted { color: var(--aftersales-muted, #57606a); font-size: .9rem; }
    .badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600;
      background: var(--aftersales-brand, #1f6feb); color: var(--aftersales-on-brand, #fff); }
    .parcel { border-top: 1px solid var(--aftersales-border, #d0d7de); padding-top: 10px; }
    ul { margin: 4px 0 0; padding-left: 20px; }
    a { color: var(--aftersales-brand, #1f6feb); }
    button { font: inherit; font-weight: 600; cursor: pointer; border: 0; padding: 8px 16px;
      border-radius: 8px; background: var(--aftersales-brand, #1f6feb);
      color: var(--aftersales-on-brand, #fff); justify-self: start; }
    button:focus-visible, a:focus-visible, textarea:focus-visible, input:focus-visible {
      outline: 3px solid var(--aftersales-brand, #1f6feb); outline-offset: 2px; }
    fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: 8px; flex-wrap: wrap; }
    textarea { font: inherit; width: 100%; box-sizing: border-box; padding: 8px; }
    form { display: grid; gap: 8px; }
    details summary { cursor: pointer; font-weight: 600; }
    .events { list-style: none; padding: 0; display: grid; gap: 8px; }
    .events li { display: grid; }
    .event-status { font-weight: 600; }
    .carrier-text { display: block; color: var(--aftersales-muted, #57606a); font-size: .8125rem; }
    .tracking { white-space: nowrap; }
    .eta { font-weight: 700; }
  `;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };

  const safeUrl = (url) => {
    try {
      const parsed = new URL(url, document.baseURI);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (_) {
      return null;
    }
  };

  /** Parse server-sanitised HTML and strip anything active once more (defence in depth). */
  const sanitisedFragment = (html) => {
    const doc = new DOMParser().parseFromString(`<div>${html}</div>`, "text/html");
    doc.querySelectorAll("script,style,iframe,object,embed,img,svg,form").forEach((n) => n.remove());
    doc.querySelectorAll("*").forEach((n) => {
      for (const attr of [...n.attributes]) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on") || name === "style" || name === "srcdoc") n.removeAttribute(attr.name);
        if (name === "href" && !safeUrl(attr.value) && !attr.value.startsWith("mailto:")) n.removeAttribute(attr.name);
      }
    });
    const fragment = document.createDocumentFragment();
    fragment.append(...doc.body.firstChild.childNodes);
    return fragment;
  };

  class AftersalesStatus extends HTMLElement {
    static get observedAttributes() { return ["order-id", "token", "lang", "email"]; }

    constructor() {
      super();
      this._root = this.attachShadow({ mode: "open" });
      // a constructed stylesheet passes strict CSPs (no inline <style> needed)
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(STYLE);
        this._root.adoptedStyleSheets = [sheet];
      } catch (_) {
        this._root.append(el("style", { text: STYLE }));
      }
      this._root.append(el("slot"));
    }

    connectedCallback() { this._load(); }

    attributeChangedCallback(_name, oldValue, newValue) {
      if (this.isConnected && oldValue !== null && oldValue !== newValue) this._load();
    }

    get _api() { return (this.getAttribute("api") || "").replace(/\/+$/, ""); }

    get _t() { return UI[this._lang] || UI.en; }

    async _token() {
      const given = this.getAttribute("token");
      if (given) return given;
      const orderId = this.getAttribute("order-id");
      const email = this.getAttribute("email");
      if (!orderId || !email) throw new Error("aftersales-status: needs token, or order-id and email");
      const key = `aftersales-status:${orderId}`;
      try {
        const cached = sessionStorage.getItem(key);
        if (cached) return cached;
      } catch (_) { /* storage may be blocked */ }
      const response = await fetch(`${this._api}/api/token`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ order_id: orderId, email }),
        credentials: "omit",
      });
      if (!response.ok) throw new Error(`aftersales-status: token request failed (${response.status})`);
      const data = await response.json();
      try { sessionStorage.setItem(key, data.token); } catch (_) { /* ignore */ }
      return data.token;
    }

    async _load() {
      if (!this._api) return;
      this.setAttribute("aria-busy", "true");
      try {
        this._tokenValue = await this._token();
        const lang = this.getAttribute("lang");
        const query = lang ? `?lang=${encodeURIComponent(lang)}` : "";
        const response = await fetch(
          `${this._api}/api/status/${encodeURIComponent(this._tokenValue)}${query}`,
          { credentials: "omit" },
        );
        if (!response.ok) throw new Error(`aftersales-status: status request failed (${response.status})`);
        this._data = await response.json();
        this._lang = this._data.language_code === "de" ? "de" : "en";
        this._render();
        this.dispatchEvent(new CustomEvent("aftersales-loaded", { detail: { state: this._data.state } }));
      } catch (error) {
        this._fallback();
        this.dispatchEvent(new CustomEvent("aftersales-error", { detail: { message: String(error) } }));
      } finally {
        this.removeAttribute("aria-busy");
      }
    }

    /** Keep (or create) the plain link: the light DOM content shows through the slot. */
    _fallback() {
      const box = this._root.querySelector(".box");
      if (box) box.remove();
      if (!this._root.querySelector("slot")) this._root.append(el("slot"));
      const url = this._data && safeUrl(this._data.status_url);
      if (!this.children.length && url) this.append(el("a", { href: url, text: this._t.details }));
    }

    async _post(path, body) {
      const response = await fetch(
        `${this._api}/api/status/${encodeURIComponent(this._tokenValue)}/${path}`,
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body || {}),
          credentials: "omit",
        },
      );
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw Object.assign(new Error(data.error || String(response.status)), { data });
      return data;
    }

    _render() {
      const d = this._data;
      const t = this._t;
      const old = this._root.querySelector(".box");
      if (old) old.remove();
      const slot = this._root.querySelector("slot");
      if (slot) slot.remove();
      const box = el("section", { class: "box", part: "container", "aria-live": "polite", lang: this._lang });
      box.append(
        el("p", { class: "muted", text: `${t.order} ${d.number}` }),
        el("h2", { part: "headline" }, el("span", { class: "badge", text: d.state_label })),
        el("p", { class: "state-text", text: d.state_text }),
      );
      if (d.estimated_delivery_text && d.state !== "delivered") {
        box.append(el("p", { class: "eta", text: `${t.eta}: ${d.estimated_delivery_text}` }));
      }
      for (const problem of d.problems || []) box.append(el("p", { role: "note", text: problem.text }));
      for (const parcel of d.parcels || []) box.append(this._parcel(parcel, d.parcels.length));
      if ((d.unshipped_lines || []).length) {
        const list = el("ul");
        for (const line of d.unshipped_lines) list.append(el("li", { text: `${line.quantity} × ${line.product_name}` }));
        box.append(el("div", {}, el("h3", { text: t.notYet }), list));
      }
      for (const ret of d.returns || []) box.append(this._return(ret));
      if (d.review && d.review.enabled) box.append(this._review(d.review));
      if ((d.buy_again || []).length) box.append(this._buyAgain(d));
      if ((d.faq || []).length) {
        const faq = el("div", {}, el("h3", { text: t.faq }));
        for (const entry of d.faq) {
          const answer = el("div");
          answer.append(sanitisedFragment(entry.answer_html));
          faq.append(el("details", {}, el("summary", { text: entry.question }), answer));
        }
        box.append(faq);
      }
      const full = safeUrl(d.status_url);
      if (full) box.append(el("p", {}, el("a", { href: full, text: t.details, rel: "noopener" })));
      this._root.append(box);
    }

    // a return's way back: its state, items and small timeline (as on the status page)
    _return(ret) {
      const t = this._t;
      const node = el("div", { class: "return", part: "return" },
        el("h3", { text: `${t.return}: ${ret.state_label}` }));
      const items = el("ul");
      for (const line of ret.lines || []) items.append(el("li", { text: `${line.quantity} × ${line.product_name}` }));
      node.append(el("p", { class: "muted", text: t.returnLines }), items);
      const steps = el("ol", { class: "events" });
      for (const step of ret.steps || []) {
        const when = step.done ? (step.at_text || "") : t.notYetDone;
        steps.append(el("li", { class: step.done ? "done" : "", text: when ? `${step.label} · ${when}` : step.label }));
      }
      node.append(steps);
      return node;
    }

    _parcel(parcel, total) {
      const t = this._t;
      const node = el("div", { class: "parcel", part: "parcel" },
        el("h3", { text: `${t.parcel} ${parcel.number} ${t.of} ${total}: ${parcel.status_text}` }));
      if (parcel.carrier_name) node.append(el("p", { text: `${t.carrier}: ${parcel.carrier_name}` }));
      if (parcel.tracking_number) {
        const url = safeUrl(parcel.tracking_url);
        const number = url
          ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: parcel.tracking_number })
          : el("span", { text: parcel.tracking_number });
        number.setAttribute("class", "tracking");
        node.append(el("p", {}, `${t.tracking}: `, number));
      }
      // dates, times and amounts come formatted by the server (*_text): one style with the page
      if (parcel.estimated_delivery_text) {
        const confidence = parcel.confidence_text ? ` (${parcel.confidence_text})` : "";
        node.append(el("p", { text: `${t.eta}: ${parcel.estimated_delivery_text}${confidence}` }));
      }
      const events = parcel.latest_events || (parcel.relevant_events || []).slice(0, 3);
      if (events.length) {
        const list = el("ul", { class: "events" });
        for (const event of events) {
          // our translated status first; the carrier's own words (any language) smaller
          const where = event.location ? ` · ${event.location}` : "";
          const item = el("li", {},
            el("span", { class: "event-status", text: event.status_text }),
            el("span", { class: "muted", text: `${event.occurred_at_text || ""}${where}` }));
          const own = event.description || "";
          if (own && own.toLowerCase() !== String(event.status_text).toLowerCase()) {
            item.append(el("span", { class: "carrier-text", text: own }));
          }
          list.append(item);
        }
        node.append(list);
      }
      return node;
    }

    _buyAgain(d) {
      const t = this._t;
      const node = el("div", {}, el("h3", { text: t.buyAgain }));
      const list = el("ul");
      for (const item of d.buy_again) {
        const cost = item.total_text || item.price_text;
        const price = cost ? ` · ${cost}` : "";
        const text = item.available ? `${item.quantity} × ${item.name}${price}` : `${item.name} — ${item.reason_text || t.unavailable}`;
        list.append(el("li", { text }));
      }
      node.append(list);
      if (d.can_buy_again) {
        const button = el("button", { type: "button", part: "button", text: t.buyAgainButton });
        const status = el("p", { role: "status" });
        button.addEventListener("click", async () => {
          button.disabled = true;
          try {
            const result = await this._post("buy-again");
            const url = safeUrl(result.checkout_url);
            this.dispatchEvent(new CustomEvent("aftersales-checkout", { detail: { url }, cancelable: true }))
              && url && window.location.assign(url);
          } catch (_) {
            status.textContent = t.error;
          } finally {
            button.disabled = false;
          }
        });
        node.append(button, status);
      }
      return node;
    }

    _review(review) {
      const t = this._t;
      const form = el("form", { class: "review" });
      const stars = el("fieldset", {}, el("legend", { text: t.rating }));
      for (let n = 1; n <= 5; n += 1) {
        const id = `aftersales-star-${n}`;
        stars.append(
          el("input", { type: "radio", name: "rating", value: n, id, required: true, checked: review.rating === n }),
          el("label", { for: id, text: `${n} ★`, "aria-label": `${n} ${t.stars}` }),
        );
      }
      const comment = el("textarea", { id: "aftersales-comment", name: "comment", rows: 3, maxlength: 5000 });
      comment.value = review.comment || "";
      const status = el("p", { role: "status" });
      form.append(
        el("h3", { text: t.review }), stars,
        el("label", { for: "aftersales-comment", text: t.comment }), comment,
        el("button", { type: "submit", part: "button", text: t.send }), status,
      );
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const rating = new FormData(form).get("rating");
        try {
          const result = await this._post("review", { rating: Number(rating), comment: comment.value });
          status.textContent = t.thanks;
          const url = safeUrl(result.redirect_url);
          if (url) window.open(url, "_blank", "noopener");
        } catch (_) {
          status.textContent = t.error;
        }
      });
      return form;
    }
  }

  if (!customElements.get("aftersales-status")) customElements.define("aftersales-status", AftersalesStatus);
})();

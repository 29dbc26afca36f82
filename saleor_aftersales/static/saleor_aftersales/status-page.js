/*! saleor-aftersales status page: progressive enhancement only (the page works without it).
 * Adds a copy button next to each element with data-copy (tracking numbers); the texts come
 * from the page's data-copy-label / data-copy-name / data-copied attributes (translated). */
(() => {
  "use strict";

  const live = () => document.getElementById("as-live");

  const announce = (text) => {
    const region = live();
    if (!region) return;
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 50);
  };

  const copy = async (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "as-visually-hidden";
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  };

  const enhance = () => {
    for (const holder of document.querySelectorAll("[data-copy]")) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "as-copy";
      button.textContent = holder.dataset.copyLabel || "Copy";
      button.setAttribute("aria-label", holder.dataset.copyName || button.textContent);
      button.addEventListener("click", async () => {
        try {
          await copy(holder.dataset.copy);
          announce(holder.dataset.copied || "");
          button.textContent = "✓";
          window.setTimeout(() => { button.textContent = holder.dataset.copyLabel || "Copy"; }, 2000);
        } catch (_) { /* clipboard refused: the number stays selectable */ }
      });
      holder.append(button);
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();

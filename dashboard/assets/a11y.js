/* Accessibility and readability fixes applied to whatever Dash renders (a MutationObserver, no page code):
   - <html lang> and the tab title follow the page's language (create_page marks its root with lang);
   - the dropdowns' keyboard focus proxy is not aria-hidden and is named by its label;
   - a grid without columns yet is not announced as a grid; slider thumbs, their number boxes and the upload's file input get names;
   - scrollable lists can take focus; Enter on a street-link cell opens it like a click;
   - every chart is a named figure, and its "数据表 / Data table" button shows the plotted numbers as a table;
   - printing lays tables out whole and fits charts to the A4 width. */
(function () {
  "use strict";
  function lang() {
    var root = document.querySelector("div[lang]");
    return root ? root.getAttribute("lang") : "zh-CN";
  }
  function zh() { return lang().indexOf("zh") === 0; }
  function labelFor(el) {
    var col = el.closest(".col, [class*='col-'], .whatif-slider");
    var label = col ? col.querySelector("label") : null;
    return label ? label.textContent.trim() : "";
  }
  function fix() {
    var l = lang();
    if (document.documentElement.lang !== l) { document.documentElement.lang = l; }
    var heading = document.querySelector("main h1, main h3, h1");
    var brand = document.querySelector(".navbar-brand");
    if (heading && brand) {
      var want = heading.textContent.trim() + " · " + brand.textContent.trim();
      if (document.title !== want) { document.title = want; }
    }
    document.querySelectorAll(".dash-dropdown-focus-target[aria-hidden]").forEach(function (el) {
      el.removeAttribute("aria-hidden");
      var name = labelFor(el);
      if (name) { el.setAttribute("aria-label", name); }
    });
    document.querySelectorAll("[role='slider']:not([aria-label]), .dash-range-slider-input:not([aria-label])")
      .forEach(function (el) { var n = labelFor(el); if (n) { el.setAttribute("aria-label", n); } });
    document.querySelectorAll(".upload-zone input[type='file']:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", el.closest(".upload-zone").textContent.trim());
    });
    // A grid whose columns are not set yet (a hidden peers table, a page still loading) has rows without cells:
    // it is announced as nothing until its columns arrive (its roles and aria counts are kept aside meanwhile).
    document.querySelectorAll(".ag-root").forEach(function (root) {
      var empty = !root.querySelector("[role='columnheader']");
      var els = [root].concat(Array.from(root.querySelectorAll("[role='rowgroup'], [role='row'], [data-a11y-role]")));
      els.forEach(function (el) {
        if (empty && el.getAttribute("role") !== "none") {
          var kept = { role: el.getAttribute("role") };
          ["aria-rowindex", "aria-rowcount", "aria-colcount", "aria-multiselectable"].forEach(function (a) {
            if (el.hasAttribute(a)) { kept[a] = el.getAttribute(a); el.removeAttribute(a); }
          });
          el.setAttribute("data-a11y-role", JSON.stringify(kept));
          el.setAttribute("role", "none");
        } else if (!empty && el.hasAttribute("data-a11y-role")) {
          var back = JSON.parse(el.getAttribute("data-a11y-role"));
          el.removeAttribute("data-a11y-role");
          Object.keys(back).forEach(function (a) { el.setAttribute(a, back[a]); });
        }
      });
    });
    document.querySelectorAll(".flag-card ul:not([tabindex])").forEach(function (el) {
      el.setAttribute("tabindex", "0");
    });
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      var title = gd.layout && gd.layout.title && gd.layout.title.text;
      if (!title) { return; }
      var text = String(title).replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
      if (gd.getAttribute("aria-label") !== text) {
        gd.setAttribute("role", "figure");
        gd.setAttribute("aria-label", text);
      }
    });
  }
  function cell(v) {
    if (v === null || v === undefined) { return ""; }
    if (typeof v === "number") { return Number.isInteger(v) ? String(v) : v.toFixed(2); }
    return String(v).replace(/<[^>]*>/g, " ");
  }
  function tableOf(gd) {
    var head = zh() ? ["系列", "类别", "数值"] : ["Series", "Category", "Value"];
    var rows = [];
    (gd.data || []).forEach(function (tr) {
      var horizontal = tr.orientation === "h";
      var cats = Array.from((horizontal ? tr.y : tr.x) || []);
      var vals = Array.from((horizontal ? tr.x : tr.y) || []);
      var n = Math.max(cats.length, vals.length);
      for (var i = 0; i < n; i++) { rows.push([tr.name || "", cell(cats[i]), cell(vals[i])]); }
    });
    var t = document.createElement("table");
    t.className = "table table-sm table-striped mb-0";
    var thead = t.createTHead().insertRow();
    head.forEach(function (h) { var th = document.createElement("th"); th.scope = "col"; th.textContent = h; thead.appendChild(th); });
    var body = t.createTBody();
    rows.forEach(function (r) { var tr = body.insertRow(); r.forEach(function (c) { tr.insertCell().textContent = c; }); });
    return t;
  }
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest(".chart-table-toggle");
    if (!btn) { return; }
    var card = btn.closest(".card");
    var box = card && card.querySelector(".chart-table");
    var gd = card && card.querySelector(".js-plotly-plot");
    if (!box || !gd) { return; }
    var open = box.hasAttribute("hidden");
    box.textContent = "";
    if (open) { box.appendChild(tableOf(gd)); box.removeAttribute("hidden"); } else { box.setAttribute("hidden", ""); }
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.classList && ev.target.classList.contains("street-link")) { ev.target.click(); }
  });
  // A grid prints as a plain table of all its rows and columns, which wraps to the A4 width; the grid itself
  // (virtualised rows, columns wider than the page) is hidden in print and comes back after.
  function printTableOf(api) {
    var cols = api.getAllDisplayedColumns();
    var table = document.createElement("table");
    table.className = "print-table";
    var head = table.createTHead().insertRow();
    cols.forEach(function (c) {
      var th = document.createElement("th");
      th.textContent = api.getDisplayNameForColumn(c, "header") || "";
      head.appendChild(th);
    });
    var body = table.createTBody();
    api.forEachNodeAfterFilterAndSort(function (node) {
      if (node.group) { return; }
      var tr = body.insertRow();
      cols.forEach(function (c) {
        var v = api.getCellValue({ rowNode: node, colKey: c, useFormatter: true });
        tr.insertCell().textContent = v === null || v === undefined ? "" : String(v);
      });
    });
    return table;
  }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".ag-theme-alpine[id]").forEach(function (el) {
      var api = window.dash_ag_grid && window.dash_ag_grid.getApi ? window.dash_ag_grid.getApi(el.id) : null;
      if (!api || el.classList.contains("print-replaced")) { return; }
      el.insertAdjacentElement("afterend", printTableOf(api));
      el.classList.add("print-replaced");
    });
    if (window.Plotly) {
      document.querySelectorAll(".js-plotly-plot").forEach(function (gd) { window.Plotly.relayout(gd, { width: 680 }); });
    }
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll(".print-table").forEach(function (t) { t.remove(); });
    document.querySelectorAll(".print-replaced").forEach(function (el) { el.classList.remove("print-replaced"); });
    if (window.Plotly) {
      document.querySelectorAll(".js-plotly-plot").forEach(function (gd) { window.Plotly.relayout(gd, { width: null, autosize: true }); });
    }
  });
  // While a fix is due, <html> carries data-a11y-pending (an attribute: the observer does not see it), so a check
  // such as an accessibility audit can wait until the fixes have caught up with what Dash rendered.
  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    document.documentElement.setAttribute("data-a11y-pending", "");
    window.requestAnimationFrame(function () {
      pending = false;
      fix();
      document.documentElement.removeAttribute("data-a11y-pending");
    });
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  document.addEventListener("DOMContentLoaded", fix);
})();

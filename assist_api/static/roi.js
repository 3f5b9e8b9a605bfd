/* ROI dashboard: reads GET /v1/reports/roi and draws the headline, the plan targets and
   the lift charts as inline SVG (no chart library). The filters live in the page's URL,
   so a reload or a shared link shows the same report, and the CSV link follows them. */
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("roi-texts").textContent);
  var LANG = document.documentElement.lang || "en";
  var SVG = "http://www.w3.org/2000/svg";
  var MEASURES = ["ve_success", "retained_60d"];
  var COLORS = { ve_success: "#0b6bcb", retained_60d: "#1b7f3b" };
  var SHARES = { ve_success: 1, retained_60d: 1, csat: 1, resolved: 1 };
  var form = document.getElementById("roi-filters");
  var statusLine = document.getElementById("roi-status");
  var errorBox = document.getElementById("roi-error");
  var body = document.getElementById("roi-body");

  function $(id) { return document.getElementById(id); }
  function text(id, value) { $(id).textContent = value; }

  function points(x) {
    if (x === null || x === undefined) return "–";
    var shown = (x * 100).toFixed(1);
    if (Number(shown) === 0) return "0.0 " + T.roi_points;
    return (Number(shown) > 0 ? "+" : "") + shown + " " + T.roi_points;
  }
  function number(x, digits) {
    if (x === null || x === undefined) return "–";
    return new Intl.NumberFormat(LANG, { maximumFractionDigits: digits || 0 }).format(x);
  }
  function signed(x, digits) {
    if (x === null || x === undefined) return "–";
    if (Number(x.toFixed(digits || 0)) === 0) return number(0, digits);
    return (x > 0 ? "+" : "") + number(x, digits);
  }
  function lift(measure, x) { return SHARES[measure] ? points(x) : signed(x, 1); }
  function interval(ci, format) {
    return ci ? T.roi_ci + " " + format(ci[0]) + " … " + format(ci[1]) : T.roi_ci + " –";
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim()) params.set(key, String(value).trim());
    });
    return params;
  }

  function el(tag, attrs, parent, content) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (content !== undefined) node.textContent = content;
    if (parent) parent.appendChild(node);
    return node;
  }

  function svgRoot(container, width, height, label) {
    container.textContent = "";
    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-label": label, width: "100%" }, container);
    return svg;
  }

  function legend(svg, x, y) {
    MEASURES.forEach(function (m, i) {
      el("rect", { x: x + i * 150, y: y, width: 10, height: 10, fill: COLORS[m] }, svg);
      el("text", { x: x + i * 150 + 14, y: y + 9, "font-size": 11 }, svg, T["roi_" + m]);
    });
  }

  /* Two bars per group (VE success and retention lift) with 95 % interval whiskers. */
  function liftBars(container, groups, label) {
    var rows = Object.keys(groups).map(function (key) { return { key: key, g: groups[key] }; });
    if (!rows.length) { container.textContent = T.roi_empty; return; }
    var W = 600, left = 200, right = 80, top = 24, band = 34;
    var H = top + rows.length * band + 16;
    var lo = 0, hi = 0;
    rows.forEach(function (r) {
      MEASURES.forEach(function (m) {
        var e = r.g[m];
        if (e && e.ci95) { lo = Math.min(lo, e.ci95[0]); hi = Math.max(hi, e.ci95[1]); }
        else if (e && e.lift !== null) { lo = Math.min(lo, e.lift); hi = Math.max(hi, e.lift); }
      });
    });
    if (hi === lo) hi = lo + 0.01;
    var scale = function (v) { return left + (v - lo) / (hi - lo) * (W - left - right); };
    var svg = svgRoot(container, W, H, label);
    legend(svg, left, 4);
    el("line", { x1: scale(0), x2: scale(0), y1: top - 4, y2: H - 12, stroke: "#5b6575",
      "stroke-dasharray": "3 3" }, svg);
    rows.forEach(function (r, i) {
      var y0 = top + i * band;
      el("text", { x: left - 8, y: y0 + 17, "text-anchor": "end", "font-size": 12 }, svg,
        r.key + " (" + number(r.g.n) + ")");
      MEASURES.forEach(function (m, j) {
        var e = r.g[m];
        if (!e || e.lift === null) return;
        var y = y0 + 4 + j * 13, x0 = scale(0), x1 = scale(e.lift);
        var bar = el("rect", { x: Math.min(x0, x1), y: y, width: Math.max(1, Math.abs(x1 - x0)),
          height: 10, fill: COLORS[m], opacity: 0.85, "data-measure": m, "data-group": r.key },
          svg);
        el("title", {}, bar, T["roi_" + m] + " " + points(e.lift) + ", " + interval(e.ci95, points));
        if (e.ci95) {
          var a = scale(e.ci95[0]), b = scale(e.ci95[1]), c = y + 5;
          el("line", { x1: a, x2: b, y1: c, y2: c, stroke: "#1d2430" }, svg);
          el("line", { x1: a, x2: a, y1: c - 4, y2: c + 4, stroke: "#1d2430" }, svg);
          el("line", { x1: b, x2: b, y1: c - 4, y2: c + 4, stroke: "#1d2430" }, svg);
        }
        el("text", { x: W - right + 6, y: y + 9, "font-size": 11 }, svg, points(e.lift));
      });
    });
  }

  /* Lift per week or month with its 95 % band, one line per measure. */
  function trendChart(container, trend, label) {
    if (!trend.length) { container.textContent = T.roi_empty; return; }
    var W = 560, H = 240, left = 56, right = 12, top = 24, bottom = 40;
    var lo = 0, hi = 0;
    trend.forEach(function (p) {
      MEASURES.forEach(function (m) {
        var ci = p[m].ci95;
        if (ci) { lo = Math.min(lo, ci[0]); hi = Math.max(hi, ci[1]); }
      });
    });
    if (hi === lo) hi = lo + 0.01;
    var x = function (i) {
      return trend.length === 1 ? (left + W - right) / 2
        : left + i / (trend.length - 1) * (W - left - right);
    };
    var y = function (v) { return top + (hi - v) / (hi - lo) * (H - top - bottom); };
    var svg = svgRoot(container, W, H, label);
    legend(svg, left, 4);
    [lo, (lo + hi) / 2, hi, 0].forEach(function (v) {
      el("line", { x1: left, x2: W - right, y1: y(v), y2: y(v),
        stroke: v === 0 ? "#5b6575" : "#d9dee6", "stroke-dasharray": v === 0 ? "3 3" : "" }, svg);
      el("text", { x: left - 4, y: y(v) + 4, "text-anchor": "end", "font-size": 10 }, svg,
        points(v));
    });
    var every = Math.max(1, Math.ceil(trend.length / 7));
    trend.forEach(function (p, i) {
      if (i % every === 0) {
        var anchor = i === trend.length - 1 && i > 0 ? "end" : "middle";
        el("text", { x: x(i), y: H - bottom + 16, "text-anchor": anchor, "font-size": 10 },
          svg, p.start);
      }
    });
    MEASURES.forEach(function (m) {
      var upper = [], lower = [], line = [];
      trend.forEach(function (p, i) {
        var e = p[m];
        if (e.ci95) { upper.push(x(i) + "," + y(e.ci95[1])); lower.unshift(x(i) + "," + y(e.ci95[0])); }
        if (e.lift !== null) line.push(x(i) + "," + y(e.lift));
      });
      if (upper.length) {
        el("polygon", { points: upper.concat(lower).join(" "), fill: COLORS[m], opacity: 0.12 }, svg);
      }
      el("polyline", { points: line.join(" "), fill: "none", stroke: COLORS[m],
        "stroke-width": 2, "data-measure": m }, svg);
      trend.forEach(function (p, i) {
        if (p[m].lift === null) return;
        var dot = el("circle", { cx: x(i), cy: y(p[m].lift), r: 3, fill: COLORS[m] }, svg);
        el("title", {}, dot, p.start + " " + T["roi_" + m] + " " + points(p[m].lift) + " (" +
          number(p.n) + " " + T.roi_contacts + ")");
      });
    });
  }

  function cell(row, value, className) {
    var td = document.createElement("td");
    td.textContent = value;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function planTable(plan, note) {
    var tbody = $("plan-table").querySelector("tbody");
    tbody.textContent = "";
    if (!plan) {
      text("plan-meta", note || T.roi_no_plan);
      $("plan-table").hidden = true;
      return;
    }
    $("plan-table").hidden = false;
    text("plan-meta", T.roi_plan_version + " " + plan.version + " · " + plan.author + " · " +
      String(plan.effective_from).slice(0, 10) + (note ? " · " + note : ""));
    plan.targets.forEach(function (target) {
      var row = document.createElement("tr");
      var format = function (v) { return lift(target.measure, v); };
      cell(row, T["roi_m_" + target.measure] || target.measure);
      cell(row, (target.direction === "at_most" ? "≤ " : "≥ ") + format(target.target));
      cell(row, format(target.estimate));
      cell(row, target.ci95 ? format(target.ci95[0]) + " … " + format(target.ci95[1]) : "–");
      var status = cell(row, T["roi_" + target.status] + " (" + (T["roi_" + target.reason] ||
        target.reason) + ")", "roi-status " + target.status);
      status.setAttribute("data-status", target.status);
      tbody.appendChild(row);
    });
  }

  function publishedTable(byEffort) {
    var table = $("published-table");
    table.textContent = "";
    var head = document.createElement("tr");
    ["", T.roi_with_ve, T.roi_published_short, T.roi_without_ve, T.roi_published_short]
      .forEach(function (h) { var th = document.createElement("th"); th.textContent = h; head.appendChild(th); });
    table.appendChild(head);
    Object.keys(byEffort).forEach(function (effort) {
      var r = byEffort[effort], row = document.createElement("tr");
      var pct = function (x) { return x === null ? "–" : (x * 100).toFixed(1) + " %"; };
      cell(row, effort);
      cell(row, pct(r.with_ve.rate) + " (n " + number(r.with_ve.n) + ")");
      cell(row, pct(r.published.with_ve));
      cell(row, pct(r.without_ve.rate) + " (n " + number(r.without_ve.n) + ")");
      cell(row, pct(r.published.without_ve));
      table.appendChild(row);
    });
  }

  function render(report) {
    var fin = report.financial, eff = report.effects, counts = report.counts;
    text("h-return", signed(fin["return"].value));
    text("h-return-ci", interval(fin["return"].ci95, function (v) { return signed(v); }));
    var kept = fin.incremental_retained || { value: null, ci95: null };
    text("h-retained", signed(kept.value));
    text("h-retained-ci", interval(kept.ci95, function (v) { return signed(v); }));
    text("h-retention", points(eff.retained_60d.lift));
    text("h-retention-ci", interval(eff.retained_60d.ci95, points));
    text("h-ve", points(eff.ve_success.lift));
    text("h-ve-ci", interval(eff.ve_success.ci95, points));
    text("h-counts", number(counts.interactions) + " " + T.roi_contacts + " · " +
      T.roi_offered + " " + number(counts.offered) + " · " + T.roi_holdout + " " +
      number(counts.holdout) + " (" + (counts.holdout_share === null ? "–" :
        (counts.holdout_share * 100).toFixed(1) + " %") + ")");
    planTable(report.plan, report.plan_note);
    liftBars($("chart-effort"), report.by.switching_effort, T.roi_by_effort);
    publishedTable(report.retention_by_ve);
    liftBars($("chart-activity"), report.by.activity, T.roi_by_activity);
    liftBars($("chart-segment"), report.by.days_since_purchase, T.roi_by_segment);
    trendChart($("chart-trend"), report.trend, T.roi_trend);
  }

  async function load() {
    var params = query();
    var suffix = params.toString();
    history.replaceState(null, "", location.pathname + (suffix ? "?" + suffix : ""));
    params.set("format", "csv");
    $("roi-csv").href = "/v1/reports/roi?" + params.toString();
    params.set("format", "html");
    $("roi-html").href = "/v1/reports/roi?" + params.toString();
    document.body.removeAttribute("data-roi-ready");
    statusLine.textContent = T.roi_loading;
    statusLine.hidden = false;
    errorBox.hidden = true;
    var result = await VA.api("GET", "/v1/reports/roi" + (suffix ? "?" + suffix : ""));
    if (!result.ok) {
      statusLine.hidden = true;
      errorBox.textContent = VA.errorText(result);
      errorBox.hidden = false;
      return;
    }
    if (!result.body.counts.interactions) {
      statusLine.textContent = T.roi_empty;
      body.hidden = true;
      return;
    }
    render(result.body);
    statusLine.hidden = true;
    body.hidden = false;
    document.body.setAttribute("data-roi-ready", "1");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load();
  });
  load();
})();

// The articles of the report: read from the JSON blob, rendered a page at a time (so a batch of
// thousands opens quickly), all text through text nodes (never parsed as HTML).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var articles = data.articles;
  var list = document.getElementById("article-list");
  var panel = document.getElementById("record-panel");
  var state = { page: 0, kind: "", query: "" };
  var filtered = [];
  var shown = {}; // record_id -> record, for the articles on the page
  var haystacks = [];
  var LAST_FIELDS = ["start", "end", "sentence_index", "extractor", "record_id"];
  var NUMBER_EXTRA = ["metric", "subject", "period", "period_value"];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function treeText(children) {
    var out = "";
    for (var i = 0; i < children.length; i++) {
      var c = children[i];
      out += typeof c === "string" ? c : treeText(c.slice(1));
    }
    return out;
  }

  function haystack(i) {
    if (haystacks[i] === undefined) {
      var a = articles[i];
      var parts = [a.id, a.source, a.title || "", a.kicker || "", a.byline.join(" "), treeText(a.tree)];
      haystacks[i] = parts.join("\n").toLowerCase();
    }
    return haystacks[i];
  }

  function hasKind(a, kind) {
    for (var i = 0; i < a.records.length; i++) if (a.records[i].kind === kind) return true;
    return false;
  }

  function refilter() {
    var started = performance.now();
    var words = state.query.toLowerCase().split(/\s+/).filter(Boolean);
    filtered = [];
    for (var i = 0; i < articles.length; i++) {
      if (state.kind && !hasKind(articles[i], state.kind)) continue;
      var text = words.length ? haystack(i) : "";
      if (words.every(function (w) { return text.indexOf(w) >= 0; })) filtered.push(i);
    }
    state.page = 0;
    render();
    document.body.setAttribute("data-filter-ms", (performance.now() - started).toFixed(1));
  }

  function show(value) {
    if (value === null || value === undefined) return el("span", "none", "—");
    if (Array.isArray(value)) return document.createTextNode(value.join(", "));
    return document.createTextNode(String(value));
  }

  function summary(r) {
    var bits;
    switch (r.kind) {
      case "number":
        bits = [String(r.value) + (r.unit ? " " + r.unit : ""), r.number_kind, r.metric, r.subject, r.period];
        break;
      case "date":
        bits = [r.value === null ? "unresolved" : r.value, r.granularity];
        break;
      case "ranking":
        bits = [(r.rank_is_bound ? "top " : "#") + r.rank + (r.total ? " of " + r.total : ""), r.subject, r.scope,
                r.change ? "change " + (r.change > 0 ? "+" : "") + r.change : null];
        break;
      case "organization":
        bits = [r.name, r.org_type];
        break;
      default:
        bits = [r.name];
    }
    return r.kind + ": " + bits.filter(function (b) { return b !== null && b !== undefined && b !== ""; }).join(" · ");
  }

  function recordElement(r) {
    var span = el("span", "rec k-" + r.kind);
    span.setAttribute("data-record-id", r.record_id);
    span.setAttribute("data-kind", r.kind);
    span.tabIndex = 0;
    span.title = summary(r);
    return span;
  }

  // Appends the tree's text and spans to parent; returns the nesting height (0: no span inside).
  function build(parent, children, a) {
    var height = 0;
    for (var i = 0; i < children.length; i++) {
      var c = children[i];
      if (typeof c === "string") {
        parent.appendChild(document.createTextNode(c));
        continue;
      }
      var span = recordElement(a.records[c[0]]);
      var inner = build(span, c.slice(1), a);
      if (inner > 0) span.style.paddingBottom = 4 * inner + "px";
      parent.appendChild(span);
      height = Math.max(height, inner + 1);
    }
    return height;
  }

  function cell(row, value, cls) {
    var td = el("td", cls);
    td.appendChild(show(value));
    row.appendChild(td);
  }

  function factTable(caption, rows, columns, a) {
    var table = el("table", "facts");
    table.appendChild(el("caption", null, caption));
    var head = el("tr");
    columns.forEach(function (c) { head.appendChild(el("th", null, c)); });
    table.appendChild(head);
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.setAttribute("data-ref", r.record_id);
      columns.forEach(function (c) {
        var value = r[c];
        if (c === "rank" && r.rank_is_bound) value = "≤ " + r.rank;
        if (c === "change" && typeof value === "number" && value > 0) value = "+" + value;
        cell(tr, value, typeof r[c] === "number" ? "num" : null);
      });
      table.appendChild(tr);
    });
    return table;
  }

  function facts(a) {
    var box = el("div", "fact-tables");
    var rankings = a.records.filter(function (r) { return r.kind === "ranking"; });
    var numbers = a.records.filter(function (r) { return r.kind === "number"; });
    if (rankings.length) {
      box.appendChild(factTable("Rankings (" + rankings.length + ")", rankings,
        ["subject", "rank", "total", "scope", "period", "change", "text"], a));
    }
    if (numbers.length) {
      var extra = NUMBER_EXTRA.filter(function (f) {
        return numbers.some(function (r) { return r[f] !== undefined && r[f] !== null; });
      });
      box.appendChild(factTable("Numbers (" + numbers.length + ")", numbers,
        ["text", "value", "unit", "number_kind"].concat(extra), a));
    }
    return box;
  }

  function renderArticle(a) {
    var doc = el("article", "doc");
    doc.setAttribute("data-article-id", a.id);
    if (a.kicker) doc.appendChild(el("div", "kicker", a.kicker));
    doc.appendChild(el("h2", null, a.title || "(no title)"));
    var meta = el("div", "meta");
    [a.source, a.date || "no date", a.byline.length ? a.byline.join(" ") : null, a.section, a.id,
     a.records.length + " records"].forEach(function (m) { if (m) meta.appendChild(el("span", null, m)); });
    doc.appendChild(meta);
    var text = el("div", "text");
    build(text, a.tree, a);
    doc.appendChild(text);
    if (a.apart.length) {
      var apart = el("div", "apart");
      apart.appendChild(el("span", null, "Shown apart: "));
      a.apart.forEach(function (pair) {
        var r = a.records[pair[0]];
        var span = recordElement(r);
        span.textContent = r.text;
        span.title = summary(r) + " (" + pair[1] + ": " + r.start + "–" + r.end + ")";
        apart.appendChild(span);
      });
      doc.appendChild(apart);
    }
    doc.appendChild(facts(a));
    a.records.forEach(function (r) { shown[r.record_id] = r; });
    return doc;
  }

  function pages() { return Math.max(1, Math.ceil(filtered.length / PAGE_SIZE)); }

  function render() {
    shown = {};
    list.textContent = "";
    var first = state.page * PAGE_SIZE;
    var slice = filtered.slice(first, first + PAGE_SIZE);
    var frag = document.createDocumentFragment();
    slice.forEach(function (i) { frag.appendChild(renderArticle(articles[i])); });
    if (!slice.length) frag.appendChild(el("p", "none", "No article matches."));
    list.appendChild(frag);
    document.getElementById("page-info").textContent = filtered.length
      ? "articles " + (first + 1) + "–" + (first + slice.length) + " of " + filtered.length +
        " (page " + (state.page + 1) + " of " + pages() + ")"
      : "0 articles";
  }

  function select(span, r) {
    var previous = list.querySelector(".rec.selected");
    if (previous) previous.classList.remove("selected");
    if (span) span.classList.add("selected");
    panel.className = "k-" + r.kind;
    document.getElementById("panel-title").textContent = r.kind + ": " + r.text;
    var table = document.getElementById("panel-fields");
    table.textContent = "";
    var keys = Object.keys(r).filter(function (k) { return k !== "kind" && LAST_FIELDS.indexOf(k) < 0; });
    keys.concat(LAST_FIELDS).forEach(function (k) {
      if (!(k in r)) return;
      var tr = el("tr");
      tr.setAttribute("data-field", k);
      tr.appendChild(el("th", null, k));
      cell(tr, r[k]);
      table.appendChild(tr);
    });
    panel.hidden = false;
  }

  list.addEventListener("click", function (event) {
    var span = event.target.closest("[data-record-id]");
    if (span) {
      select(span, shown[span.getAttribute("data-record-id")]);
      return;
    }
    var row = event.target.closest("tr[data-ref]");
    if (row) {
      var id = row.getAttribute("data-ref");
      var target = list.querySelector('[data-record-id="' + CSS.escape(id) + '"]');
      if (target) {
        target.scrollIntoView({ block: "center" });
        target.classList.remove("flash");
        void target.offsetWidth;
        target.classList.add("flash");
      }
      select(target, shown[id]);
    }
  });
  list.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-record-id]")) event.target.click();
  });
  document.getElementById("panel-close").addEventListener("click", function () { panel.hidden = true; });

  document.querySelectorAll("#legend input").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-kind"), !box.checked);
    });
  });
  document.getElementById("kind-filter").addEventListener("change", function (event) {
    state.kind = event.target.value;
    refilter();
  });
  var search = document.getElementById("search");
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = search.value; refilter(); }, 150);
  });
  document.querySelectorAll(".source-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      search.value = link.getAttribute("data-source");
      state.query = search.value;
      refilter();
      document.getElementById("articles").scrollIntoView();
    });
  });
  document.querySelectorAll("[data-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      var page = state.page + Number(button.getAttribute("data-step"));
      if (page < 0 || page >= pages()) return;
      state.page = page;
      render();
      document.getElementById("articles").scrollIntoView();
    });
  });

  refilter();
  performance.mark("report-first-page");
})();

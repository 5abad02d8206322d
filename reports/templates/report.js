(function () {
  "use strict";
  // The findings are data (the JSON block above). This script draws one page of cards at a time
  // with textContent, never as HTML, and filters them. The state lives in the URL hash
  // (#severity=critical,high&provider=github&exposure=ignored&live=1&over=1&q=text&page=2), so a
  // filtered view can be linked, bookmarked and opened directly.
  var source = document.getElementById("tr-data");
  var data = JSON.parse(source.textContent);
  source.textContent = "";  // parsed once: 50,000 findings' text need not stay in the page as well
  var all = data.findings;
  var form = document.getElementById("filters");
  if (!form) { document.documentElement.setAttribute("data-js", "ready"); return; }  // nothing found
  var count = document.getElementById("count");
  var empty = document.getElementById("no-match");
  var cards = document.getElementById("cards");
  var pager = document.getElementById("pager");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var pageLabel = document.getElementById("page-label");
  var sevBoxes = form.querySelectorAll("input[name='severity']");
  var provider = document.getElementById("f-provider");
  var exposure = document.getElementById("f-exposure");
  var repository = document.getElementById("f-repository");  // only in a sweep of several repositories
  var liveOnly = document.getElementById("f-live");
  var overOnly = document.getElementById("f-over");
  var query = document.getElementById("f-q");
  var LIVE = {live: "Live", revoked: "Revoked", unknown: "Liveness unknown"};
  var page = 1;
  var matching = all;

  // ── drawing a card ───────────────────────────────────────────────────────────────────────
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function add(parent, child) { parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child); return child; }

  function list(i) { return i === undefined ? [] : data.lists[i]; }

  function chips(items, label, classOf) {
    var ul = el("ul", "chips");
    ul.setAttribute("aria-label", label);
    for (var i = 0; i < items.length; i++) { add(ul, el("li", classOf ? classOf(items[i]) : "", items[i])); }
    return ul;
  }

  function fact(dl, term, value) {
    add(dl, el("dt", "", term));
    var dd = add(dl, el("dd"));
    add(dd, value);
    return dd;
  }

  function capClass(c) {
    return "cap cap-" + (data.dangerous.indexOf(c) >= 0 ? "danger" : c);
  }

  function place(loc) {
    // [path, line, column, exposure, commit, author, date, encoding, repository (a sweep only)]
    var li = el("li");
    if (loc[8]) { add(li, el("span", "mono", loc[8] + ": ")); }
    add(li, el("span", "mono", loc[0] + ":" + loc[1] + ":" + loc[2]));
    add(li, " ");
    var meta = add(li, el("span", "loc-meta", "· " + (data.exposurePhrase[loc[3]] || loc[3])));
    if (loc[7]) { add(meta, " · " + loc[7] + "-encoded"); }
    if (loc[3] === "history" && loc[4]) {
      add(meta, " · commit ");
      add(meta, el("span", "mono", loc[4].slice(0, 12)));
      if (loc[5]) { add(meta, " by " + loc[5]); }
      if (loc[6]) { add(meta, " on " + loc[6]); }
    }
    return li;
  }

  function places(locs) {
    var ul = el("ul", "locations");
    for (var i = 0; i < locs.length; i++) { add(ul, place(locs[i])); }
    return ul;
  }

  function card(f) {
    var art = el("article", "finding sev-" + f.severity);
    art.id = f.id;
    art.setAttribute("aria-labelledby", f.id + "-title");
    art.setAttribute("data-provider", f.provider);
    art.setAttribute("data-severity", f.severity);
    var head = add(art, el("header"));
    add(head, el("span", "badge sev-" + f.severity, f.severity.charAt(0).toUpperCase() + f.severity.slice(1)));
    var h3 = add(head, el("h3", "", f.name));
    h3.id = f.id + "-title";
    if (f.over) { add(head, el("span", "badge over", "Over-privileged")); }
    add(head, el("span", "badge live-" + f.live, LIVE[f.live]));

    var cols = add(art, el("div", "cols"));
    var dl = add(cols, el("dl", "facts"));
    var token = fact(dl, "Token", el("code", "", f.value));
    if (data.showSecrets) { add(token, " "); add(token, el("strong", "", "(full secret shown: --show-secrets)")); }
    var prov = fact(dl, "Provider", f.title);
    if (f.kind) { add(prov, " · "); add(prov, el("span", "kind", f.kind.replace(/_/g, " "))); }
    if (f.variable) { fact(dl, "Name", el("code", "", f.variable)); }
    fact(dl, "Exposure", data.exposurePhrase[f.exposure] || f.exposure);
    fact(dl, "Identity", f.identity || "unknown");
    fact(dl, "Reach", f.reach || "unknown");
    fact(dl, "Can", f.capabilities.length ? chips(f.capabilities, "Capabilities", capClass) : "unknown");
    if (f.grants) { fact(dl, "Grants", chips(f.grants, "The provider's own grants")); }
    if (f.resources) {
      var res = chips(f.resources, "Reachable resources");
      if (f.resourcesMore) { add(res, el("li", "", "+" + f.resourcesMore + " more")); }
      fact(dl, "Reaches", res);
    }
    if (f.expires) { fact(dl, "Expires", f.expires); }
    if (f.evidence) { fact(dl, "Evidence", data.evidencePhrase[f.evidence] || f.evidence); }

    var side = add(cols, el("div"));
    var reasons = list(f.reasons);
    if (reasons.length) {
      add(side, el("h4", "", "Why it matters"));
      var ul = add(side, el("ul", "reasons"));
      for (var r = 0; r < reasons.length; r++) { add(ul, el("li", "", reasons[r])); }
    }
    var total = f.locationsTotal || f.locations.length;
    add(side, el("h4", "", "Where (" + total + ")"));
    add(side, places(f.locations.slice(0, data.shownLocations)));
    var rest = f.locations.slice(data.shownLocations);
    if (rest.length) {
      var more = add(side, el("details"));
      add(more, el("summary", "", rest.length + " more location" + (rest.length === 1 ? "" : "s")));
      add(more, places(rest));
    }
    if (total > f.locations.length) {
      add(side, el("p", "loc-meta", (total - f.locations.length) + " more in the JSON report"));
    }
    add(side, el("h4", "", "What to do"));
    var ol = add(side, el("ol", "remediation"));
    var steps = list(f.remediation);
    for (var s = 0; s < steps.length; s++) { add(ol, el("li", "", steps[s])); }
    if (f.revoke && f.revoke.indexOf("https://") === 0) {  // a detector's constant; checked all the same
      var a = add(side, el("a", "revoke", "Revoke it at " + f.title));
      a.href = f.revoke;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      add(a, el("span", "sr-only", " (opens a new tab)"));
    }
    var notes = list(f.notes);
    if (notes.length) {
      var how = add(art, el("details"));
      add(how, el("summary", "", "How tokenreach knows (" + notes.length + " note" + (notes.length === 1 ? "" : "s") + ")"));
      var nl = add(how, el("ul"));
      for (var n = 0; n < notes.length; n++) { add(nl, el("li", "", notes[n])); }
      var fp = add(how, el("p", "loc-meta", "Fingerprint "));
      add(fp, el("span", "mono", f.fingerprint));
    }
    return art;
  }

  // ── filtering and paging ─────────────────────────────────────────────────────────────────
  function searchText(f) {
    // What the search box looks through: what the card shows, never more. Built on first use.
    if (f.text === undefined) {
      var parts = [f.title, f.provider, f.name, f.kind, f.variable, f.value, f.severity, f.live, f.identity, f.reach]
        .concat(f.capabilities, f.grants || [], f.resources || [], list(f.reasons));
      for (var i = 0; i < f.locations.length; i++) { parts.push(f.locations[i][0], f.locations[i][4], f.locations[i][5], f.locations[i][8]); }
      f.text = parts.filter(function (x) { return x; }).join(" ").toLowerCase();
    }
    return f.text;
  }

  function read() {
    var sev = [];
    for (var i = 0; i < sevBoxes.length; i++) { if (sevBoxes[i].checked) { sev.push(sevBoxes[i].value); } }
    return {
      severity: sev.length === sevBoxes.length ? null : sev,
      provider: provider.value, exposure: exposure.value, repository: repository ? repository.value : "",
      live: liveOnly.checked, over: overOnly.checked,
      q: query.value.trim().toLowerCase()
    };
  }

  function matches(f, st) {
    if (st.severity && st.severity.indexOf(f.severity) < 0) { return false; }
    if (st.provider && f.provider !== st.provider) { return false; }
    if (st.exposure && f.exposures.indexOf(st.exposure) < 0) { return false; }
    if (st.repository && (f.repositories || []).indexOf(st.repository) < 0) { return false; }
    if (st.live && f.live !== "live") { return false; }
    if (st.over && !f.over) { return false; }
    if (st.q) {
      var words = st.q.split(/\s+/);
      var text = searchText(f);
      for (var w = 0; w < words.length; w++) { if (text.indexOf(words[w]) < 0) { return false; } }
    }
    return true;
  }

  function pages() { return Math.max(1, Math.ceil(matching.length / data.page)); }

  function number(n) { return n.toLocaleString("en-US"); }

  function draw() {
    page = Math.min(Math.max(1, page), pages());
    var start = (page - 1) * data.page;
    var shown = matching.slice(start, start + data.page);
    var frag = document.createDocumentFragment();
    for (var i = 0; i < shown.length; i++) { frag.appendChild(card(shown[i])); }
    cards.textContent = "";
    cards.appendChild(frag);
    var of = number(all.length) + " finding" + (all.length === 1 ? "" : "s");
    if (pages() === 1) {
      count.textContent = "Showing " + number(matching.length) + " of " + of;
    } else {
      count.textContent = "Showing " + number(start + 1) + "–" + number(start + shown.length) + " of " +
        number(matching.length) + (matching.length === all.length ? " findings" : " matching (" + of + " in all)");
    }
    pageLabel.textContent = "Page " + number(page) + " of " + number(pages());
    prev.disabled = page <= 1;
    next.disabled = page >= pages();
    pager.hidden = pages() <= 1;
    document.documentElement.setAttribute("data-shown", String(matching.length));
    document.documentElement.setAttribute("data-page", String(page));
    if (empty) { empty.hidden = matching.length !== 0 || all.length === 0; }
  }

  function apply() {
    var st = read();
    matching = all.filter(function (f) { return matches(f, st); });
    draw();
    return st;
  }

  function toHash(st) {
    var parts = [];
    if (st.severity) { parts.push("severity=" + st.severity.join(",")); }
    if (st.provider) { parts.push("provider=" + encodeURIComponent(st.provider)); }
    if (st.exposure) { parts.push("exposure=" + encodeURIComponent(st.exposure)); }
    if (st.repository) { parts.push("repository=" + encodeURIComponent(st.repository)); }
    if (st.live) { parts.push("live=1"); }
    if (st.over) { parts.push("over=1"); }
    if (st.q) { parts.push("q=" + encodeURIComponent(st.q)); }
    if (page > 1) { parts.push("page=" + page); }
    return parts.join("&");
  }

  function setSelect(select, value) {
    select.value = "";
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.value = value; }
    }
  }

  function fromHash() {
    var hash = window.location.hash.replace(/^#/, "");
    // A plain anchor (#f…, #findings) is a jump, not a filter: leave the filters alone.
    if (hash.indexOf("=") < 0) { return false; }
    var params = {};
    hash.split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at < 0) { return; }
      try { params[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " ")); } catch (e) { /* malformed escape: ignore that pair */ }
    });
    var sev = params.severity ? params.severity.split(",") : null;
    for (var i = 0; i < sevBoxes.length; i++) { sevBoxes[i].checked = !sev || sev.indexOf(sevBoxes[i].value) >= 0; }
    setSelect(provider, params.provider || "");
    setSelect(exposure, params.exposure || "");
    if (repository) { setSelect(repository, params.repository || ""); }
    liveOnly.checked = params.live === "1";
    overOnly.checked = params.over === "1";
    query.value = params.q || "";
    page = parseInt(params.page, 10) || 1;
    return true;
  }

  function jump() {
    // #f12-… names one finding: show the page that holds it (clearing filters that hide it).
    var id = window.location.hash.replace(/^#/, "");
    if (!/^f\d+-/.test(id)) { return; }
    var at = matching.findIndex(function (f) { return f.id === id; });
    if (at < 0 && all.some(function (f) { return f.id === id; })) {
      form.reset();
      page = 1;
      apply();
      at = matching.findIndex(function (f) { return f.id === id; });
    }
    if (at < 0) { return; }
    page = Math.floor(at / data.page) + 1;
    draw();
    var target = document.getElementById(id);
    if (target) { target.scrollIntoView(); }
  }

  function update() {
    var st = apply();
    var hash = toHash(st);
    try {
      window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    } catch (e) { /* some viewers forbid history on file:// URLs; filtering still works */ }
  }

  function turn(by) {
    page += by;
    update();
    document.getElementById("findings").focus();
  }

  form.addEventListener("input", function () { page = 1; update(); });
  form.addEventListener("change", function () { page = 1; update(); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); page = 1; update(); });
  form.addEventListener("reset", function () { window.setTimeout(function () { page = 1; update(); }, 0); });
  prev.addEventListener("click", function () { turn(-1); });
  next.addEventListener("click", function () { turn(1); });
  window.addEventListener("hashchange", function () {
    if (fromHash()) { apply(); } else { jump(); }
  });
  // Print everything of the page shown, including the collapsed details.
  window.addEventListener("beforeprint", function () {
    var details = document.querySelectorAll("details");
    for (var i = 0; i < details.length; i++) { details[i].open = true; }
  });

  var filtered = fromHash();
  apply();
  if (!filtered) { jump(); }
  form.hidden = false;
  count.hidden = false;
  document.documentElement.setAttribute("data-js", "ready");
}());

(function () {
  "use strict";
  // Filters and search over the findings rendered above. The state lives in the URL hash
  // (#severity=critical,high&provider=github&exposure=ignored&live=1&over=1&q=text), so a filtered
  // view can be linked, bookmarked and opened directly.
  var data = JSON.parse(document.getElementById("tr-data").textContent);
  var form = document.getElementById("filters");
  var count = document.getElementById("count");
  var empty = document.getElementById("no-match");
  var sevBoxes = form.querySelectorAll("input[name='severity']");
  var provider = document.getElementById("f-provider");
  var exposure = document.getElementById("f-exposure");
  var liveOnly = document.getElementById("f-live");
  var overOnly = document.getElementById("f-over");
  var query = document.getElementById("f-q");

  function read() {
    var sev = [];
    for (var i = 0; i < sevBoxes.length; i++) { if (sevBoxes[i].checked) { sev.push(sevBoxes[i].value); } }
    return {
      severity: sev.length === sevBoxes.length ? null : sev,
      provider: provider.value, exposure: exposure.value,
      live: liveOnly.checked, over: overOnly.checked,
      q: query.value.trim().toLowerCase()
    };
  }

  function matches(f, st) {
    if (st.severity && st.severity.indexOf(f.severity) < 0) { return false; }
    if (st.provider && f.provider !== st.provider) { return false; }
    if (st.exposure && f.exposures.indexOf(st.exposure) < 0) { return false; }
    if (st.live && f.live !== "live") { return false; }
    if (st.over && !f.over) { return false; }
    if (st.q) {
      var words = st.q.split(/\s+/);
      for (var w = 0; w < words.length; w++) { if (f.text.indexOf(words[w]) < 0) { return false; } }
    }
    return true;
  }

  function apply() {
    var st = read();
    var shown = 0;
    for (var i = 0; i < data.findings.length; i++) {
      var f = data.findings[i];
      var el = document.getElementById(f.id);
      var ok = matches(f, st);
      if (el) { el.hidden = !ok; }
      if (ok) { shown++; }
    }
    count.textContent = "Showing " + shown + " of " + data.findings.length + " finding" +
      (data.findings.length === 1 ? "" : "s");
    document.documentElement.setAttribute("data-shown", String(shown));
    if (empty) { empty.hidden = shown !== 0 || data.findings.length === 0; }
    return st;
  }

  function toHash(st) {
    var parts = [];
    if (st.severity) { parts.push("severity=" + st.severity.join(",")); }
    if (st.provider) { parts.push("provider=" + encodeURIComponent(st.provider)); }
    if (st.exposure) { parts.push("exposure=" + encodeURIComponent(st.exposure)); }
    if (st.live) { parts.push("live=1"); }
    if (st.over) { parts.push("over=1"); }
    if (st.q) { parts.push("q=" + encodeURIComponent(st.q)); }
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
    // A plain anchor (#f-…, #findings) is a jump, not a filter: leave the filters alone.
    if (hash.indexOf("=") < 0) { return; }
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
    liveOnly.checked = params.live === "1";
    overOnly.checked = params.over === "1";
    query.value = params.q || "";
  }

  function update() {
    var st = apply();
    var hash = toHash(st);
    try {
      window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    } catch (e) { /* some viewers forbid history on file:// URLs; filtering still works */ }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); update(); });
  form.addEventListener("reset", function () { window.setTimeout(update, 0); });
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  // Print everything a reader might need, including the collapsed details.
  window.addEventListener("beforeprint", function () {
    var all = document.querySelectorAll("details");
    for (var i = 0; i < all.length; i++) { all[i].open = true; }
  });

  fromHash();
  apply();
  form.hidden = false;
  count.hidden = false;
  document.documentElement.setAttribute("data-js", "ready");
}());

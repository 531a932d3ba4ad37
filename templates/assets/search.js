// The search page: reads the index that `newsgen build` writes into search/data/ (see newsgen/search.py
// for its files) with fetch, from wherever the site is served. Words become terms by the same rules as
// newsgen/search.py's words(), fold() and term(); a browser test holds the two equal. Every piece of
// index data reaches the page as text (textContent), never as markup: scraped titles are hostile.
(function () {
  "use strict";

  var PAGE = 20; // results shown at a time
  var COMPLETIONS = 8; // terms the word being typed may stand for
  var MAX_TERM = 40;
  var TIME_DIGITS = 8;
  var FACET = "\u0001";
  var INVISIBLE = /['\u2019\u02BC\u00AD\u200C\u200D\u2060\uFE00-\uFE0F]|\uDB40[\uDD00-\uDDEF]/g;
  var WORD = /[\p{L}\p{N}\p{Mn}\p{Mc}]+/gu;
  var ENDS_IN_WORD = /[\p{L}\p{N}\p{Mn}\p{Mc}]$/u;
  var RUN = /[\p{L}\p{N}\p{Mn}\p{Mc}'\u2019\u02BC\u00AD\u200C\u200D\u2060]+/gu; // a word as written, to mark

  // --- terms (newsgen/search.py) ---

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().replace(/ς/g, "σ").replace(INVISIBLE, "");
  }

  function words(text) {
    return (normalize(text).match(WORD) || []).map(function (word) {
      var chars = word.length > MAX_TERM ? Array.from(word) : null;
      return chars && chars.length > MAX_TERM ? chars.slice(0, MAX_TERM).join("") : word;
    });
  }

  function fold(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
    if (word.length >= 5 && word.endsWith("ies")) return word.slice(0, -3) + "y";
    if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function term(word, stop) {
    return stop.has(word) ? "" : fold(word);
  }

  function indexTerms(text, stop) {
    return words(text).map(function (word) { return term(word, stop); }).filter(Boolean);
  }

  var CRC_TABLE = (function () {
    var table = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      table.push(c >>> 0);
    }
    return table;
  })();
  var encoder = new TextEncoder();

  function crc32(text) { // zlib.crc32 of the UTF-8 bytes
    var bytes = encoder.encode(text), c = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
    return (c ^ 0xFFFFFFFF) >>> 0;
  }

  window.newsgenSearch = { words: words, term: term, indexTerms: indexTerms, crc32: crc32 }; // for the tests

  var box = document.getElementById("search");
  if (!box) return;
  var input = document.getElementById("search-input");
  var sourceSelect = document.getElementById("search-source");
  var yearSelect = document.getElementById("search-year");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var moreButton = document.getElementById("search-more");
  var rootAttribute = box.getAttribute("data-site-root");
  var root = new URL(rootAttribute, window.location.href);
  var pretty = !/index\.html$/.test(rootAttribute); // the site's links leave out index.html
  var top = new URL(box.getAttribute("data-index"), window.location.href);

  // --- the index files ---

  var files = new Map();

  function load(url) {
    if (!files.has(url)) {
      files.set(url, fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      }).catch(function (error) {
        files.delete(url);
        throw error;
      }));
    }
    return files.get(url);
  }

  function file(kind, number) {
    return load(new URL(kind + "/" + number + ".json", top).href);
  }

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
  }

  function decode(postings, width) { // "values gap gap …" → ids and the value of each
    var parts = postings ? postings.split(" ") : [""], ids = [], id = 0;
    for (var i = 1; i < parts.length; i++) {
      id += parseInt(parts[i], 16);
      ids.push(id);
    }
    return { ids: ids, values: parts[0], width: width };
  }

  function postings(index, t) {
    return file("words", crc32(t) & (index.shards.words - 1)).then(function (shard) {
      return decode(own(shard, t) || "", 1);
    });
  }

  function completions(index, prefix) {
    var key = Array.from(prefix).slice(0, 2).join("");
    return file("prefixes", crc32(key) & (index.shards.prefixes - 1)).then(function (shard) {
      return Object.keys(shard).filter(function (t) { return t.startsWith(prefix); }).sort(function (a, b) {
        return shard[b] - shard[a] || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
      }).slice(0, COMPLETIONS);
    });
  }

  var dates = null;

  function loadDates(index) { // every document's time, to put newer first among equal scores
    if (!dates) {
      var shards = [];
      for (var k = 0; k < index.shards.dates; k++) shards.push(file("dates", k));
      dates = Promise.all(shards).then(function (all) {
        var times = new Map();
        all.forEach(function (text) {
          var found = decode(text, TIME_DIGITS);
          found.ids.forEach(function (id, i) {
            times.set(id, parseInt(found.values.slice(i * TIME_DIGITS, (i + 1) * TIME_DIGITS), 16));
          });
        });
        return times;
      }).catch(function (error) {
        dates = null;
        throw error;
      });
    }
    return dates;
  }

  // --- searching ---

  function parse(query, stop) {
    // AND of the words; the last one, while it is being typed, also stands for the terms it begins.
    var found = words(query), groups = [], seen = new Set();
    var typing = found.length > 0 && ENDS_IN_WORD.test(normalize(query));
    found.forEach(function (word, i) {
      var t = term(word, stop);
      if (typing && i === found.length - 1 && Array.from(word).length >= 2) {
        groups.push({ exact: t, prefix: word });
      } else if (t && !seen.has(t)) {
        seen.add(t);
        groups.push({ exact: t, prefix: "" });
      }
    });
    return groups;
  }

  function idf(count, df) {
    return Math.log(1 + (count - df + 0.5) / (df + 0.5));
  }

  function scoreGroup(index, group) {
    // id → score of the group's best term in it; a completion counts a little less than the word itself
    var terms = group.prefix ? completions(index, group.prefix) : Promise.resolve([]);
    return terms.then(function (completed) {
      var all = group.exact ? [group.exact].concat(completed.filter(function (t) { return t !== group.exact; })) : completed;
      return Promise.all(all.map(function (t) { return postings(index, t); })).then(function (lists) {
        var scores = new Map();
        lists.forEach(function (list, n) {
          var weight = idf(index.count, list.ids.length) * (all[n] === group.exact ? 1 : 0.9);
          list.ids.forEach(function (id, i) {
            var score = weight * parseInt(list.values[i], 36);
            if (!(scores.get(id) >= score)) scores.set(id, score);
          });
        });
        return { scores: scores, terms: all };
      });
    });
  }

  function search(index, state) {
    var groups = parse(state.q, new Set(index.stop));
    var facets = [];
    if (state.source) facets.push(FACET + "source:" + state.source);
    if (state.year) facets.push(FACET + "year:" + state.year);
    if (!groups.length && !facets.length) return Promise.resolve(null);
    return Promise.all([
      Promise.all(groups.map(function (group) { return scoreGroup(index, group); })),
      Promise.all(facets.map(function (t) { return postings(index, t); })),
      loadDates(index),
    ]).then(function (found) {
      var scored = found[0], filters = found[1].map(function (list) { return new Set(list.ids); }), times = found[2];
      var base = scored.length ? scored.slice().sort(function (a, b) { return a.scores.size - b.scores.size; })[0].scores
        : new Map(Array.from(filters[0]).map(function (id) { return [id, 0]; }));
      var results = [];
      base.forEach(function (_, id) {
        var score = 0;
        for (var g = 0; g < scored.length; g++) {
          var s = scored[g].scores.get(id);
          if (s === undefined) return;
          score += s;
        }
        for (var f = 0; f < filters.length; f++) if (!filters[f].has(id)) return;
        results.push({ id: id, score: score, time: times.get(id) || 0 });
      });
      results.sort(function (a, b) { return b.score - a.score || b.time - a.time || a.id - b.id; });
      var marks = new Set(), prefixes = [];
      scored.forEach(function (group, g) {
        group.terms.forEach(function (t) { marks.add(t); });
        if (groups[g].prefix) prefixes.push(groups[g].prefix);
      });
      return { results: results, marks: marks, prefixes: prefixes };
    });
  }

  // --- the page ---

  function link(path) { // an address on this site, or null
    var url = new URL(pretty ? path.replace(/(^|\/)index\.html$/, "$1") : path, root);
    return url.origin === root.origin ? url.href : null;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function marked(parent, text, found, stop) {
    // the text, with each word whose term was searched for in <mark>
    var last = 0;
    text.replace(RUN, function (run, at) {
      var hit = indexTerms(run, stop).some(function (t) {
        return found.marks.has(t) || found.prefixes.some(function (p) { return t.startsWith(p); });
      });
      if (hit) {
        parent.append(text.slice(last, at), element("mark", "", run));
        last = at + run.length;
      }
      return run;
    });
    parent.append(text.slice(last));
  }

  function item(record, found, stop) {
    var li = element("li", "article-item search-result");
    var article = element("article");
    var heading = element("h2", "article-item-title");
    var anchor = element("a", "search-result-link", record[1]);
    anchor.href = link(record[0]);
    heading.append(anchor);
    var meta = element("p", "meta");
    meta.append(element("span", "search-result-date", record[2] || "Undated"), " · ",
      element("span", "source", record[3]));
    var excerpt = element("p", "lead search-result-excerpt");
    marked(excerpt, record[4], found, stop);
    article.append(heading, meta, excerpt);
    li.append(article);
    return li;
  }

  var index = null, current = null, shown = 0, generation = 0, timer = 0;

  function state() {
    return { q: input.value, source: sourceSelect.value, year: yearSelect.value };
  }

  function keepInUrl(s) {
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    if (s.source) params.set("source", s.source);
    if (s.year) params.set("year", s.year);
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function describe(s, count) {
    var what = count === 0 ? "No results" : count + (count === 1 ? " result" : " results");
    var where = [];
    if (s.source) where.push(sourceSelect.options[sourceSelect.selectedIndex].text);
    if (s.year) where.push(s.year);
    return what + (s.q.trim() ? " for “" + s.q.trim() + "”" : "") + (where.length ? " in " + where.join(", ") : "");
  }

  function items(found, from) { // the list items of results from .. from + PAGE
    var stop = new Set(index.stop), page = found.results.slice(from, from + PAGE);
    return Promise.all(page.map(function (r) { return file("docs", r.id & (index.shards.docs - 1)); }))
      .then(function (shards) {
        return page.map(function (r, i) { return own(shards[i], r.id.toString(16)); })
          .filter(function (record) { return record && link(record[0]); })
          .map(function (record) { return item(record, found, stop); });
      });
  }

  function showMore() {
    var mine = generation;
    items(current, shown).then(function (more) {
      if (mine !== generation) return;
      list.append.apply(list, more);
      shown += PAGE;
      moreButton.hidden = shown >= current.results.length;
    });
  }

  function update() { // results and status change together, when the first page is ready
    var s = state(), mine = ++generation;
    keepInUrl(s);
    search(index, s).then(function (found) {
      return found ? items(found, 0).then(function (first) { return [found, first]; }) : [null, []];
    }).then(function (ready) {
      if (mine !== generation) return;
      current = ready[0];
      shown = PAGE;
      list.replaceChildren.apply(list, ready[1]);
      status.textContent = current ? describe(s, current.results.length) : "";
      moreButton.hidden = !current || shown >= current.results.length;
    }).catch(function () {
      if (mine === generation) status.textContent = "The search index could not be read; try again later.";
    });
  }

  function fill(select, options, chosen) {
    options.forEach(function (option) {
      var node = element("option", "", option[1]);
      node.value = String(option[0]);
      select.append(node);
    });
    select.value = Array.from(select.options).some(function (o) { return o.value === chosen; }) ? chosen : "";
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  if (window.location.protocol === "file:") {
    status.textContent = "Search needs the site to be served over HTTP, for example with: python -m http.server";
    return;
  }
  load(top.href).then(function (loaded) {
    index = loaded;
    fill(sourceSelect, index.sources.slice().sort(function (a, b) {
      return a[1].localeCompare(b[1]) || (a[0] < b[0] ? -1 : 1);
    }), params.get("source") || "");
    fill(yearSelect, index.years.slice().reverse().map(function (y) { return [y[0], String(y[0])]; }),
      params.get("year") || "");
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    sourceSelect.addEventListener("change", update);
    yearSelect.addEventListener("change", update);
    box.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      update();
    });
    moreButton.addEventListener("click", showMore);
    if (input.value || sourceSelect.value || yearSelect.value) update();
    else input.focus();
  }).catch(function () {
    status.textContent = "The search index is missing: this site was built without search.";
  });
})();

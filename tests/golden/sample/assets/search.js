// The search page: reads the index that `newsgen build` writes into search/data/ (see
// newsgen/output/searchindex.py for its files) with fetch, from wherever the site is served. Words become terms by the same rules as
// newsgen/output/searchdocs.py's words() and term_counts(), with the same Snowball stemmers (assets/stemmers/,
// loaded for the languages the index says its articles are in); a browser test holds the two equal.
// Phrases and excerpts are found in the text of each result's own page, fetched from the site. Every
// piece of index or page data reaches the page as text (textContent), never as markup: scraped text is hostile.
(function () {
  "use strict";

  var PAGE = 20; // results shown at a time
  var COMPLETIONS = 8; // terms the word being typed may stand for
  var MAX_TERM = 40;
  var TIME_DIGITS = 8;
  var FACET = "\u0001";
  var EXCERPT_WORDS = 32; // words shown around the best match
  var BEFORE_MATCH = 8; // of them, before its first word
  var FETCHES = 6; // pages fetched at once to check a phrase
  var PHRASE_CHECKS = 300; // the best-scored articles with all of a phrase's words that are checked for it
  var INVISIBLE = /['\u2019\u02BC\u00AD\u200C\u200D\u2060\uFE00-\uFE0F]|\uDB40[\uDD00-\uDDEF]/g;
  var WORD = /[\p{L}\p{N}\p{Mn}\p{Mc}]+/gu;
  var ENDS_IN_WORD = /[\p{L}\p{N}\p{Mn}\p{Mc}]$/u;
  var RUN = /[\p{L}\p{N}\p{Mn}\p{Mc}'\u2019\u02BC\u00AD\u200C\u200D\u2060]+/gu; // a word as written, to mark
  var QUOTE = /["\u201C\u201D\u201E\u00AB\u00BB]/; // a phrase is between two of these (or one and the end)
  var BLOCKS = "h1,h2,h3,h4,h5,h6,p,li,blockquote,pre,td,th,dt,dd,figcaption"; // a page's text, a block at a time
  var scriptUrl = document.currentScript ? document.currentScript.src : window.location.href;

  // --- terms (newsgen/output/searchdocs.py) ---

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().replace(/ς/g, "σ").replace(INVISIBLE, "");
  }

  function words(text) {
    return (normalize(text).match(WORD) || []).map(function (word) {
      var chars = word.length > MAX_TERM ? Array.from(word) : null;
      return chars && chars.length > MAX_TERM ? chars.slice(0, MAX_TERM).join("") : word;
    });
  }

  function identity(word) {
    return word;
  }

  var scripts = new Map();

  function loadScript(name) { // assets/stemmers/<name>.js, once
    if (!scripts.has(name)) {
      scripts.set(name, new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL("stemmers/" + name + ".js", scriptUrl).href;
        script.onload = resolve;
        script.onerror = function () {
          scripts.delete(name);
          reject(new Error(script.src));
        };
        document.head.append(script);
      }));
    }
    return scripts.get(name);
  }

  function stemmers(names) { // the stem function of each Snowball stemmer named ("" for none)
    var real = names.filter(Boolean);
    var loaded = real.length ? loadScript("base-stemmer").then(function () {
      return Promise.all(real.map(function (name) { return loadScript(name + "-stemmer"); }));
    }) : Promise.resolve();
    return loaded.then(function () {
      return names.map(function (name) {
        if (!name) return identity;
        var stemmer = new window[name.charAt(0).toUpperCase() + name.slice(1) + "Stemmer"](), known = new Map();
        return function (word) {
          if (!known.has(word)) known.set(word, stemmer.stemWord(word));
          return known.get(word);
        };
      });
    });
  }

  function term(word, stop, stem) {
    return stop.has(word) ? "" : stem(word);
  }

  function indexTerms(text, stop, stem) {
    return words(text).map(function (word) { return term(word, stop, stem); }).filter(Boolean);
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

  window.newsgenSearch = { // for the tests
    words: words, term: term, indexTerms: indexTerms, crc32: crc32, stemmers: stemmers, parse: parse,
  };

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
  // The page's words in the site's language, from the JSON block search.html renders (newsgen/output/pages.py's
  // search_messages); English where a site's own search.html has none.
  var messages = Object.assign({
    lang: "en", undated: "Undated", page: "Page", noResults: "No results", results: { one: "%(num)d result", other: "%(num)d results" },
    query: "for “%(query)s”", where: "in %(where)s", unchecked: "(of the %(num)d articles with the words that match best)",
    unreadable: "The search index could not be read; try again later.",
    needsHttp: "Search needs the site to be served over HTTP, for example with: python -m http.server",
  }, JSON.parse((document.getElementById("search-messages") || {}).textContent || "{}"));
  var plural = new Intl.PluralRules(messages.lang); // the CLDR category ("one", "few", ...) names the form

  function say(message, values) { // a message with its %(name)s and %(name)d filled in
    return message.replace(/%\((\w+)\)[sd]/g, function (all, name) { return String(values[name]); });
  }

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
    // the terms the word being typed begins; else the longest term it begins with (a stem: "investm" → "invest")
    var key = Array.from(prefix).slice(0, 2).join("");
    return file("prefixes", crc32(key) & (index.shards.prefixes - 1)).then(function (shard) {
      var terms = Object.keys(shard), found = terms.filter(function (t) { return t.startsWith(prefix); });
      if (!found.length) {
        var stem = terms.filter(function (t) {
          return prefix.startsWith(t) && t.length >= 3 && prefix.length - t.length <= 4;
        }).sort(function (a, b) { return b.length - a.length; })[0];
        return stem ? [stem] : [];
      }
      return found.sort(function (a, b) {
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

  function parse(query, stop, stems, typing) {
    // Every word is required, as any of its stems (one per language of the index). Words between quotes
    // also form a phrase, to be found in this order in a page. Only while the query is being typed does
    // its last word stand for the terms it begins as well.
    var parts = query.split(QUOTE), groups = [], phrases = [], seen = new Map(), last = parts.length - 1;
    typing = typing && ENDS_IN_WORD.test(normalize(query));
    parts.forEach(function (part, p) {
      var found = words(part), phrase = [];
      found.forEach(function (word, i) {
        var prefix = typing && p === last && i === found.length - 1 && Array.from(word).length >= 2 ? word : "";
        var terms = stop.has(word) ? [] : Array.from(new Set(stems.map(function (stem) { return stem(word); })));
        phrase.push({ word: word, terms: terms, prefix: prefix });
        var key = terms.join(" ") + "\u0000" + prefix;
        if ((terms.length || prefix) && !seen.has(key)) {
          seen.set(key, true);
          groups.push({ exact: terms, prefix: prefix });
        }
      });
      if (p % 2 === 1 && phrase.length > 1) phrases.push(phrase);
    });
    return { groups: groups, phrases: phrases };
  }

  function idf(count, df) {
    return Math.log(1 + (count - df + 0.5) / (df + 0.5));
  }

  function scoreGroup(index, group) {
    // id → score of the group's best term in it; a completion counts a little less than the word itself
    var terms = group.prefix ? completions(index, group.prefix) : Promise.resolve([]);
    return terms.then(function (completed) {
      var all = group.exact.concat(completed.filter(function (t) { return group.exact.indexOf(t) < 0; }));
      return Promise.all(all.map(function (t) { return postings(index, t); })).then(function (lists) {
        var scores = new Map();
        lists.forEach(function (list, n) {
          var weight = idf(index.count, list.ids.length) * (n < group.exact.length ? 1 : 0.9);
          list.ids.forEach(function (id, i) {
            var score = weight * parseInt(list.values[i], 36);
            if (!(scores.get(id) >= score)) scores.set(id, score);
          });
        });
        return { scores: scores, terms: all };
      });
    });
  }

  function search(index, state, typing) {
    var query = parse(state.q, index.stopSet, index.stems, typing), groups = query.groups;
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
      var answer = { results: results, marks: marks, prefixes: prefixes, phrases: query.phrases, stems: index.stems,
        stop: index.stopSet };
      return query.phrases.length ? withPhrases(index, answer) : answer;
    });
  }

  // --- the text of a result's page: for phrases and excerpts ---

  var pages = new Map();

  function record(index, id) {
    return file("docs", id & (index.shards.docs - 1)).then(function (shard) {
      var found = own(shard, id.toString(16));
      return found && link(found[0]) ? found : null;
    });
  }

  function pageBlocks(index, id) { // the text of the result's article, a block (heading, paragraph, …) at a time:
    // [{text, heading}]
    if (!pages.has(id)) {
      pages.set(id, record(index, id).then(function (found) {
        if (!found) return null;
        return fetch(link(found[0])).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        }).then(function (html) { // parsed inert: no script runs, nothing is loaded
          var page = new DOMParser().parseFromString(html, "text/html");
          var article = page.querySelector("main article") || page.querySelector("article") || page.body;
          var blocks = Array.from(article.querySelectorAll(BLOCKS)).filter(function (node) {
            return !node.querySelector(BLOCKS);
          }).map(function (node) {
            return { text: node.textContent.replace(/\s+/g, " ").trim(), heading: /^H\d$/.test(node.tagName) };
          }).filter(function (block) { return block.text; });
          return blocks.length ? blocks : [{ text: article.textContent.replace(/\s+/g, " ").trim(), heading: false }];
        });
      }).catch(function () {
        pages.delete(id);
        return null;
      }));
    }
    return pages.get(id);
  }

  function hit(word, found) { // whether a word of a page is one the query searched for
    if (found.prefixes.some(function (p) { return word.startsWith(p); })) return true;
    return !found.stop.has(word) && found.stems.some(function (stem) { return found.marks.has(stem(word)); });
  }

  function sameWord(word, wanted, found) { // a word of a page, against one of a phrase
    if (word === wanted.word || (wanted.prefix && word.startsWith(wanted.prefix))) return true;
    return wanted.terms.length > 0 && !found.stop.has(word) &&
      found.stems.some(function (stem) { return wanted.terms.indexOf(stem(word)) >= 0; });
  }

  function phraseAt(list, i, phrase, found) {
    for (var j = 0; j < phrase.length; j++) {
      if (i + j >= list.length || !sameWord(list[i + j], phrase[j], found)) return false;
    }
    return true;
  }

  function phraseStarts(list, phrase, found) { // where in a block's words the phrase starts
    var starts = [];
    for (var i = 0; i + phrase.length <= list.length; i++) if (phraseAt(list, i, phrase, found)) starts.push(i);
    return starts;
  }

  function hasPhrases(blocks, found) {
    return found.phrases.every(function (phrase) {
      return blocks.some(function (block) { return phraseStarts(words(block.text), phrase, found).length > 0; });
    });
  }

  function withPhrases(index, found) {
    // keeps the results whose page holds every phrase, checking a few pages at a time, best first
    var candidates = found.results.slice(0, PHRASE_CHECKS), kept = new Array(candidates.length), next = 0;
    found.unchecked = found.results.length - candidates.length;
    function work() {
      if (next >= candidates.length) return Promise.resolve();
      var i = next++;
      return pageBlocks(index, candidates[i].id).then(function (blocks) {
        kept[i] = blocks !== null && hasPhrases(blocks, found);
        return work();
      });
    }
    var workers = [];
    for (var w = 0; w < Math.min(FETCHES, candidates.length); w++) workers.push(work());
    return Promise.all(workers).then(function () {
      found.results = candidates.filter(function (_, i) { return kept[i]; });
      return found;
    });
  }

  function runs(text) { // the words of a text as written: [start, end, its normalised words]
    var found = [];
    text.replace(RUN, function (run, at) {
      found.push([at, at + run.length, words(run)]);
      return run;
    });
    return found;
  }

  function excerpt(blocks, found) {
    // The window of EXCERPT_WORDS words that holds the most of the query (a phrase first, then the most
    // distinct words, then in a paragraph rather than a heading such as the title), as its text, its runs
    // and the first and end run shown; the lead's start when nothing matches.
    var best = null;
    blocks.forEach(function (block) {
      var all = runs(block.text), flat = [], owner = [];
      all.forEach(function (run, r) { run[2].forEach(function (word) { flat.push(word); owner.push(r); }); });
      var hits = [];
      all.forEach(function (run, r) {
        if (run[2].some(function (word) { return hit(word, found); })) hits.push(r);
      });
      var phraseRuns = [];
      found.phrases.forEach(function (phrase) {
        phraseStarts(flat, phrase, found).forEach(function (i) { phraseRuns.push(owner[i]); });
      });
      hits.forEach(function (r) {
        var first = Math.max(0, r - BEFORE_MATCH), end = Math.min(all.length, first + EXCERPT_WORDS);
        var inside = new Set(), phrases = 0;
        for (var k = first; k < end; k++) {
          all[k][2].forEach(function (word) { if (hit(word, found)) inside.add(word); });
        }
        phraseRuns.forEach(function (p) { if (p >= first && p < end) phrases++; });
        var key = [phrases, inside.size, block.heading ? 0 : 1];
        if (!best || key[0] > best.key[0] || (key[0] === best.key[0] && (key[1] > best.key[1] ||
            (key[1] === best.key[1] && key[2] > best.key[2])))) {
          best = { key: key, text: block.text, runs: all, first: first, end: end };
        }
      });
    });
    if (!best && blocks.length) { // the first paragraph, the lead
      var lead = blocks.find(function (block) { return !block.heading && block.text.length >= 80; }) || blocks[0];
      var all = runs(lead.text);
      best = { text: lead.text, runs: all, first: 0, end: Math.min(all.length, EXCERPT_WORDS) };
    }
    return best;
  }

  function showExcerpt(parent, blocks, found) { // the excerpt, with each word the query searched for in <mark>
    var shown = blocks && excerpt(blocks, found);
    if (!shown || !shown.runs.length) return;
    var text = shown.text, whole = shown.end === shown.runs.length; // then up to the block's last full stop
    var start = shown.first ? shown.runs[shown.first][0] : 0, end = whole ? text.length : shown.runs[shown.end - 1][1];
    var last = start;
    if (shown.first > 0) parent.append("… ");
    for (var k = shown.first; k < shown.end; k++) {
      var run = shown.runs[k];
      if (run[2].some(function (word) { return hit(word, found); })) {
        parent.append(text.slice(last, run[0]), element("mark", "", text.slice(run[0], run[1])));
        last = run[1];
      }
    }
    parent.append(text.slice(last, end));
    if (shown.end < shown.runs.length) parent.append(" …");
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

  function item(found, entry, blocks) {
    var li = element("li", "article-item search-result");
    var article = element("article");
    var heading = element("h2", "article-item-title");
    var anchor = element("a", "search-result-link", entry[1]);
    anchor.href = link(entry[0]);
    heading.append(anchor);
    var meta = element("p", "meta");
    if (entry[3]) // an article; a standalone page of the site has no source and no date
      meta.append(element("span", "search-result-date", entry[2] || messages.undated), " · ",
        element("span", "source", entry[3]));
    else meta.append(element("span", "search-result-date", messages.page));
    var shown = element("p", "lead search-result-excerpt");
    showExcerpt(shown, blocks, found);
    article.append(heading, meta, shown);
    li.append(article);
    return li;
  }

  var index = null, current = null, shown = 0, generation = 0, timer = 0, typed = false;

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

  function describe(s, found) {
    var count = found.results.length, where = [];
    var forms = messages.results, form = forms[plural.select(count)] || forms.other;
    var what = count === 0 ? messages.noResults : say(form, { num: count });
    if (s.source) where.push(sourceSelect.options[sourceSelect.selectedIndex].text);
    if (s.year) where.push(s.year);
    return what + (s.q.trim() ? " " + say(messages.query, { query: s.q.trim() }) : "")
      + (where.length ? " " + say(messages.where, { where: where.join(", ") }) : "")
      + (found.unchecked ? " " + say(messages.unchecked, { num: PHRASE_CHECKS }) : "");
  }

  function items(found, from) { // the list items of results from .. from + PAGE, each with its page's text
    var page = found.results.slice(from, from + PAGE);
    return Promise.all(page.map(function (r) {
      return Promise.all([record(index, r.id), pageBlocks(index, r.id)]);
    })).then(function (ready) {
      return ready.filter(function (pair) { return pair[0]; }).map(function (pair) {
        return item(found, pair[0], pair[1]);
      });
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
    search(index, s, typed).then(function (found) {
      return found ? items(found, 0).then(function (first) { return [found, first]; }) : [null, []];
    }).then(function (ready) {
      if (mine !== generation) return;
      current = ready[0];
      shown = PAGE;
      list.replaceChildren.apply(list, ready[1]);
      status.textContent = current ? describe(s, current) : "";
      moreButton.hidden = !current || shown >= current.results.length;
    }).catch(function () {
      if (mine === generation) status.textContent = messages.unreadable;
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
    status.textContent = messages.needsHttp;
    return;
  }
  load(top.href).then(function (loaded) {
    var names = loaded.stemmers.map(function (pair) { return pair[0]; });
    return stemmers(names.length ? names : [""]).then(function (stems) {
      loaded.stems = stems;
      loaded.stopSet = new Set(loaded.stop);
      return loaded;
    });
  }).then(function (loaded) {
    index = loaded;
    fill(sourceSelect, index.sources.slice().sort(function (a, b) {
      return a[1].localeCompare(b[1]) || (a[0] < b[0] ? -1 : 1);
    }), params.get("source") || "");
    fill(yearSelect, index.years.slice().reverse().map(function (y) { return [y[0], String(y[0])]; }),
      params.get("year") || "");
    input.addEventListener("input", function () { // while typing, the last word also finds the words it begins
      typed = true;
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    sourceSelect.addEventListener("change", update);
    yearSelect.addEventListener("change", update);
    box.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      typed = false;
      update();
    });
    moreButton.addEventListener("click", showMore);
    if (input.value || sourceSelect.value || yearSelect.value) update(); // from the address: whole words
    else input.focus();
  }).catch(function () {
    status.textContent = "The search index is missing: this site was built without search.";
  });
})();

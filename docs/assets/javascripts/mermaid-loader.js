/* Mermaid on demand: mermaid loads only when a diagram comes within a screen of the viewport, and then only the
 * parts that diagram needs: the vendored build is mermaid's ES-module one (mermaid.esm.min.mjs plus chunks/), so a
 * flowchart page fetches about 25 files, 830 KB, where the single-file mermaid.min.js was 3.5 MB to download,
 * parse and run.
 *
 * mkdocs-mermaid2 puts this file (its `javascript:` option) on pages that have a diagram. Material's bundle renders
 * every `pre.mermaid` itself, once, when the page mounts, through the global `mermaid`: it calls
 * `mermaid.initialize(config)` and then `await mermaid.render(id, text)` for each diagram, and fetches mermaid from
 * unpkg.com when no global exists. So this script installs a small stand-in `mermaid` before Material mounts:
 * `initialize` keeps Material's config, `render` waits until that diagram nears the viewport, then loads the
 * vendored mermaid once and hands the call over. Material's theme, shadow root and markup stay exactly as before.
 *
 * Once mermaid is loaded (the cost is paid), the remaining diagrams render in idle time, so they are ready before
 * the reader gets there and a printout has them. Pages laid out for paper (they contain `.page-break`, or an element
 * with `data-mermaid-eager`) render at once; `beforeprint` releases every diagram too.
 */
(function () {
  "use strict";
  if (typeof window.mermaid !== "undefined" && !(window.mermaid instanceof Element)) return; // already loaded

  var SRC = new URL("../vendor/mermaid-11.17.2/mermaid.esm.min.mjs", document.currentScript.src).href;
  var AHEAD = "100% 0px"; // start loading one screen before a diagram scrolls into view
  var config = { startOnLoad: false };
  var loading = null;
  var claimed = new Set();
  var waiting = []; // release functions of diagrams not yet near the viewport

  function load() {
    if (!loading) {
      // The module sets no global: window.mermaid stays this stand-in, which hands each call to the real one.
      loading = import(SRC).then(
        function (module) {
          var real = module.default;
          real.initialize(config);
          releaseAll(true);
          return real;
        },
        function (error) {
          throw new Error("mermaid-loader: could not load " + SRC + ": " + error);
        }
      );
    }
    return loading;
  }

  function releaseAll(idle) {
    var pending = waiting.splice(0);
    var next = function () {
      var release = pending.shift();
      if (!release) return;
      release();
      if (idle && "requestIdleCallback" in window) window.requestIdleCallback(next, { timeout: 2000 });
      else next();
    };
    next();
  }

  // The <pre class="mermaid"> Material is rendering: the first one with this text not yet handed out.
  function elementFor(text) {
    var pres = document.querySelectorAll("pre.mermaid");
    for (var i = 0; i < pres.length; i++) {
      if (!claimed.has(pres[i]) && pres[i].textContent === text) {
        claimed.add(pres[i]);
        return pres[i];
      }
    }
    return null;
  }

  function nearViewport(element) {
    return new Promise(function (resolve) {
      var eager = document.querySelector(".page-break, [data-mermaid-eager]");
      if (!element || eager || loading || !("IntersectionObserver" in window)) {
        resolve();
        return;
      }
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) release();
      }, { rootMargin: AHEAD });
      var release = function () {
        observer.disconnect();
        var at = waiting.indexOf(release);
        if (at >= 0) waiting.splice(at, 1);
        resolve();
      };
      waiting.push(release);
      observer.observe(element);
    });
  }

  window.mermaid = {
    initialize: function (options) {
      config = Object.assign({}, options, { startOnLoad: false });
    },
    render: function (id, text) {
      return nearViewport(elementFor(text)).then(load).then(function (real) {
        return real.render(id, text);
      });
    },
  };

  window.addEventListener("beforeprint", function () {
    load();
    releaseAll(false);
  });
})();

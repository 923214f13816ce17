/*
 * Zhengxie (数字政协) page script. Our own. Load it with defer, after htmx and
 * (on pages with charts) ECharts:
 *
 *   <meta name="csrf-token" content="{{.CSRF}}">
 *   <script defer src="/static/vendor/htmx.min.js?v=…"></script>
 *   <script defer src="/static/vendor/echarts.min.js?v=…"></script>   (only where needed)
 *   <script defer src="/static/app.js?v=…"></script>
 *
 * Everything is progressive enhancement: each page must work with plain
 * forms and links when this file does not run. The CSP forbids inline script
 * and inline style, so behaviour is attached through data attributes:
 *
 *   data-confirm="确定撤回该提案吗？"   on a form, button or link: asks first
 *   data-chart='{"xAxis":…}'           ECharts option as JSON, or
 *   data-chart="#chart-data"           id of a <script type="application/json">
 *   form data-similar-url="/proposals/similar"
 *                                      sends its title and body fields (GET,
 *                                      400 ms after typing stops) and lists
 *                                      the answer in #similar
 *   button data-nav-toggle             opens the collapsed menu on phones
 *   data-poll-url="/api/v1/…"          with data-poll-active="1": reads the
 *                                      JSON {"rebuild": {done, total,
 *                                      message, active}} every second and
 *                                      updates [data-poll-bar] (a
 *                                      <progress>) and [data-poll-text]
 *                                      until it is no longer active
 *
 * The CSRF token from <meta name="csrf-token"> is sent as X-CSRF-Token on
 * every htmx request and every same-origin fetch.
 */
(function () {
  'use strict';

  var doc = document;
  doc.documentElement.classList.add('js');

  function onReady(fn) {
    if (doc.readyState === 'loading') {
      doc.addEventListener('DOMContentLoaded', fn);
    } else {
      fn();
    }
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var self = this;
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  // All elements under root matching sel, root itself included.
  function within(root, sel) {
    var list = [];
    if (!root || !root.querySelectorAll) return list;
    if (root.matches && root.matches(sel)) list.push(root);
    Array.prototype.push.apply(list, root.querySelectorAll(sel));
    return list;
  }

  /* ---------- CSRF ---------- */

  // Read on every request: an htmx swap may bring a new token.
  function csrfToken() {
    var meta = doc.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }

  function sameOrigin(url) {
    try {
      return new URL(url, location.href).origin === location.origin;
    } catch (e) {
      return false;
    }
  }

  doc.addEventListener('htmx:configRequest', function (e) {
    var token = csrfToken();
    if (token && e.detail && e.detail.headers) {
      e.detail.headers['X-CSRF-Token'] = token;
    }
  });

  if (window.htmx && window.htmx.config) {
    // htmx would add its indicator rules as an inline <style> (blocked by the
    // CSP; the rules are in app.css) and would evaluate hx-on / trigger
    // filters with eval (also blocked): say so plainly instead of producing
    // CSP violation reports.
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
    window.htmx.config.allowScriptTags = false;
  }

  if (window.fetch) {
    var nativeFetch = window.fetch;
    window.fetch = function (input, init) {
      var token = csrfToken();
      var isRequest = typeof Request !== 'undefined' && input instanceof Request;
      var url = isRequest ? input.url : String(input);
      if (!token || !sameOrigin(url)) {
        return nativeFetch.call(window, input, init);
      }
      var opts = Object.assign({}, init);
      var headers = new Headers(opts.headers || (isRequest ? input.headers : undefined));
      if (!headers.has('X-CSRF-Token')) headers.set('X-CSRF-Token', token);
      opts.headers = headers;
      return nativeFetch.call(window, input, opts);
    };
  }

  /* ---------- data-confirm ---------- */

  // Capture phase, so that a refusal also stops htmx, which listens on the
  // element itself.
  doc.addEventListener('click', function (e) {
    var el = e.target.closest ? e.target.closest('[data-confirm]') : null;
    if (!el || el.tagName === 'FORM') return;
    if (!window.confirm(el.getAttribute('data-confirm'))) {
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);

  doc.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute('data-confirm')) return;
    // The button that submitted has already asked its own question.
    if (e.submitter && e.submitter.hasAttribute('data-confirm')) return;
    if (!window.confirm(form.getAttribute('data-confirm'))) {
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);

  /* ---------- navigation on phones ---------- */

  doc.addEventListener('click', function (e) {
    var btn = e.target.closest ? e.target.closest('[data-nav-toggle]') : null;
    if (!btn) return;
    var nav = btn.closest('.topnav') || doc.querySelector('.topnav');
    if (!nav) return;
    var open = nav.classList.toggle('open');
    btn.setAttribute('aria-expanded', open ? 'true' : 'false');
  });

  /* ---------- charts ---------- */

  var charts = [];
  var palette = ['#a4161a', '#1d4f91', '#c98500', '#1e6b3a', '#5b3a8c', '#5b626b', '#d4545a', '#4f86c6', '#7cae7a'];
  var fontStack = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  function chartOption(el) {
    var raw = (el.getAttribute('data-chart') || '').trim();
    if (raw.charAt(0) === '#') {
      var src = doc.getElementById(raw.slice(1));
      raw = src ? src.textContent : '';
    }
    return JSON.parse(raw);
  }

  function initCharts(root) {
    if (!window.echarts) return; // the fallback content inside stays visible
    within(root, '[data-chart]').forEach(function (el) {
      if (el.getAttribute('data-chart-ready')) return;
      var option;
      try {
        option = chartOption(el);
      } catch (err) {
        el.setAttribute('data-chart-ready', 'error');
        if (window.console) console.warn('图表配置无法解析', el, err);
        return;
      }
      if (!option.color) option.color = palette;
      if (!option.textStyle) option.textStyle = { fontFamily: fontStack };
      // The fallback (usually a table of the same numbers) stays for screen
      // readers and for print; the canvas gets its own label.
      var fallback = doc.createElement('div');
      fallback.className = 'visually-hidden';
      while (el.firstChild) fallback.appendChild(el.firstChild);
      var canvasHost = doc.createElement('div');
      canvasHost.className = 'chart-canvas';
      canvasHost.setAttribute('role', 'img');
      canvasHost.setAttribute('aria-label', el.getAttribute('aria-label') || el.getAttribute('title') || '统计图');
      el.appendChild(canvasHost);
      el.appendChild(fallback);
      el.setAttribute('data-chart-ready', '1');
      var chart = window.echarts.init(canvasHost, null, { renderer: 'canvas', locale: 'ZH' });
      chart.setOption(option);
      charts.push(chart);
    });
  }

  window.addEventListener('resize', debounce(function () {
    charts = charts.filter(function (c) {
      if (c.isDisposed()) return false;
      if (!c.getDom().isConnected) {
        c.dispose();
        return false;
      }
      c.resize();
      return true;
    });
  }, 150));

  /* ---------- similar proposals while writing ---------- */

  // Enough of the body to find look-alikes while keeping the GET URL short
  // (about 4.5 KB once the Chinese is percent-encoded).
  var similarBodyChars = 500;

  function renderSimilar(out, items) {
    while (out.firstChild) out.removeChild(out.firstChild);
    if (!items || !items.length) return;
    var head = doc.createElement('p');
    head.className = 'similar-head';
    head.textContent = '可能相似的提案（' + items.length + '件），请先查看是否已有人提出：';
    var list = doc.createElement('ul');
    list.className = 'similar-list';
    items.forEach(function (it) {
      var li = doc.createElement('li');
      if (it.number) {
        var num = doc.createElement('span');
        num.className = 'similar-number';
        num.textContent = it.number;
        li.appendChild(num);
      }
      var link = doc.createElement('a');
      link.textContent = it.title || '（无标题）';
      if (it.url && sameOrigin(it.url)) link.href = it.url;
      link.target = '_blank';
      link.rel = 'noopener';
      li.appendChild(link);
      var score = doc.createElement('span');
      score.className = 'similar-score';
      score.title = '相似度';
      score.textContent = Math.round((Number(it.score) || 0) * 100) + '%';
      li.appendChild(score);
      list.appendChild(li);
    });
    out.appendChild(head);
    out.appendChild(list);
  }

  function initSimilar(root) {
    within(root, 'form[data-similar-url]').forEach(function (form) {
      if (form.getAttribute('data-similar-ready')) return;
      form.setAttribute('data-similar-ready', '1');
      var titleEl = form.elements.namedItem('title');
      var bodyEl = form.elements.namedItem('body');
      var out = doc.getElementById('similar');
      if (!out || (!titleEl && !bodyEl)) return;
      out.setAttribute('aria-live', 'polite');

      var last = null;
      var seq = 0;
      var controller = null;

      function lookup() {
        var title = titleEl ? titleEl.value.trim() : '';
        var body = bodyEl ? bodyEl.value.trim().slice(0, similarBodyChars) : '';
        var key = title + '\u0000' + body;
        if (key === last) return;
        last = key;
        if (controller) controller.abort();
        controller = null;
        if ((title + body).length < 2) {
          seq++;
          renderSimilar(out, []);
          return;
        }
        var url = new URL(form.getAttribute('data-similar-url'), location.href);
        url.searchParams.set('title', title);
        url.searchParams.set('body', body);
        var mine = ++seq;
        var opts = { headers: { Accept: 'application/json' }, credentials: 'same-origin' };
        if (typeof AbortController !== 'undefined') {
          controller = new AbortController();
          opts.signal = controller.signal;
        }
        window.fetch(url.toString(), opts).then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.json();
        }).then(function (data) {
          // An older answer that arrives late must not replace a newer one.
          if (mine === seq) renderSimilar(out, data && data.items);
        }).catch(function (err) {
          // A hint, not a check: a failed lookup must not get in the way of
          // writing, so it only clears the list.
          if (err && err.name === 'AbortError') return;
          if (mine === seq) renderSimilar(out, []);
        });
      }

      var later = debounce(lookup, 400);
      form.addEventListener('input', function (e) {
        if (e.target === titleEl || e.target === bodyEl) later();
      });
      // A draft opened for editing already has text worth checking.
      if (titleEl && titleEl.value.trim()) lookup();
    });
  }

  /* ---------- progress of a background job ---------- */

  function initPoll(root) {
    Array.prototype.forEach.call(root.querySelectorAll('[data-poll-url][data-poll-active]'), function (box) {
      var url = box.getAttribute('data-poll-url');
      var bar = box.querySelector('[data-poll-bar]');
      var text = box.querySelector('[data-poll-text]');
      function tick() {
        fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (d) {
            var job = d && d.rebuild;
            if (!job) return;
            if (bar) { bar.max = Math.max(job.total, 1); bar.value = job.done; }
            if (text) text.textContent = job.message;
            if (job.active) setTimeout(tick, 1000);
          })
          .catch(function () { setTimeout(tick, 5000); });
      }
      tick();
    });
  }

  /* ---------- start, and again for content htmx swaps in ---------- */

  function init(root) {
    initCharts(root);
    initSimilar(root);
    initPoll(root);
  }

  onReady(function () { init(doc.body); });
  doc.addEventListener('htmx:load', function (e) { init(e.target); });
})();

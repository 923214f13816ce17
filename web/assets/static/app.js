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
 *   form data-validate + submit button data-validate-submit
 *                                      before that button submits (and before
 *                                      its data-confirm asks), checks every
 *                                      field marked data-check (data-required
 *                                      = message, data-min / data-max =
 *                                      characters, data-label) and shows all
 *                                      problems at once
 *   .choices[data-filter-label]        a box of checkboxes gets a search box
 *                                      above it that filters as one types
 *   [data-pick-url][data-pick-target]  a search box (GET data-pick-url&q=…,
 *                                      the search API's JSON) whose results,
 *                                      clicked, fill the field data-pick-target
 *                                      with the number (第N号) or the id
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

  /* ---------- validation, then data-confirm ---------- */

  // A submit button of a form asks in the submit event, which comes after
  // the checks (the browser's and ours): a question about an invalid form
  // would be answered for nothing.
  function isSubmitButton(el) {
    return el.form && (el.tagName === 'BUTTON' || el.tagName === 'INPUT') &&
      (el.type || '').toLowerCase() === 'submit' && !el.hasAttribute('hx-post');
  }

  // Capture phase, so that a refusal also stops htmx, which listens on the
  // element itself.
  doc.addEventListener('click', function (e) {
    var el = e.target.closest ? e.target.closest('[data-confirm]') : null;
    if (!el || el.tagName === 'FORM' || isSubmitButton(el)) return;
    if (!window.confirm(el.getAttribute('data-confirm'))) {
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);

  function chars(s) { return Array.from(s).length; }

  // The problem of one field, in the words the server would use, or ''.
  function fieldProblem(el) {
    var v = (el.value || '').replace(/\r\n/g, '\n').trim();
    var label = el.getAttribute('data-label') || '';
    var n = chars(v);
    if (!v) return el.hasAttribute('data-required') ? el.getAttribute('data-required') || ('请填写' + label) : '';
    var max = parseInt(el.getAttribute('data-max'), 10);
    if (max && n > max) return label + '不能超过' + max + '个字（现为' + n + '个字）';
    var min = parseInt(el.getAttribute('data-min'), 10);
    if (min && n < min) return label + '过短（至少' + min + '个字，现为' + n + '个字）';
    return '';
  }

  function describe(el, id, on) {
    var ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(function (x) { return x && x !== id; });
    if (on) ids.push(id);
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }

  function showProblem(el, msg) {
    var field = el.closest('.field') || el.parentNode;
    var id = el.id + '-error';
    var p = doc.getElementById(id);
    if (!msg) {
      if (p) p.parentNode.removeChild(p);
      field.classList.remove('has-error');
      el.removeAttribute('aria-invalid');
      describe(el, id, false);
      return;
    }
    if (!p) {
      p = doc.createElement('p');
      p.className = 'field-error';
      p.id = id;
      field.appendChild(p);
    }
    p.textContent = msg;
    field.classList.add('has-error');
    el.setAttribute('aria-invalid', 'true');
    describe(el, id, true);
  }

  // Checks every marked field, shows each problem next to its field and a
  // summary above the form; returns the number of problems.
  function validate(form) {
    var problems = [];
    var first = null;
    within(form, '[data-check]').forEach(function (el) {
      var msg = fieldProblem(el);
      showProblem(el, msg);
      if (msg) {
        problems.push(msg);
        if (!first) first = el;
      }
    });
    var box = doc.getElementById(form.id + '-problems');
    if (!problems.length) {
      if (box) box.parentNode.removeChild(box);
      return 0;
    }
    if (!box) {
      box = doc.createElement('div');
      box.className = 'flash error';
      box.id = form.id + '-problems';
      box.setAttribute('role', 'alert');
      form.insertBefore(box, form.firstChild);
    }
    while (box.firstChild) box.removeChild(box.firstChild);
    var head = doc.createElement('p');
    head.textContent = '还不能提交，请先修改以下' + problems.length + '处：';
    var list = doc.createElement('ul');
    problems.forEach(function (m) {
      var li = doc.createElement('li');
      li.textContent = m;
      list.appendChild(li);
    });
    box.appendChild(head);
    box.appendChild(list);
    if (first) first.focus();
    return problems.length;
  }

  doc.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute) return;
    var by = e.submitter;
    if (form.hasAttribute('data-validate') && by && by.hasAttribute('data-validate-submit') && validate(form) > 0) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    var question = by && by.hasAttribute('data-confirm') ? by.getAttribute('data-confirm') : form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);

  /* ---------- a search box over a list of checkboxes ---------- */

  function initChoiceFilters(root) {
    within(root, '.choices[data-filter-label]').forEach(function (box) {
      if (box.getAttribute('data-filter-ready')) return;
      box.setAttribute('data-filter-ready', '1');
      var labels = Array.prototype.slice.call(box.querySelectorAll('label'));
      var wrap = doc.createElement('div');
      wrap.className = 'choices-filter';
      var input = doc.createElement('input');
      input.type = 'search';
      input.className = 'input';
      input.id = (box.id || 'choices') + '-filter';
      input.placeholder = '输入姓名查找（共' + labels.length + '人）';
      input.setAttribute('aria-label', box.getAttribute('data-filter-label'));
      input.setAttribute('aria-controls', box.id || '');
      input.autocomplete = 'off';
      var count = doc.createElement('span');
      count.className = 'muted small choices-count';
      count.setAttribute('aria-live', 'polite');
      wrap.appendChild(input);
      wrap.appendChild(count);
      box.parentNode.insertBefore(wrap, box);

      function apply() {
        var q = input.value.trim().toLowerCase();
        var shown = 0;
        var picked = 0;
        labels.forEach(function (l) {
          var box = l.querySelector('input');
          var checked = box && box.checked;
          if (checked) picked++;
          // Who is already chosen stays in sight while searching for more.
          var hit = !q || checked || l.textContent.toLowerCase().indexOf(q) >= 0;
          l.hidden = !hit;
          if (hit) shown++;
        });
        count.textContent = (q ? '找到' + shown + '人' : '') + (picked ? (q ? '，' : '') + '已选' + picked + '人' : '');
      }
      input.addEventListener('input', apply);
      box.addEventListener('change', apply);
      // Enter in the search box must not send the whole form (keypress
      // too: some input methods send it without a cancelable keydown).
      function noEnter(e) {
        if (e.key === 'Enter') e.preventDefault();
      }
      input.addEventListener('keydown', noEnter);
      input.addEventListener('keypress', noEnter);
      apply();
    });
  }

  /* ---------- pick a proposal from a search ---------- */

  function initPickers(root) {
    within(root, '[data-pick-url][data-pick-target]').forEach(function (host) {
      if (host.getAttribute('data-pick-ready')) return;
      host.setAttribute('data-pick-ready', '1');
      var target = doc.getElementById(host.getAttribute('data-pick-target'));
      if (!target) return;
      var exclude = host.getAttribute('data-pick-exclude') || '';
      var input = doc.createElement('input');
      input.type = 'search';
      input.className = 'input';
      input.id = target.id + '-search';
      input.placeholder = '输入案由中的词语或提案编号查找';
      input.autocomplete = 'off';
      var label = doc.createElement('label');
      label.htmlFor = input.id;
      label.textContent = host.getAttribute('data-pick-label') || '查找提案';
      var list = doc.createElement('ul');
      list.className = 'pick-results';
      list.id = target.id + '-results';
      list.setAttribute('aria-live', 'polite');
      var chosen = doc.createElement('p');
      chosen.className = 'hint pick-chosen';
      host.appendChild(label);
      host.appendChild(input);
      host.appendChild(list);
      host.appendChild(chosen);
      host.hidden = false;

      var seq = 0;
      function say(text) {
        while (list.firstChild) list.removeChild(list.firstChild);
        if (!text) return;
        var li = doc.createElement('li');
        li.className = 'muted';
        li.textContent = text;
        list.appendChild(li);
      }
      function show(items) {
        while (list.firstChild) list.removeChild(list.firstChild);
        items = (items || []).filter(function (it) { return String(it.id) !== exclude; });
        if (!items.length) {
          say('没有找到可以并入的提案');
          return;
        }
        items.forEach(function (it) {
          var li = doc.createElement('li');
          var btn = doc.createElement('button');
          btn.type = 'button';
          btn.className = 'btn btn-link pick-result';
          btn.setAttribute('data-id', it.id);
          btn.textContent = (it.number_text ? it.number_text + ' ' : '') + (it.title || '（无标题）') +
            (it.state_name ? '（' + it.state_name + '）' : '');
          btn.addEventListener('click', function () {
            target.value = it.number_text || String(it.id);
            chosen.textContent = '已选择：' + btn.textContent;
            while (list.firstChild) list.removeChild(list.firstChild);
            target.focus();
          });
          li.appendChild(btn);
          list.appendChild(li);
        });
      }
      var lookup = debounce(function () {
        var q = input.value.trim();
        var mine = ++seq;
        if (!q) {
          say('');
          return;
        }
        var url = new URL(host.getAttribute('data-pick-url'), location.href);
        url.searchParams.set('q', q);
        window.fetch(url.toString(), { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.json();
        }).then(function (data) {
          if (mine === seq) show(data && data.items);
        }).catch(function () {
          // The number can still be typed into the field itself.
          if (mine === seq) say('查找失败，请直接填写提案编号');
        });
      }, 300);
      input.addEventListener('input', lookup);
      input.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') {
          e.preventDefault();
          lookup();
        }
      });
      input.addEventListener('keypress', function (e) {
        if (e.key === 'Enter') e.preventDefault();
      });
    });
  }

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
    initChoiceFilters(root);
    initPickers(root);
    initPoll(root);
  }

  onReady(function () { init(doc.body); });
  doc.addEventListener('htmx:load', function (e) { init(e.target); });
})();

/* Contact module (接访、社情民意) page behaviour, loaded with defer where
 * needed. The CSP forbids inline script, so pages use data attributes:
 *   button data-print                 prints the page (the 《社情民意》 issue)
 *   form data-suggest-url="/api/…"    posts its title and body (JSON, 600 ms
 *                                     after typing stops) and offers the
 *                                     suggested categories in #category-hint;
 *                                     a tap sets select[data-suggest-target]
 * Charts use data-chart, handled by app.js.
 */
(function () {
  'use strict';
  var doc = document;

  doc.addEventListener('click', function (ev) {
    var el = ev.target.closest ? ev.target.closest('[data-print]') : null;
    if (el) {
      ev.preventDefault();
      window.print();
      return;
    }
    var pick = ev.target.closest ? ev.target.closest('[data-pick-category]') : null;
    if (pick) {
      ev.preventDefault();
      var sel = doc.querySelector('[data-suggest-target]');
      if (sel) sel.value = pick.getAttribute('data-pick-category');
    }
  });

  function suggester(form) {
    var url = form.getAttribute('data-suggest-url');
    var hint = doc.getElementById('category-hint');
    var title = form.querySelector('[name=title]');
    var body = form.querySelector('[name=body]');
    var meta = doc.querySelector('meta[name=csrf-token]');
    if (!url || !hint || !title || !body || !window.fetch) return;
    var timer = null;
    function ask() {
      var text = (title.value + body.value).trim();
      if (text.length < 8) return;
      fetch(url, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': meta ? meta.content : '' },
        body: JSON.stringify({ title: title.value, body: body.value })
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
        hint.textContent = '';
        if (!data || !data.items || !data.items.length) return;
        hint.appendChild(doc.createTextNode('建议类别：'));
        data.items.forEach(function (s) {
          var b = doc.createElement('button');
          b.type = 'button';
          b.className = 'btn btn-small btn-link';
          b.setAttribute('data-pick-category', s.category);
          b.textContent = s.category + '（' + Math.round(s.confidence * 100) + '%）';
          hint.appendChild(b);
        });
      }).catch(function () {});
    }
    function later() { clearTimeout(timer); timer = setTimeout(ask, 600); }
    title.addEventListener('input', later);
    body.addEventListener('input', later);
  }

  function ready() {
    Array.prototype.forEach.call(doc.querySelectorAll('form[data-suggest-url]'), suggester);
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', ready); else ready();
})();

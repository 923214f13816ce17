/*
 * Statistics and print pages, our own; loaded with defer before app.js.
 *
 *   [data-chart-links]='["/proposals?…", …]'  on a [data-chart] element:
 *                       a click on bar or slice i opens link i (the same
 *                       list the table's number links to)
 *   a[data-export]      downloads with a progress display: rows received
 *                       of X-Total-Count, then saves the file
 *   button[data-print]  prints the page
 */
(function () {
  'use strict';
  var doc = document;

  function chartLinks() {
    if (!window.echarts) return;
    Array.prototype.forEach.call(doc.querySelectorAll('[data-chart-links]'), function (el) {
      var links;
      try { links = JSON.parse(el.getAttribute('data-chart-links') || '[]'); } catch (e) { return; }
      var host = el.querySelector('.chart-canvas');
      var chart = host && window.echarts.getInstanceByDom(host);
      if (!chart) return;
      chart.on('click', function (p) {
        var to = links[p.dataIndex];
        if (to) window.location.href = to;
      });
      host.classList.add('chart-linked');
    });
  }

  function fileName(res, fallback) {
    var cd = res.headers.get('Content-Disposition') || '';
    var m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
    return m ? decodeURIComponent(m[1]) : fallback;
  }

  function exportWithProgress(a) {
    a.addEventListener('click', function (ev) {
      if (!window.fetch || !window.ReadableStream || ev.ctrlKey || ev.metaKey) return;
      ev.preventDefault();
      var box = a.parentNode.querySelector('.export-progress');
      var bar = box && box.querySelector('progress');
      var status = box && box.querySelector('.export-status');
      if (box) box.hidden = false;
      var csv = /\.csv(\?|$)/.test(a.getAttribute('href'));
      fetch(a.href, { credentials: 'same-origin' }).then(function (res) {
        if (!res.ok) throw new Error('导出失败（' + res.status + '），请稍后重试');
        var total = parseInt(res.headers.get('X-Total-Count') || '0', 10);
        if (bar && total > 0 && csv) bar.max = total + 1;
        var reader = res.body.getReader();
        var chunks = [], bytes = 0, rows = 0;
        function pump() {
          return reader.read().then(function (r) {
            if (r.done) return;
            chunks.push(r.value);
            bytes += r.value.length;
            if (csv) {
              for (var i = 0; i < r.value.length; i++) if (r.value[i] === 10) rows++;
            }
            if (status) {
              status.textContent = csv && total > 0 ? '已导出 ' + Math.min(rows, total + 1) + ' / ' + (total + 1) + ' 行'
                : '已接收 ' + Math.round(bytes / 1024) + ' KB' + (total > 0 ? '（共 ' + total + ' 条）' : '');
            }
            if (bar && csv && total > 0) bar.value = rows;
            return pump();
          });
        }
        return pump().then(function () {
          var blob = new Blob(chunks, { type: res.headers.get('Content-Type') || 'application/octet-stream' });
          var link = doc.createElement('a');
          link.href = URL.createObjectURL(blob);
          link.download = fileName(res, 'export');
          doc.body.appendChild(link);
          link.click();
          setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
          if (status) status.textContent = '导出完成';
          if (bar) { bar.max = 1; bar.value = 1; }
        });
      }).catch(function (err) {
        if (status) status.textContent = err.message || '导出失败，请稍后重试';
      });
    });
  }

  function init() {
    chartLinks();
    Array.prototype.forEach.call(doc.querySelectorAll('a[data-export]'), exportWithProgress);
    Array.prototype.forEach.call(doc.querySelectorAll('button[data-print]'), function (b) {
      b.addEventListener('click', function () { window.print(); });
    });
  }

  // DOMContentLoaded fires after every deferred script, app.js included,
  // so the charts exist by then.
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else setTimeout(init, 0);
})();

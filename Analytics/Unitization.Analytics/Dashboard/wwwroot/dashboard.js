// The Analytics dashboard: one JSON call per refresh (/api/v1/traffic/dashboard); the charts are drawn here with
// uPlot (vendored, embedded: /analytics/vendor/uplot) from the series in that answer. Each chart's data is kept in
// window.dashboardCharts[name] = { labels, data } so the browser test can compare it with the API.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  const bytes = (n) => { let i = 0; n = Number(n); while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; } return (i === 0 || n >= 100 ? n.toFixed(0) : n.toFixed(1)) + ' ' + units[i]; };
  const seconds = (s) => (s >= 120 ? (s / 60).toFixed(1) + ' min' : Number(s).toFixed(1) + ' s');
  const charts = dashboardCharts(bytes, seconds);
  const cell = (text, cls) => { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; return td; };
  const params = new URLSearchParams(location.search);
  const select = $('window');
  if (params.get('window')) select.value = params.get('window');
  let timer = null;
  let refreshes = 0;

  function fill(tbody, rows, build) {
    tbody.replaceChildren(...rows.map((r) => { const tr = document.createElement('tr'); build(tr, r); return tr; }));
  }

  function renderTop(top) {
    fill($('top').tBodies[0], top.jobs, (tr, j) => {
      tr.dataset.job = j.job;
      tr.dataset.bytes = j.bytes;
      tr.append(cell(j.rank), cell(j.job), cell(bytes(j.bytes), 'num'), cell(j.records, 'num'), cell(j.topLink));
      const td = document.createElement('td');
      const b = document.createElement('button');
      b.textContent = 'cap…';
      b.onclick = () => { $('cap-job').value = j.job; $('cap-rate').focus(); };
      td.append(b);
      tr.append(td);
    });
  }

  function renderCaps(caps) {
    const list = Array.isArray(caps) ? caps : (caps && Array.isArray(caps.caps) ? caps.caps : []);
    fill($('caps').tBodies[0], list, (tr, c) => {
      const job = c.tenant ?? c.job ?? '';
      tr.append(cell(job), cell(bytes(c.bytesPerSecond ?? 0) + '/s', 'num'), cell(c.setBy ?? ''));
      const td = document.createElement('td');
      const b = document.createElement('button');
      b.textContent = 'lift';
      b.onclick = () => lift(job);
      td.append(b);
      tr.append(td);
    });
  }

  function render(view) {
    renderTop(view.top);
    charts.render(view);
    fill($('lag').tBodies[0], view.lag.links, (tr, l) => tr.append(
      cell(l.source + '→' + l.destination), cell(l.copies, 'num'), cell(seconds(l.p50), 'num'), cell(seconds(l.p90), 'num'), cell(seconds(l.p99), 'num'), cell(seconds(l.max), 'num')));
    $('model').textContent = 'Window ' + view.suggestions.window + '; estimate from ' + view.suggestions.model + '.';
    fill($('suggestions').tBodies[0], view.suggestions.suggestions, (tr, s) => tr.append(
      cell(s.job), cell(s.currentDatacenter), cell(s.suggestedDatacenter), cell(bytes(s.crossBytes), 'num'), cell(bytes(s.crossBytesIfMoved), 'num'), cell(bytes(s.savingBytesPerDay), 'num'), cell(s.model === 'datamanager' ? 'cost model' : 'measured')));
    renderCaps(view.throttle.caps);
    fill($('throttle').tBodies[0], view.throttle.classes, (tr, c) => {
      tr.dataset.priority = c.priority; tr.dataset.granted = c.grantedBytes; tr.dataset.waiting = c.waitingBytes;
      tr.append(cell(c.priority), cell(bytes(c.grantedBytes), 'num'), cell(bytes(c.waitingBytes), 'num'));
    });
    fill($('rates').tBodies[0], view.throttle.linkRates, (tr, r) => {
      tr.dataset.link = r.source + '→' + r.destination; tr.dataset.rate = r.bytesPerSecond;
      tr.append(cell(r.source + '→' + r.destination), cell(bytes(r.bytesPerSecond) + '/s', 'num'));
    });
    const i = view.ingest;
    $('ingest').textContent = `ingest: ${i.consumed} consumed, ${i.stored} stored, ${i.duplicates} duplicates skipped, ${i.deadLettered} dead-lettered, ${i.pendingSpoolFiles} batches waiting on disk` + (i.lastError ? ` · last problem: ${i.lastError}` : '');
    // UTC on a 24-hour clock, as the charts' axes
    $('status').textContent = 'window ' + view.window + ' · updated ' + new Date().toISOString().slice(11, 19) + ' UTC · refresh every ' + view.refreshSeconds + ' s';
    return view.refreshSeconds;
  }

  async function refresh() {
    clearTimeout(timer);
    let next = 5;
    try {
      const response = await fetch('/api/v1/traffic/dashboard?window=' + encodeURIComponent(select.value));
      const body = await response.json();
      if (!response.ok) throw new Error(body.detail || body.title || response.statusText);
      next = render(body);
      $('error').hidden = true;
      refreshes++;
      document.body.dataset.refreshes = String(refreshes);
      document.body.dataset.loaded = 'true';
    } catch (e) {
      $('error').textContent = 'Could not load traffic: ' + e.message;
      $('error').hidden = false;
    }
    timer = setTimeout(refresh, next * 1000);
  }

  async function send(method, url, body) {
    const response = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const text = await response.text();
    let detail = text;
    try { const j = JSON.parse(text); detail = j.detail || j.title || text; } catch { /* not JSON */ }
    $('cap-result').textContent = response.ok ? `${method} done` : `failed: ${detail}`;
    refresh();
  }

  function lift(job) {
    const by = $('cap-by').value || prompt('Your name (who lifts the cap)?');
    if (by) send('DELETE', '/api/v1/traffic/caps/' + encodeURIComponent(job) + '?setBy=' + encodeURIComponent(by));
  }

  $('cap-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const rate = Math.round(Number($('cap-rate').value) * 1024 * 1024);
    send('PUT', '/api/v1/traffic/caps/' + encodeURIComponent($('cap-job').value), { bytesPerSecond: rate, setBy: $('cap-by').value, reason: $('cap-reason').value || null });
  });
  select.addEventListener('change', () => { history.replaceState(null, '', '?window=' + select.value); refresh(); });
  refresh();
})();

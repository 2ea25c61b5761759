// The dashboard's three charts with uPlot: link usage against the throttle's link rate, replication lag (p50, p99),
// the throttle's bytes granted and waiting per priority class. Times are UTC on a 24-hour clock (as the header),
// values in binary byte units; uPlot's cursor and legend show the values under the pointer.
// eslint-disable-next-line no-unused-vars
function dashboardCharts(bytes, seconds) {
  'use strict';
  const palette = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];
  const rate = (v) => bytes(v) + '/s';
  const iso = (t) => new Date(t * 1000).toISOString();
  // a window of several days shows the date; shorter ones the time only
  // (and the seconds when ticks are less than a minute apart)
  const axisTime = (u, splits) => {
    const span = u.scales.x.max - u.scales.x.min;
    const end = splits.length > 1 && splits[1] - splits[0] < 60 ? 19 : 16;
    return splits.map((t) => (span > 2 * 86400 ? iso(t).slice(5, 10) + ' ' : '') + iso(t).slice(11, end));
  };
  // byte axes tick at binary steps (1, 2, 4 … 512 of B, KiB, MiB …), so tick labels are round in binary units
  const byteIncrs = [0, 1, 2, 3, 4, 5].flatMap((k) => [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((m) => m * 1024 ** k));
  const legendTime = (u, t) => (t == null ? '—' : iso(t).slice(0, 10) + ' ' + iso(t).slice(11, 19) + ' UTC');
  // a byte axis reaches at least 1 KiB, so that an idle chart's ticks differ
  const byteRange = (u, min, max) => [0, Math.max(max || 0, 1024) * 1.1];
  const instances = {};
  window.dashboardCharts = {};

  function timeOptions(unit, format, series) {
    return {
      tzDate: (t) => uPlot.tzDate(new Date(t * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: unit === 'bytes' ? { range: byteRange } : { range: (u, min, max) => [0, Math.max(max || 0, 1) * 1.1] } },
      axes: [
        { values: axisTime, label: 'time (UTC)', labelSize: 18, space: 80 },
        { values: (u, splits) => splits.map(format), size: 84, ...(unit === 'bytes' ? { incrs: byteIncrs } : {}) },
      ],
      series: [{ label: 'time (UTC)', value: legendTime }, ...series],
    };
  }

  function draw(name, options, data, message) {
    const host = document.getElementById('chart-' + name);
    if (!host) return;
    const labels = options.series.map((s) => s.label);
    const key = JSON.stringify(labels);
    let chart = instances[name];
    if (chart && chart.key === key) {
      chart.plot.setData(data);
    } else {
      if (chart) chart.plot.destroy();
      host.replaceChildren();
      const width = Math.max(host.clientWidth, 320);
      chart = { key, plot: new uPlot({ width, height: 260, ...options }, data, host) };
      instances[name] = chart;
    }
    let note = host.querySelector('p.empty');
    if (message && !note) {
      note = document.createElement('p');
      note.className = 'empty muted';
      host.append(note);
    }
    if (note) {
      note.textContent = message || '';
      note.hidden = !message;
    }
    host.dataset.series = String(labels.length - 1);
    host.dataset.points = String(data[0].length);
    window.dashboardCharts[name] = { labels: labels.slice(1), data: data.map((column) => Array.from(column)) };
  }

  function linkUsage(view) {
    // the links' samples on one time axis; a link without a sample at a time has a gap there
    const times = [...new Set(view.links.links.flatMap((l) => l.points.map((p) => Date.parse(p.time) / 1000)))].sort((a, b) => a - b);
    const series = [];
    const data = [times];
    view.links.links.forEach((link, i) => {
      const name = link.source + '→' + link.destination;
      const color = palette[i % palette.length];
      const byTime = new Map(link.points.map((p) => [Date.parse(p.time) / 1000, p.bytesPerSecond]));
      series.push({ label: name, stroke: color, width: 2, value: (u, v) => (v == null ? '—' : rate(v)) });
      data.push(times.map((t) => (byTime.has(t) ? byTime.get(t) : null)));
      // the link's capacity is the rate the throttle budgets for it: one source for the figure
      const limit = view.throttle.linkRates.find((r) => r.source === link.source && r.destination === link.destination);
      if (limit) {
        series.push({ label: name + ' throttle rate', stroke: color, width: 1.5, dash: [6, 4], value: (u, v) => (v == null ? '—' : rate(v)) });
        data.push(times.map(() => limit.bytesPerSecond));
      }
    });
    draw('link-usage', timeOptions('bytes', rate, series), data, times.length ? '' : 'no cross-datacenter traffic in this window');
  }

  function replicationLag(view) {
    const points = view.lag.series;
    const series = [
      { label: 'p50', stroke: palette[0], width: 2, value: (u, v) => (v == null ? '—' : seconds(v)) },
      { label: 'p99', stroke: palette[1], width: 2, value: (u, v) => (v == null ? '—' : seconds(v)) },
    ];
    const data = [points.map((p) => Date.parse(p.time) / 1000), points.map((p) => p.p50), points.map((p) => p.p99)];
    draw('replication-lag', timeOptions('seconds', seconds, series), data, points.length ? '' : 'no replication in this window');
  }

  function throttleClasses(view) {
    const t = view.throttle;
    const classes = t.available ? t.classes : [];
    const names = classes.map((c) => c.priority);
    const bars = (align) => uPlot.paths.bars({ size: [0.35, 60], align });
    const value = (u, v) => (v == null ? '—' : bytes(v));
    const options = {
      scales: { x: { time: false, range: (u) => [-0.5, Math.max(names.length, 1) - 0.5] }, y: { range: byteRange } },
      axes: [
        { values: (u, splits) => splits.map((i) => names[i] ?? ''), splits: () => names.map((_, i) => i), label: 'priority class', labelSize: 18 },
        { values: (u, splits) => splits.map(bytes), size: 84, incrs: byteIncrs },
      ],
      series: [
        { label: 'class', value: (u, i) => (i == null ? '—' : names[i] ?? '') },
        { label: 'granted', stroke: palette[2], fill: palette[2] + 'cc', paths: bars(-1), points: { show: false }, value },
        { label: 'waiting', stroke: palette[3], fill: palette[3] + 'cc', paths: bars(1), points: { show: false }, value },
      ],
    };
    const data = [classes.map((_, i) => i), classes.map((c) => c.grantedBytes), classes.map((c) => c.waitingBytes)];
    draw('throttle-classes', options, data, t.available ? '' : 'throttle state unavailable: ' + t.problem);
  }

  window.addEventListener('resize', () => {
    for (const [name, chart] of Object.entries(instances)) {
      const host = document.getElementById('chart-' + name);
      chart.plot.setSize({ width: Math.max(host.clientWidth, 320), height: 260 });
    }
  });

  return {
    render(view) {
      linkUsage(view);
      replicationLag(view);
      throttleClasses(view);
    },
  };
}

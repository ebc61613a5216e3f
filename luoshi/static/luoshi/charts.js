/* Luoshi charts, drawn with the vendored Apache ECharts from data the page embeds (json_script).
   Every label comes translated from the server; every clickable mark leads to the list behind it. */
(function () {
  "use strict";

  var LANG = document.documentElement.lang || "zh-hans";
  var ZH = LANG.indexOf("zh") === 0;
  var FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var LIGHT = { green: "#2e7d32", yellow: "#f9a825", red: "#e53935", overdue: "#8e0000", done: "#78909c", no_data: "#9e9e9e",
                draft: "#cfd8dc" };
  var compact = new Intl.NumberFormat(ZH ? "zh-CN" : "en", { notation: "compact", maximumFractionDigits: 2 });
  var plain = new Intl.NumberFormat(ZH ? "zh-CN" : "en", { maximumFractionDigits: 2 });

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function num(v) { return v === null || v === undefined ? "—" : compact.format(v); }

  function go(url) { if (url) window.location.href = url; }

  function base() {
    return { textStyle: { fontFamily: FONT }, animation: false, aria: { enabled: true } };
  }

  var builders = {};

  /* Tasks overdue, red and yellow per lead unit: stacked horizontal bars, worst unit on top. */
  builders.unitBars = function (rows, labels) {
    var keys = ["overdue", "red", "yellow"];
    return Object.assign(base(), {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: keys.map(function (k) { return labels[k]; }) },
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }),
               axisLabel: { width: 110, overflow: "truncate" } },
      series: keys.map(function (k) {
        return { name: labels[k], type: "bar", stack: "all", itemStyle: { color: LIGHT[k] }, barMaxWidth: 22,
                 cursor: "pointer", data: rows.map(function (r) { return { value: r[k] || 0, url: r.urls[k] }; }) };
      })
    });
  };

  /* Planned against completed investment per year, in 万元. */
  builders.investmentBars = function (years, labels) {
    return Object.assign(base(), {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return num(v) + " " + labels.yuan; } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 30, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: years.map(function (y) { return String(y.year); }) },
      yAxis: { type: "value", name: labels.yuan, axisLabel: { formatter: num } },
      series: [
        { name: labels.planned, type: "bar", itemStyle: { color: "#90a4ae" }, cursor: "pointer",
          data: years.map(function (y) { return { value: y.planned, url: y.url }; }) },
        { name: labels.completed, type: "bar", itemStyle: { color: "#1565c0" }, cursor: "pointer",
          data: years.map(function (y) { return { value: y.completed, url: y.url }; }) }
      ]
    });
  };

  /* One project's planned and completed investment by year. */
  builders.projectYears = function (d) {
    var labels = d.labels;
    return Object.assign(base(), {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return num(v) + " " + labels.unit; } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 30, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: d.years.map(String) },
      yAxis: { type: "value", name: labels.unit, axisLabel: { formatter: num } },
      series: [
        { name: labels.planned, type: "bar", itemStyle: { color: "#90a4ae" }, data: d.planned },
        { name: labels.completed, type: "bar", itemStyle: { color: "#1565c0" }, data: d.completed }
      ]
    });
  };

  /* One indicator: actuals, the planned path from the baseline, targets, and forecasts with their interval. */
  builders.indicatorLine = function (d, labels, small) {
    var last = d.actual.length ? d.actual[d.actual.length - 1] : null;
    var forecastLine = last ? [last].concat(d.forecasts.map(function (f) { return [f[0], f[1]]; })) : [];
    var series = [
      { name: labels.trajectory, type: "line", data: d.planned, showSymbol: false, lineStyle: { type: "dashed", color: "#9e9e9e" },
        itemStyle: { color: "#9e9e9e" } },
      { name: labels.actual, type: "line", data: d.actual, symbolSize: small ? 4 : 7, lineStyle: { width: 2.5, color: "#1565c0" },
        itemStyle: { color: "#1565c0" } },
      { name: labels.target, type: "scatter", data: d.targets, symbol: "triangle", symbolSize: small ? 8 : 12,
        itemStyle: { color: "#c62828" } }
    ];
    if (d.forecasts.length) {
      series.push({ name: labels.forecast, type: "line", data: forecastLine, symbol: "circle", symbolSize: small ? 4 : 7,
                    lineStyle: { type: "dotted", width: 2, color: "#ef6c00" }, itemStyle: { color: "#ef6c00" } });
      series.push({ name: labels.interval || labels.forecast, type: "custom", data: d.forecasts.map(function (f) { return [f[0], f[2], f[3]]; }),
        itemStyle: { color: "#ef6c00" }, tooltip: { show: false },
        renderItem: function (params, api) {
          var low = api.coord([api.value(0), api.value(1)]), high = api.coord([api.value(0), api.value(2)]);
          var w = small ? 4 : 7;
          return { type: "group", children: [
            { type: "line", shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style: { stroke: "#ef6c00", lineWidth: 1.5 } },
            { type: "line", shape: { x1: low[0] - w, y1: low[1], x2: low[0] + w, y2: low[1] }, style: { stroke: "#ef6c00", lineWidth: 1.5 } },
            { type: "line", shape: { x1: high[0] - w, y1: high[1], x2: high[0] + w, y2: high[1] }, style: { stroke: "#ef6c00", lineWidth: 1.5 } }
          ] };
        } });
    }
    return Object.assign(base(), {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : plain.format(v) + " " + d.unit; } },
      legend: small ? { show: false } : { top: 0 },
      grid: small ? { left: 4, right: 10, top: 8, bottom: 4, containLabel: true }
                  : { left: 12, right: 24, top: 36, bottom: 12, containLabel: true },
      xAxis: { type: "time", axisLabel: { hideOverlap: true, fontSize: small ? 10 : 12 }, splitLine: { show: false } },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: num, fontSize: small ? 10 : 12 },
               splitNumber: small ? 3 : 5 },
      series: series
    });
  };

  /* Gantt: a bar per task from start to deadline, filled to its progress and coloured by its light;
     in a subtree, a row per milestone whose outlined bar is the window the backward schedule allows
     (latest start to latest finish; red on the critical path); milestones as diamonds on their due
     date (green when done); a line for today. */
  builders.gantt = function (d, labels) {
    var rows = d.rows;
    var bars = rows.map(function (r, i) { return { value: [i, r.start, r.end, r.progress || 0], row: r }; });
    var marks = d.milestones.filter(function (m) { return m.row !== undefined; }).map(function (m) {
      return { value: [m.due, m.row], m: m, url: rows[m.row].url,
               itemStyle: { color: m.done ? LIGHT.green : (m.critical ? "#c62828" : "#37474f") } };
    });
    var visible = Math.min(rows.length, 20);
    var labelWidth = 240;
    function rowLabel(r) { return new Array(r.depth + 1).join("\u3000") + (r.kind === "milestone" ? "◆ " : "") + r.label; }
    function tip(p) {
      if (p.seriesType === "custom") {
        var r = p.data.row;
        if (r.kind === "milestone") {
          return "<b>◆ " + echarts.format.encodeHTML(r.label) + "</b><br>" + labels.window + "：" + r.start + " — " + r.end +
            (r.critical ? "<br>" + labels.critical : "");
        }
        return "<b>" + echarts.format.encodeHTML(r.label) + "</b><br>" + labels.unit + "：" + echarts.format.encodeHTML(r.unit) +
          "<br>" + labels.start + "：" + r.start + "<br>" + labels.deadline + "：" + r.end +
          "<br>" + labels.progress + "：" + r.progress + "%（" + r.lightLabel + "）" +
          (r.why ? "<br>" + echarts.format.encodeHTML(r.why) : "");
      }
      var m = p.data.m;
      var lines = ["<b>◆ " + echarts.format.encodeHTML(m.title) + "</b>", labels.due + "：" + m.due];
      if (m.done) lines.push(labels.done + "：" + m.done);
      if (m.latestFinish) lines.push(labels.latestStart + "：" + m.latestStart, labels.latestFinish + "：" + m.latestFinish);
      if (!m.done && m.expectedFinish) lines.push(labels.expectedFinish + "：" + m.expectedFinish);
      if (!m.done && m.slack !== null) lines.push(labels.slack + "：" + m.slack + (m.critical ? "（" + labels.critical + "）" : ""));
      return lines.join("<br>");
    }
    return Object.assign(base(), {
      tooltip: { formatter: tip },
      grid: { left: labelWidth + 16, right: rows.length > visible ? 34 : 16, top: 30, bottom: 58 },
      xAxis: { type: "time", position: "top", splitLine: { show: true, lineStyle: { color: "#eee" } },
               axisLabel: { hideOverlap: true } },
      yAxis: { type: "category", inverse: true, data: rows.map(rowLabel), axisTick: { show: false },
               axisLabel: { width: labelWidth, overflow: "truncate", fontSize: 12, align: "left", margin: labelWidth + 8,
                            color: "#333" } },
      dataZoom: [
        Object.assign({ type: "slider", xAxisIndex: 0, bottom: 6, height: 16, filterMode: "weakFilter", showDataShadow: false },
                      d.focus ? { startValue: d.focus[0], endValue: d.focus[1] } : {}),
        { type: "inside", xAxisIndex: 0, filterMode: "weakFilter" }
      ].concat(rows.length > visible ? [
        { type: "slider", yAxisIndex: 0, right: 6, width: 14, startValue: 0, endValue: visible - 1, showDataShadow: false },
        { type: "inside", yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true, moveOnMouseMove: false }
      ] : []),
      series: [
        { type: "custom", data: bars, encode: { x: [1, 2], y: 0 }, cursor: "pointer",
          renderItem: function (params, api) {
            var y = api.value(0), start = api.coord([api.value(1), y]), end = api.coord([api.value(2), y]);
            var r = bars[params.dataIndex].row, band = api.size([0, 1])[1];
            var h = band * (r.kind === "milestone" ? 0.4 : 0.56);
            var area = { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height };
            var full = Math.max(end[0] - start[0], 3);
            var box = echarts.graphic.clipRectByRect({ x: start[0], y: start[1] - h / 2, width: full, height: h }, area);
            if (!box) return null;
            if (r.kind === "milestone") {
              return { type: "rect", shape: box, style: {
                fill: r.done ? "rgba(46,125,50,.18)" : "rgba(55,71,79,.06)",
                stroke: r.done ? LIGHT.green : (r.critical ? "#c62828" : "#78909c"), lineWidth: r.critical ? 2 : 1 } };
            }
            var fill = echarts.graphic.clipRectByRect(
              { x: start[0], y: start[1] - h / 2, width: full * r.progress / 100, height: h }, box);
            return { type: "group", children: [
              { type: "rect", shape: box, style: { fill: LIGHT[r.light], opacity: 0.3 } },
              fill ? { type: "rect", shape: fill, style: { fill: LIGHT[r.light] } } : { type: "group" }
            ] };
          },
          markLine: { symbol: "none", silent: true, label: { formatter: labels.today, position: "end", color: "#1565c0" },
                      lineStyle: { color: "#1565c0", type: "solid", width: 1.5 }, data: [{ xAxis: d.today }] } },
        { type: "scatter", data: marks, symbol: "diamond", symbolSize: 13, z: 5, cursor: "pointer",
          itemStyle: { borderColor: "#fff", borderWidth: 1 } }
      ]
    });
  };

  function draw(el) {
    if (el.dataset.drawn) return;
    var data = read(el.dataset.source);
    if (el.dataset.index !== undefined) data = data[Number(el.dataset.index)];
    var labels = read(el.dataset.labels) || (data && data.labels) || {};
    var option = builders[el.dataset.chart](data, labels, !!el.dataset.small);
    var chart = echarts.init(el, null, { renderer: "svg", locale: ZH ? "ZH" : "EN" });
    chart.setOption(option);
    chart.on("click", function (p) {
      if (p.data && p.data.url) go(p.data.url);
      else if (p.data && p.data.row) go(p.data.row.url);
    });
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
  }

  function drawAll() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(draw);
    document.body.dataset.chartsReady = "1";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();

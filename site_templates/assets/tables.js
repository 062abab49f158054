// Roster tables: a filter box and sortable columns. Vendored, no dependencies, nothing loaded from outside.
// The 姓名 column sorts by data-sort (姓氏笔画 order computed at build time).
(function () {
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key !== null ? Number(key) : cell.textContent.trim();
  }
  function setup(table) {
    var body = table.tBodies[0];
    if (!body) return;
    var input = document.createElement("input");
    input.type = "search";
    input.className = "cadres-filter";
    input.placeholder = "筛选：输入姓名、单位、职务……";
    input.setAttribute("aria-label", "筛选本表");
    table.parentNode.insertBefore(input, table);
    input.addEventListener("input", function () {
      var words = input.value.trim().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent;
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.setAttribute("data-sortable-header", "1");
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var order = typeof x === "number" ? x - y : x.localeCompare(y, "zh");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  // 变更记录: filter the merges by unit and by a person's name; a merge with a match is unfolded.
  function changes(page) {
    var merges = Array.prototype.slice.call(page.querySelectorAll("details.cadres-change"));
    if (!merges.length) return;
    var units = {};
    merges.forEach(function (d) { (d.getAttribute("data-units") || "").split(" ").filter(Boolean).forEach(function (u) { units[u] = 1; }); });
    var bar = document.createElement("p");
    bar.className = "cadres-change-filter";
    var select = document.createElement("select");
    select.setAttribute("aria-label", "按单位筛选");
    [""].concat(Object.keys(units).sort(function (a, b) { return a.localeCompare(b, "zh"); })).forEach(function (u) {
      var option = document.createElement("option");
      option.value = u;
      option.textContent = u || "全部单位";
      select.appendChild(option);
    });
    var input = document.createElement("input");
    input.type = "search";
    input.className = "cadres-filter";
    input.placeholder = "姓名";
    input.setAttribute("aria-label", "按姓名筛选");
    bar.appendChild(select);
    bar.appendChild(input);
    merges[0].parentNode.insertBefore(bar, merges[0]);
    var opened = merges.map(function (d) { return d.open; });
    function apply() {
      var unit = select.value, name = input.value.trim();
      merges.forEach(function (d, i) {
        var any = false;
        d.querySelectorAll("ul.cadres-records > li").forEach(function (li) {
          var hit = (!unit || li.getAttribute("data-unit") === unit) && (!name || (li.getAttribute("data-name") || "").indexOf(name) !== -1);
          li.hidden = !hit;
          any = any || hit;
        });
        d.hidden = !any;
        d.open = unit || name ? any : opened[i];
      });
    }
    select.addEventListener("change", apply);
    input.addEventListener("input", apply);
  }
  // The whole pool in one table (roster/all): filters by the rows' data attributes, a name box, and an order.
  // Rows are read once into plain arrays; a change touches only rows whose visibility changes.
  function rosterAll(table) {
    var form = document.querySelector("form.cadres-filters");
    var body = table.tBodies[0];
    if (!form || !body) return;
    form.hidden = false;
    var name = document.createElement("input");
    name.type = "search";
    name.className = "cadres-filter";
    name.placeholder = "姓名";
    name.setAttribute("aria-label", "按姓名筛选");
    form.insertBefore(name, form.firstChild);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var order = form.querySelector("select[data-order]");
    var count = form.querySelector(".cadres-count");
    var rows = Array.prototype.map.call(body.rows, function (tr, i) {
      var d = tr.dataset;
      return { tr: tr, index: i, strokes: Number(d.strokes), name: tr.cells[1].textContent, birth: d.birth,
        entered: d.entered, shown: true, values: selects.map(function (s) { return d[s.getAttribute("data-filter")] || ""; }) };
    });
    function filter() {
      var wanted = selects.map(function (s) { return s.value; });
      var text = name.value.trim(), shown = 0;
      rows.forEach(function (row) {
        var ok = text === "" || row.name.indexOf(text) !== -1;
        for (var i = 0; ok && i < wanted.length; i++) {
          if (wanted[i] && (selects[i].getAttribute("data-filter") === "specialty"
              ? row.values[i].split("|").indexOf(wanted[i]) === -1 : row.values[i] !== wanted[i])) ok = false;
        }
        if (ok !== row.shown) { row.tr.hidden = !ok; row.shown = ok; }
        if (ok) { shown += 1; row.tr.cells[0].textContent = shown; }
      });
      count.textContent = "共 " + shown + " 人";
    }
    function sort() {
      var key = order.value, desc = key.charAt(0) === "-", field = desc ? key.slice(1) : key;
      var sorted = rows.slice().sort(function (a, b) {
        if (field === "strokes") return a.index - b.index;
        if (field === "name") return a.strokes - b.strokes;
        var x = a[field], y = b[field];
        var c = x < y ? -1 : x > y ? 1 : a.strokes - b.strokes;
        return desc ? -c : c;
      });
      var fragment = document.createDocumentFragment();
      sorted.forEach(function (row) { fragment.appendChild(row.tr); });
      body.appendChild(fragment);
      rows = sorted;
      filter();
    }
    selects.forEach(function (s) { s.addEventListener("change", filter); });
    name.addEventListener("input", filter);
    order.addEventListener("change", sort);
  }
  function init() {
    document.querySelectorAll("table.cadres-table:not(.cadres-all)").forEach(setup);
    document.querySelectorAll("table.cadres-all").forEach(rosterAll);
    document.querySelectorAll(".cadres-changes").forEach(changes);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();

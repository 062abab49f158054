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
  function init() {
    document.querySelectorAll("table.cadres-table").forEach(setup);
    document.querySelectorAll(".cadres-changes").forEach(changes);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();

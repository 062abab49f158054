// Roster tables: a filter box (one per page of grouped tables) and sortable columns. Vendored, no dependencies, nothing loaded from outside.
// The 姓名 column sorts by data-sort (姓氏笔画 order computed at build time).
(function () {
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key !== null ? Number(key) : cell.textContent.trim();
  }
  function words(input) {
    return input.value.trim().split(/\s+/).filter(Boolean);
  }
  function matches(row, wanted) {
    var text = row.textContent;
    return wanted.every(function (w) { return text.indexOf(w) !== -1; });
  }
  function filterBox(placeholder, label) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "cadres-filter";
    input.placeholder = placeholder;
    input.setAttribute("aria-label", label);
    return input;
  }
  // A table on its own has its own filter box; a table of a group (section.cadres-group) is filtered by its page's.
  function setup(table) {
    var body = table.tBodies[0];
    if (!body) return;
    if (!table.closest("section.cadres-group")) {
      var input = filterBox("筛选：输入姓名、单位、职务……", "筛选本表");
      table.parentNode.insertBefore(input, table);
      input.addEventListener("input", function () {
        var wanted = words(input);
        Array.prototype.forEach.call(body.rows, function (row) { row.hidden = !matches(row, wanted); });
      });
    }
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
  // A page of groups, each a heading and its table (名册 by unit, level or track; 候选和出库人员): one filter box
  // for the page filters the rows of every group, and a group none of whose rows match is hidden with its heading.
  function groups(page) {
    var sections = Array.prototype.slice.call(page.querySelectorAll("section.cadres-group"));
    if (!sections.length) return;
    var bar = document.createElement("p");
    bar.className = "cadres-group-filter";
    var input = filterBox("筛选：输入姓名、职务……", "筛选本页各表");
    var count = document.createElement("output");
    count.className = "cadres-count";
    bar.appendChild(input);
    bar.appendChild(count);
    sections[0].parentNode.insertBefore(bar, sections[0]);
    var toc = page.querySelector(".cadres-toc");
    input.addEventListener("input", function () {
      var wanted = words(input), found = 0;
      sections.forEach(function (section) {
        var any = false;
        section.querySelectorAll("tbody tr").forEach(function (row) {
          var hit = matches(row, wanted);
          row.hidden = !hit;
          if (hit) { any = true; found++; }
        });
        section.hidden = wanted.length > 0 && !any;
      });
      if (toc) toc.hidden = wanted.length > 0;  // its links lead to the groups, hidden or not
      count.textContent = wanted.length ? "找到 " + found + " 人" : "";
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
  // The whole pool in one table (roster/all): every row comes as data (a JSON island); filters, a name box and
  // an order choose and sort the rows, and only the first few hundred of them are made into table rows.
  function rosterAll(table) {
    var form = document.querySelector("form.cadres-filters");
    var island = document.getElementById("cadres-roster-data");
    var body = table.tBodies[0];
    if (!form || !island || !body) return;
    var data = JSON.parse(island.textContent);
    var step = Number(table.getAttribute("data-shown")) || 300;
    var limit = step;
    var rows = data.rows.map(function (r, i) {
      return { href: r[0], cells: r[1], values: r[2], strokes: r[3], birth: r[4], entered: r[5], index: i };
    });
    var name = document.createElement("input");
    name.type = "search";
    name.className = "cadres-filter";
    name.placeholder = "姓名";
    name.setAttribute("aria-label", "按姓名筛选");
    form.insertBefore(name, form.firstChild);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var columns = selects.map(function (s) { return data.keys.indexOf(s.getAttribute("data-filter")); });
    var order = form.querySelector("select[data-order]");
    var count = form.querySelector(".cadres-count");
    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button cadres-more";
    table.parentNode.parentNode.insertBefore(more, table.parentNode.nextSibling);
    var stale = document.querySelector(".cadres-more-static");
    if (stale) stale.hidden = true;
    var chosen = rows;
    function render() {
      var fragment = document.createDocumentFragment();
      chosen.slice(0, limit).forEach(function (row, n) {
        var tr = document.createElement("tr");
        var td = document.createElement("td");
        td.className = "num";
        td.textContent = n + 1;
        tr.appendChild(td);
        row.cells.forEach(function (text, i) {
          var cell = document.createElement("td");
          if (i === 0) {
            cell.className = "name";
            var a = document.createElement("a");
            a.href = row.href;
            a.textContent = text;
            cell.appendChild(a);
          } else {
            String(text).split("\n").forEach(function (line, k) {
              if (k) cell.appendChild(document.createElement("br"));
              cell.appendChild(document.createTextNode(line));
            });
          }
          tr.appendChild(cell);
        });
        fragment.appendChild(tr);
      });
      body.textContent = "";
      body.appendChild(fragment);
      var shown = Math.min(limit, chosen.length);
      count.textContent = "共 " + chosen.length + " 人" + (shown < chosen.length ? "，显示前 " + shown + " 人" : "");
      more.hidden = shown >= chosen.length;
      more.textContent = "再显示 " + Math.min(step, chosen.length - shown) + " 人";
    }
    function apply() {
      var wanted = selects.map(function (s) { return s.value; });
      var text = name.value.trim();
      chosen = rows.filter(function (row) {
        if (text && row.cells[0].indexOf(text) === -1) return false;
        for (var i = 0; i < wanted.length; i++) {
          if (!wanted[i]) continue;
          var value = row.values[columns[i]];
          if (data.keys[columns[i]] === "specialty" ? value.split("|").indexOf(wanted[i]) === -1 : value !== wanted[i]) return false;
        }
        return true;
      });
      var key = order.value, desc = key.charAt(0) === "-", field = desc ? key.slice(1) : key;
      chosen.sort(function (a, b) {
        if (field === "strokes") return a.index - b.index;
        if (field === "name") return a.strokes - b.strokes;
        var c = a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : a.strokes - b.strokes;
        return desc ? -c : c;
      });
      limit = step;
      render();
    }
    more.addEventListener("click", function () { limit += step; render(); });
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    order.addEventListener("change", apply);
    name.addEventListener("input", apply);
    form.hidden = false;
    apply();
  }
  // A site opened from disk (file://) has no search and its theme scripts fail: the home page says how to open it.
  function openedFromDisk() {
    if (location.protocol !== "file:") return;
    document.querySelectorAll(".cadres-file-notice").forEach(function (notice) { notice.hidden = false; });
  }
  function init() {
    openedFromDisk();
    document.querySelectorAll("table.cadres-table:not(.cadres-all)").forEach(setup);
    document.querySelectorAll(".cadres-page").forEach(groups);
    document.querySelectorAll("table.cadres-all").forEach(rosterAll);
    document.querySelectorAll(".cadres-changes").forEach(changes);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();

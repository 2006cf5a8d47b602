// Filter box of each item table: rows whose text contains what is typed stay shown. Without this script
// the boxes stay hidden and every row is shown.
document.querySelectorAll("input.filter").forEach(function (box) {
  var table = document.getElementById(box.getAttribute("data-table"));
  box.hidden = false;
  box.addEventListener("input", function () {
    var query = box.value.trim();
    table.querySelectorAll("tbody tr.item").forEach(function (row) {
      var hide = query !== "" && row.textContent.indexOf(query) < 0;
      row.hidden = hide;
      var next = row.nextElementSibling;
      if (next && next.classList.contains("crop")) { next.hidden = hide; }
    });
  });
});

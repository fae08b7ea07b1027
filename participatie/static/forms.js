// Progressive enhancement only: a live character count under text areas with a maximum.
(function () {
  "use strict";
  var areas = document.querySelectorAll("textarea[data-max]");
  Array.prototype.forEach.call(areas, function (area) {
    var max = parseInt(area.getAttribute("data-max"), 10);
    var note = document.getElementById(area.id + "-count");
    if (!note || !max) { return; }
    var lang = document.documentElement.lang;
    var timer = null;
    note.setAttribute("aria-live", "polite");
    function update() {
      var left = max - area.value.length;
      if (lang === "en") {
        note.textContent = left >= 0 ? "You have " + left + " characters left." : "You have " + -left + " characters too many.";
      } else {
        note.textContent = left >= 0 ? "U heeft nog " + left + " tekens over." : "U heeft " + -left + " tekens te veel.";
      }
      note.classList.toggle("over", left < 0);
    }
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 400); });
    update();
  });
})();

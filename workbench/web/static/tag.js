// Shift-click ticks every photo between the last ticked one and this one: a run in capture order.
(function () {
  "use strict";
  const boxes = [...document.querySelectorAll('#run input[type="checkbox"]')];
  let last = null;
  boxes.forEach((box, index) => box.addEventListener("click", (event) => {
    if (event.shiftKey && last !== null) {
      const [from, to] = last < index ? [last, index] : [index, last];
      for (let i = from; i <= to; i++) boxes[i].checked = box.checked;
    }
    last = index;
  }));
})();

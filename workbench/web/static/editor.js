// The side-by-side editor: zoom and pan the page image, draw OCR word boxes, save with Ctrl+S.
(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor) return;
  const viewport = document.getElementById("viewport");
  const canvas = document.getElementById("canvas");
  const image = document.getElementById("page-image");
  const overlay = document.getElementById("overlay");
  const textArea = document.getElementById("text");
  const threshold = document.getElementById("threshold");
  const pageWidth = Number(editor.dataset.pageWidth);
  const pageHeight = Number(editor.dataset.pageHeight);
  const view = { scale: 1, x: 0, y: 0 };
  const MIN_SCALE = 0.05, MAX_SCALE = 8;

  function apply() {
    canvas.style.width = pageWidth + "px";
    canvas.style.height = pageHeight + "px";
    canvas.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
  }

  function zoomAt(factor, cx, cy) {
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
    const k = scale / view.scale;
    view.x = cx - (cx - view.x) * k;
    view.y = cy - (cy - view.y) * k;
    view.scale = scale;
    apply();
  }

  function fit(mode) {
    const w = viewport.clientWidth, h = viewport.clientHeight;
    view.scale = mode === "page" ? Math.min(w / pageWidth, h / pageHeight) : w / pageWidth;
    view.x = (w - pageWidth * view.scale) / 2;
    view.y = mode === "page" ? (h - pageHeight * view.scale) / 2 : 0;
    apply();
  }

  viewport.addEventListener("wheel", (event) => {
    event.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - r.left, event.clientY - r.top);
  }, { passive: false });

  let drag = null;
  viewport.addEventListener("pointerdown", (event) => {
    if (event.target.tagName === "rect") return;
    drag = { x: event.clientX - view.x, y: event.clientY - view.y };
    viewport.classList.add("dragging");
    viewport.setPointerCapture(event.pointerId);
  });
  viewport.addEventListener("pointermove", (event) => {
    if (!drag) return;
    view.x = event.clientX - drag.x;
    view.y = event.clientY - drag.y;
    apply();
  });
  viewport.addEventListener("pointerup", () => { drag = null; viewport.classList.remove("dragging"); });

  viewport.addEventListener("keydown", (event) => {
    const step = 60, cx = viewport.clientWidth / 2, cy = viewport.clientHeight / 2;
    const actions = {
      "+": () => zoomAt(1.25, cx, cy), "=": () => zoomAt(1.25, cx, cy), "-": () => zoomAt(0.8, cx, cy),
      "w": () => fit("width"), "p": () => fit("page"),
      "ArrowLeft": () => { view.x += step; apply(); }, "ArrowRight": () => { view.x -= step; apply(); },
      "ArrowUp": () => { view.y += step; apply(); }, "ArrowDown": () => { view.y -= step; apply(); },
    };
    if (actions[event.key]) { event.preventDefault(); actions[event.key](); }
  });

  document.querySelectorAll("[data-zoom]").forEach((button) => button.addEventListener("click", () => {
    const mode = button.dataset.zoom, cx = viewport.clientWidth / 2, cy = viewport.clientHeight / 2;
    if (mode === "in") zoomAt(1.25, cx, cy);
    else if (mode === "out") zoomAt(0.8, cx, cy);
    else fit(mode);
  }));

  // OCR word boxes; words below the threshold are marked
  let words = [];
  function drawBoxes() {
    const ns = "http://www.w3.org/2000/svg";
    overlay.replaceChildren();
    const limit = Number(threshold.value);
    words.forEach((word, index) => {
      const [x0, y0, x1, y1] = word.box;
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", x0); rect.setAttribute("y", y0);
      rect.setAttribute("width", x1 - x0); rect.setAttribute("height", y1 - y0);
      if (word.confidence < limit) rect.classList.add("low");
      rect.dataset.index = index;
      const title = document.createElementNS(ns, "title");
      title.textContent = `${word.text} (${word.confidence}%)`;
      rect.appendChild(title);
      overlay.appendChild(rect);
    });
  }
  overlay.addEventListener("click", (event) => {
    const index = event.target.dataset && event.target.dataset.index;
    if (index === undefined) return;
    overlay.querySelectorAll(".current").forEach((r) => r.classList.remove("current"));
    event.target.classList.add("current");
    // put the caret on the n-th occurrence of this word in the text, the usual case when OCR text is kept
    const word = words[Number(index)].text;
    const before = words.slice(0, Number(index)).filter((w) => w.text === word).length;
    let at = -1;
    for (let i = 0; i <= before; i++) at = textArea.value.indexOf(word, at + 1);
    if (at >= 0) { textArea.focus(); textArea.setSelectionRange(at, at + word.length); }
  });
  document.getElementById("show-boxes").addEventListener("change", (event) => {
    overlay.classList.toggle("hidden", !event.target.checked);
  });
  threshold.addEventListener("input", drawBoxes);

  fetch(editor.dataset.api, { headers: { "Accept": "application/json" } })
    .then((response) => response.ok ? response.json() : Promise.reject(response.status))
    .then((data) => { words = data.lines.flatMap((line) => line.words); drawBoxes(); })
    .catch(() => {});

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      document.getElementById("text-form").requestSubmit();
    }
  });

  if (image.complete) fit("width"); else image.addEventListener("load", () => fit("width"));
  apply();
})();

// The side-by-side editor. Plain script, no build step, nothing from the network.
// Parts: the viewer (zoom, pan, rotate, photo, light), the OCR overlay linked to the text,
// the two editing modes, the character palette and marks, and saving that never loses text.
(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor) return;

  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const pageId = editor.dataset.pageId;
  const pageWidth = Number(editor.dataset.pageWidth);
  const pageHeight = Number(editor.dataset.pageHeight);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const viewport = $("viewport"), canvas = $("canvas"), image = $("page-image"), overlay = $("overlay");
  const textArea = $("text"), backdrop = $("backdrop"), baseInput = $("base-version");
  const saveState = $("save-state"), threshold = $("threshold");

  // ---------------------------------------------------------------- viewer
  const view = { scale: 1, x: 0, y: 0, rotation: 0, photo: false, width: pageWidth, height: pageHeight,
                 zoomed: false };
  const MIN_SCALE = 0.05, MAX_SCALE = 10;

  function apply() {
    const w = view.width, h = view.height, r = view.rotation;
    const [rw, rh] = r % 180 ? [h, w] : [w, h];
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    // scale about the top-left corner; rotate about the page centre so the turned page starts at (0, 0)
    canvas.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale}) ` +
      `translate(${rw / 2}px, ${rh / 2}px) rotate(${r}deg) translate(${-w / 2}px, ${-h / 2}px)`;
  }

  function rotatedSize() {
    return view.rotation % 180 ? [view.height, view.width] : [view.width, view.height];
  }

  function zoomAt(factor, cx, cy) {
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
    const k = scale / view.scale;
    view.x = cx - (cx - view.x) * k;
    view.y = cy - (cy - view.y) * k;
    view.scale = scale;
    view.zoomed = true;
    apply();
  }

  function fit(mode) {
    const [w, h] = rotatedSize(), vw = viewport.clientWidth, vh = viewport.clientHeight;
    view.scale = mode === "page" ? Math.min(vw / w, vh / h) : vw / w;
    view.x = (vw - w * view.scale) / 2;
    view.y = mode === "page" ? (vh - h * view.scale) / 2 : 0;
    apply();
  }

  // point in page (or photo) pixels -> point in the viewport, honouring the rotation
  function toViewport(px, py) {
    const w = view.width, h = view.height;
    let x = px, y = py;
    if (view.rotation === 90) { x = h - py; y = px; }
    else if (view.rotation === 180) { x = w - px; y = h - py; }
    else if (view.rotation === 270) { x = py; y = w - px; }
    return [view.x + x * view.scale, view.y + y * view.scale];
  }

  function scrollIntoView(box) {
    const [x0, y0] = toViewport(box[0], box[1]), [x1, y1] = toViewport(box[2], box[3]);
    const left = Math.min(x0, x1), right = Math.max(x0, x1), top = Math.min(y0, y1), bottom = Math.max(y0, y1);
    const vw = viewport.clientWidth, vh = viewport.clientHeight, margin = 40;
    if (left < margin || right > vw - margin) view.x += vw / 2 - (left + right) / 2;
    if (top < margin || bottom > vh - margin) view.y += vh / 2 - (top + bottom) / 2;
    apply();
  }

  viewport.addEventListener("wheel", (event) => {
    event.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - r.left, event.clientY - r.top);
  }, { passive: false });

  let drag = null;
  viewport.addEventListener("pointerdown", (event) => {
    if (event.target instanceof SVGElement && event.target.dataset.index !== undefined) return;
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
  const endDrag = () => { drag = null; viewport.classList.remove("dragging"); };
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointercancel", endDrag);

  viewport.addEventListener("keydown", (event) => {
    const step = 60, cx = viewport.clientWidth / 2, cy = viewport.clientHeight / 2;
    const keys = {
      "+": () => zoomAt(1.25, cx, cy), "=": () => zoomAt(1.25, cx, cy), "-": () => zoomAt(0.8, cx, cy),
      "w": () => fit("width"), "f": () => fit("page"), "r": () => rotate(90), "o": () => togglePhoto(),
      "ArrowLeft": () => { view.x += step; apply(); }, "ArrowRight": () => { view.x -= step; apply(); },
      "ArrowUp": () => { view.y += step; apply(); }, "ArrowDown": () => { view.y -= step; apply(); },
    };
    if (keys[event.key] && !event.ctrlKey && !event.altKey) { event.preventDefault(); keys[event.key](); }
  });

  document.querySelectorAll("[data-zoom]").forEach((button) => button.addEventListener("click", () => {
    const mode = button.dataset.zoom, cx = viewport.clientWidth / 2, cy = viewport.clientHeight / 2;
    if (mode === "in") zoomAt(1.25, cx, cy);
    else if (mode === "out") zoomAt(0.8, cx, cy);
    else fit(mode);
  }));

  function rotate(degrees) {
    view.rotation = (view.rotation + degrees) % 360;
    fit("page");
  }
  document.querySelector("[data-rotate]").addEventListener("click", () => rotate(90));

  function applyFilter() {
    image.style.filter = `brightness(${$("brightness").value}%) contrast(${$("contrast").value}%)`;
  }
  $("brightness").addEventListener("input", applyFilter);
  $("contrast").addEventListener("input", applyFilter);

  // --------------------------------------------------------- OCR overlay
  let layout = { lines: [], to_photo: null, photo_size: null };
  let words = [];            // OCR words in reading order, each {text, confidence, box, line}
  let tokens = [];           // words of the current text: {text, start, end}
  let tokenToWord = [];      // index of the OCR word each text token stands for, or -1

  function photoPoint(x, y) {
    const m = layout.to_photo && layout.to_photo.homography;
    if (!m) return [x, y];
    const w = m[2][0] * x + m[2][1] * y + m[2][2];
    return [(m[0][0] * x + m[0][1] * y + m[0][2]) / w, (m[1][0] * x + m[1][1] * y + m[1][2]) / w];
  }

  function shapeFor(box, extraClass) {
    let shape;
    if (view.photo) {
      const [x0, y0, x1, y1] = box;
      shape = document.createElementNS(SVG, "polygon");
      shape.setAttribute("points", [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
        .map(([x, y]) => photoPoint(x, y).join(",")).join(" "));
    } else {
      shape = document.createElementNS(SVG, "rect");
      shape.setAttribute("x", box[0]); shape.setAttribute("y", box[1]);
      shape.setAttribute("width", box[2] - box[0]); shape.setAttribute("height", box[3] - box[1]);
    }
    if (extraClass) shape.classList.add(extraClass);
    return shape;
  }

  function drawBoxes() {
    overlay.setAttribute("viewBox", `0 0 ${view.width} ${view.height}`);
    overlay.replaceChildren();
    const limit = Number(threshold.value);
    layout.lines.forEach((line, n) => {
      const shape = shapeFor(line.box, "line");
      shape.dataset.line = n;
      overlay.appendChild(shape);
    });
    words.forEach((word, index) => {
      const shape = shapeFor(word.box, word.confidence < limit ? "low" : null);
      shape.dataset.index = index;
      const title = document.createElementNS(SVG, "title");
      title.textContent = `${word.text} (${word.confidence}%)`;
      shape.appendChild(title);
      overlay.appendChild(shape);
    });
    markText();
  }

  // Align the text's words with the OCR words (longest common subsequence, then the gaps by position),
  // so a click on either side finds the other even after corrections.
  function align() {
    tokens = [];
    const re = /\S+/g;
    let m;
    while ((m = re.exec(textArea.value))) tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length });
    const n = tokens.length, k = words.length;
    tokenToWord = new Array(n).fill(-1);
    if (!n || !k || n * k > 4e6) return;
    const norm = (s) => s.toLowerCase().replace(/[.,;:!?«»"()]/g, "");
    const a = tokens.map((t) => norm(t.text)), b = words.map((w) => norm(w.text));
    const dp = Array.from({ length: n + 1 }, () => new Uint16Array(k + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = k - 1; j >= 0; j--) {
        dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
      }
    }
    const anchors = [[-1, -1]];
    for (let i = 0, j = 0; i < n && j < k;) {
      if (a[i] === b[j]) { anchors.push([i, j]); tokenToWord[i] = j; i++; j++; }
      else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
      else j++;
    }
    anchors.push([n, k]);
    for (let g = 0; g + 1 < anchors.length; g++) {
      const [i0, j0] = anchors[g], [i1, j1] = anchors[g + 1];
      const gapT = i1 - i0 - 1, gapW = j1 - j0 - 1;
      if (gapT > 0 && gapW > 0) {
        for (let t = 1; t <= gapT; t++) tokenToWord[i0 + t] = j0 + Math.min(gapW, Math.ceil(t * gapW / gapT));
      }
    }
  }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // search hits from the results page: places in the text as it was loaded, dropped at the first edit
  let hits = JSON.parse(editor.dataset.hits || "[]");

  // low-confidence words and search hits marked in the text: a mirror of the textarea behind it
  function markText() {
    align();
    const limit = Number(threshold.value), text = textArea.value;
    const marks = hits.map(([start, end]) => ({ start, end, cls: "hit" }));
    tokens.forEach((token, i) => {
      const w = tokenToWord[i];
      const inHit = hits.some(([s, e]) => token.start < e && token.end > s);
      if (w >= 0 && words[w].confidence < limit && !inHit) marks.push({ start: token.start, end: token.end, cls: "" });
    });
    marks.sort((a, b) => a.start - b.start);
    let html = "", at = 0;
    marks.forEach((m) => {
      if (m.start < at) return;
      html += escapeHtml(text.slice(at, m.start)) + `<mark class="${m.cls}">` + escapeHtml(text.slice(m.start, m.end)) + "</mark>";
      at = m.end;
    });
    backdrop.innerHTML = html + escapeHtml(text.slice(at)) + "\n";
    backdrop.scrollTop = textArea.scrollTop;
    overlay.querySelectorAll(".hit").forEach((s) => s.classList.remove("hit"));
    tokens.forEach((token, i) => {
      const w = tokenToWord[i];
      if (w >= 0 && hits.some(([s, e]) => token.start < e && token.end > s)) {
        const shape = overlay.querySelector(`[data-index="${w}"]`);
        if (shape) shape.classList.add("hit");
      }
    });
  }

  function highlight(wordIndex, lineIndex) {
    overlay.querySelectorAll(".current").forEach((s) => s.classList.remove("current"));
    if (lineIndex !== undefined && lineIndex >= 0) {
      const line = overlay.querySelector(`[data-line="${lineIndex}"]`);
      if (line) line.classList.add("current");
    }
    if (wordIndex >= 0) {
      const shape = overlay.querySelector(`[data-index="${wordIndex}"]`);
      if (shape) { shape.classList.add("current"); scrollIntoView(words[wordIndex].box); }
    }
  }

  function caretMoved() {
    if (!words.length && !layout.lines.length) return;
    const caret = textArea.selectionStart;
    let tokenIndex = tokens.findIndex((t) => caret >= t.start && caret <= t.end);
    if (tokenIndex < 0) tokenIndex = tokens.findIndex((t) => t.start > caret);
    const w = tokenIndex >= 0 ? tokenToWord[tokenIndex] : -1;
    const textLine = textArea.value.slice(0, caret).split("\n").length - 1;
    const lineIndex = w >= 0 ? words[w].line : lineForTextLine(textLine);
    highlight(w, lineIndex);
  }

  overlay.addEventListener("click", (event) => {
    const index = event.target.dataset && event.target.dataset.index;
    if (index === undefined) return;
    const tokenIndex = tokenToWord.indexOf(Number(index));
    if (mode === "lines") { focusLine(rowForOcrLine(words[Number(index)].line)); return; }
    if (tokenIndex >= 0) {
      const t = tokens[tokenIndex];
      textArea.focus();
      textArea.setSelectionRange(t.start, t.end);
    }
    highlight(Number(index), words[Number(index)].line);
  });
  ["click", "keyup", "select"].forEach((e) => textArea.addEventListener(e, caretMoved));
  textArea.addEventListener("scroll", () => { backdrop.scrollTop = textArea.scrollTop; });
  $("show-boxes").addEventListener("change", (event) => overlay.classList.toggle("hidden", !event.target.checked));
  threshold.addEventListener("input", drawBoxes);

  function setImage() {
    const src = view.photo || !editor.dataset.pageImage ? editor.dataset.photoImage : editor.dataset.pageImage;
    if (view.photo && layout.photo_size && layout.photo_size[0]) {
      [view.width, view.height] = layout.photo_size;
    } else {
      [view.width, view.height] = [pageWidth, pageHeight];
    }
    image.src = src;
    drawBoxes();
    fit("width");
  }
  function togglePhoto() {
    $("show-photo").checked = !$("show-photo").checked;
    view.photo = $("show-photo").checked;
    setImage();
  }
  $("show-photo").addEventListener("change", (event) => { view.photo = event.target.checked; setImage(); });

  // ------------------------------------------------------ line-by-line mode
  let mode = "page";
  const linesMode = $("lines-mode"), pageMode = $("page-mode");

  // text lines that hold words, paired in order with the OCR lines
  function textRows() {
    return textArea.value.split("\n");
  }
  function lineForTextLine(textLine) {
    const rows = textRows();
    let n = -1;
    for (let i = 0; i <= textLine && i < rows.length; i++) if (rows[i].trim()) n++;
    return rows[textLine] && rows[textLine].trim() ? n : -1;
  }
  function rowForOcrLine(lineIndex) {
    const rows = textRows();
    let n = -1;
    for (let i = 0; i < rows.length; i++) if (rows[i].trim() && ++n === lineIndex) return i;
    return 0;
  }

  function strip(box, row) {
    const div = document.createElement("div");
    div.className = "strip";
    if (!box) return div;
    const pad = 6, width = linesMode.clientWidth - 24 || 600;
    const scale = Math.min(2, width / (box[2] - box[0] + 2 * pad));
    div.style.height = Math.round((box[3] - box[1] + 2 * pad) * scale) + "px";
    div.style.backgroundImage = `url("${editor.dataset.pageImage || editor.dataset.photoImage}")`;
    div.style.backgroundSize = `${pageWidth * scale}px ${pageHeight * scale}px`;
    div.style.backgroundPosition = `${-(box[0] - pad) * scale}px ${-(box[1] - pad) * scale}px`;
    div.setAttribute("aria-label", `Image of line ${row + 1}`);
    return div;
  }

  function buildLines() {
    linesMode.replaceChildren();
    const rows = textArea.value ? textRows() : [];
    let ocrLine = -1;
    const extra = Math.max(0, layout.lines.length - rows.filter((r) => r.trim()).length);
    rows.concat(new Array(extra).fill("")).forEach((row, i) => {
      if (row.trim() || i >= rows.length) ocrLine++;
      const wrap = document.createElement("div");
      wrap.className = "line-row";
      const box = (row.trim() || i >= rows.length) && layout.lines[ocrLine] ? layout.lines[ocrLine].box : null;
      wrap.appendChild(strip(box, i));
      const input = document.createElement("input");
      input.type = "text"; input.value = row; input.lang = "ru"; input.spellcheck = false;
      input.dataset.row = i;
      input.setAttribute("aria-label", `Line ${i + 1}`);
      if (box) input.dataset.ocrLine = ocrLine;
      wrap.appendChild(input);
      linesMode.appendChild(wrap);
    });
  }

  // the layout came after line-by-line mode was opened: give the rows their strips, keep the caret
  function refreshLines() {
    const active = document.activeElement;
    const row = active && linesMode.contains(active) ? Number(active.dataset.row) : null;
    const caret = row !== null ? active.selectionStart : null;
    buildLines();
    if (row === null) return;
    focusLine(row);
    const input = linesMode.querySelectorAll("input")[row];
    if (input && caret !== null) input.setSelectionRange(caret, caret);
  }

  function linesToText() {
    const values = [...linesMode.querySelectorAll("input")].map((i) => i.value);
    while (values.length && !values[values.length - 1].trim()) values.pop();
    return values.join("\n");
  }

  function focusLine(row) {
    const inputs = linesMode.querySelectorAll("input");
    const input = inputs[Math.max(0, Math.min(inputs.length - 1, row))];
    if (!input) return;
    input.focus();
    input.scrollIntoView({ block: "nearest" });
  }

  linesMode.addEventListener("input", () => { textArea.value = linesToText(); changed(); });
  linesMode.addEventListener("focusin", (event) => {
    const line = event.target.dataset.ocrLine;
    if (line !== undefined) { highlight(-1, Number(line)); scrollIntoView(layout.lines[Number(line)].box); }
  });
  linesMode.addEventListener("keydown", (event) => {
    const row = Number(event.target.dataset.row);
    if (event.key === "Enter" || event.key === "ArrowDown") { event.preventDefault(); focusLine(row + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); focusLine(row - 1); }
  });

  function setMode(next) {
    if (next === mode) return;
    mode = next;
    document.querySelectorAll("[data-mode]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.mode === mode)));
    if (mode === "lines") {
      buildLines();
      pageMode.hidden = true; linesMode.hidden = false;
      focusLine(0);
    } else {
      textArea.value = linesToText();
      linesMode.hidden = true; pageMode.hidden = false;
      markText();
      textArea.focus();
    }
  }
  document.querySelectorAll("[data-mode]").forEach((b) => b.addEventListener("click", () => setMode(b.dataset.mode)));

  // --------------------------------------------------- characters and marks
  const MARKS = { uncertain: ["[[?", "]]"], illegible: ["[[", "]]"] };
  let lastField = textArea;
  document.addEventListener("focusin", (event) => {
    if (event.target === textArea || event.target.closest && event.target.closest("#lines-mode")) lastField = event.target;
  });

  function insert(before, after = "") {
    const field = lastField;
    const start = field.selectionStart, end = field.selectionEnd;
    const selected = field.value.slice(start, end) || (after && before === MARKS.illegible[0] ? "..." : "");
    field.setRangeText(before + selected + after, start, end, "end");
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const keyToChar = {};
  document.querySelectorAll("[data-char]").forEach((b) => {
    keyToChar[b.dataset.key] = b.dataset.char;
    b.addEventListener("mousedown", (event) => event.preventDefault());  // keep the caret where it is
    b.addEventListener("click", () => insert(b.dataset.char));
  });
  document.querySelectorAll("[data-mark]").forEach((b) => {
    b.addEventListener("mousedown", (event) => event.preventDefault());
    b.addEventListener("click", () => insert(...MARKS[b.dataset.mark]));
  });

  // ------------------------------------------------------------- saving
  const draftKey = `workbench:draft:${pageId}`;
  const AUTOSAVE_MS = 1500, RETRY_MS = 5000;
  let savedText = textArea.value, dirty = false, inFlight = false, timer = null, conflict = null, offline = false;

  function show(state) { saveState.textContent = state; }
  function keepDraft() {
    try {
      localStorage.setItem(draftKey, JSON.stringify({ text: currentText(), base_version: Number(baseInput.value),
                                                       at: Date.now() }));
    } catch (e) { /* storage full or off: the server copy is the only one */ }
  }
  function dropDraft() { try { localStorage.removeItem(draftKey); } catch (e) { /* ignore */ } }
  function currentText() { return mode === "lines" ? linesToText() : textArea.value; }

  function changed() {
    dirty = currentText() !== savedText;
    if (!dirty) { dropDraft(); show(`saved, version ${baseInput.value}`); return; }
    keepDraft();
    show("unsaved changes");
    clearTimeout(timer);
    if (!conflict) timer = setTimeout(() => save(), AUTOSAVE_MS);
  }
  textArea.addEventListener("input", () => { hits = []; markText(); changed(); });

  // an action asked for while a save is out (Verify during an autosave) waits for it, and survives a retry
  let pendingAction = null;

  async function save(action) {
    if (inFlight) { if (action) pendingAction = action; return; }
    action = action || pendingAction;
    pendingAction = null;
    if (conflict && !action) return;
    const text = currentText();
    if (text === savedText && !action) return;
    clearTimeout(timer);
    inFlight = true;
    show("saving…");
    let response;
    try {
      response = await fetch(editor.dataset.save, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
        body: JSON.stringify({ text, base_version: Number(baseInput.value), action: action || "" }),
        credentials: "same-origin",
      });
    } catch (e) {
      inFlight = false;
      offline = true;
      keepDraft();
      show("offline: your text is kept in this browser and will be sent when the server answers");
      pendingAction = action || pendingAction;
      timer = setTimeout(() => save(), RETRY_MS);
      return;
    }
    inFlight = false;
    offline = false;
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      baseInput.value = body.version;
      savedText = text;
      $("status").textContent = body.status.replace("_", " ");
      $("status").className = `status status-${body.status}`;
      dirty = currentText() !== savedText;
      if (dirty) { keepDraft(); timer = setTimeout(() => save(), AUTOSAVE_MS); }
      else dropDraft();
      show(dirty ? "unsaved changes" : `saved, version ${body.version}`);
      if (pendingAction) save();
    } else if (response.status === 409) {
      showConflict(body, currentText());  // what is in the editor now, keystrokes made meanwhile included
    } else if (response.status === 401) {
      keepDraft();
      show("logged out: your text is kept in this browser; log in again in another tab, then save");
    } else {
      keepDraft();
      show(`not saved: ${body.error || response.status}`);
    }
  }

  function renderDiff(target, chunks) {
    target.replaceChildren();
    chunks.forEach(([op, text]) => {
      const node = op === "equal" ? document.createTextNode(text) : document.createElement(op === "delete" ? "del" : "ins");
      if (op !== "equal") node.textContent = text;
      target.appendChild(node);
    });
  }

  function showConflict(body, mine) {
    conflict = { version: body.current_version, theirs: body.current_text, mine };
    $("conflict-version").textContent = body.current_version;
    renderDiff($("conflict-diff"), body.diff);
    $("conflict").hidden = false;
    keepDraft();
    show("not saved: someone else saved first");
  }
  $("take-mine").addEventListener("click", () => { setText(conflict.mine); });
  $("take-theirs").addEventListener("click", () => { setText(conflict.theirs); });
  $("merge-save").addEventListener("click", () => {
    baseInput.value = conflict.version;
    savedText = conflict.theirs;
    conflict = null;
    $("conflict").hidden = true;
    save("save");
  });
  function setText(text) {
    textArea.value = text;
    if (mode === "lines") buildLines();
    markText();
    changed();
  }

  $("text-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const action = event.submitter ? event.submitter.value : "save";
    if (conflict) { $("merge-save").click(); return; }
    save(action);
  });

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (conflict) $("merge-save").click(); else save("save");
      return;
    }
    if (event.altKey && !event.ctrlKey) {
      const ch = keyToChar[event.key.toLowerCase()];
      if (event.key === "1") { event.preventDefault(); setMode("page"); }
      else if (event.key === "2") { event.preventDefault(); setMode("lines"); }
      else if (event.key.toLowerCase() === "q") { event.preventDefault(); insert(...MARKS.uncertain); }
      else if (event.key.toLowerCase() === "x") { event.preventDefault(); insert(...MARKS.illegible); }
      else if (event.key === "PageUp" || event.key === "PageDown") {
        const link = document.querySelector(event.key === "PageUp" ? 'a[rel="prev"]' : 'a[rel="next"]');
        if (link) { event.preventDefault(); link.click(); }
      } else if (ch && (document.activeElement === textArea || document.activeElement.closest("#lines-mode"))) {
        event.preventDefault();
        insert(event.shiftKey ? ch.toUpperCase() : ch);
      }
    }
  });

  window.addEventListener("online", () => { if (dirty) save(); });
  window.addEventListener("beforeunload", (event) => {
    if (dirty || inFlight || conflict || offline) { keepDraft(); event.preventDefault(); event.returnValue = ""; }
  });

  // a draft left in this browser (server unreachable, tab closed) comes back
  function recoverDraft() {
    let draft = null;
    try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { draft = null; }
    if (!draft || draft.text === savedText) { dropDraft(); return; }
    textArea.value = draft.text;
    markText();
    show("recovered your unsaved text from this browser; saving");
    // a draft based on an older version is sent as it was made: the server refuses it and shows both to merge
    baseInput.value = draft.base_version;
    dirty = true;
    save("save");
  }

  // ------------------------------------------------------------- start
  fetch(editor.dataset.api, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
    .then((response) => response.ok ? response.json() : Promise.reject(response.status))
    .then((data) => {
      layout = data;
      words = [];
      data.lines.forEach((line, n) => line.words.forEach((w) => words.push({ ...w, line: n })));
      drawBoxes();
      if (mode === "lines") refreshLines();
    })
    .catch(() => show("the OCR layout could not be loaded; the text can still be edited"));

  // fit the first image to the width, unless the transcriber has already zoomed while it loaded
  image.addEventListener("load", () => { if (!view.zoomed) fit("width"); }, { once: true });
  setImage();
  recoverDraft();
  apply();
})();

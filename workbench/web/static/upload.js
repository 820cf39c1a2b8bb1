// Add photos: send each file on its own (so the bar moves and one bad file stops nothing), then start one
// OCR job for all that arrived, and follow its progress.
(function () {
  "use strict";
  const root = document.getElementById("upload");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const limit = Number(root.dataset.limitMb) * 1024 * 1024;

  function sendOne(file, onProgress) {
    return new Promise((resolve) => {
      const form = new FormData();
      form.append("photo", file, file.webkitRelativePath || file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/uploads");
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.upload.addEventListener("progress", (e) => onProgress(e.loaded));
      xhr.addEventListener("load", () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = { error: `answer ${xhr.status}` }; }
        resolve({ ok: xhr.status === 201, body, file });
      });
      xhr.addEventListener("error", () => resolve({ ok: false, body: { error: "the server could not be reached" }, file }));
      xhr.send(form);
    });
  }

  function refuse(name, reason) {
    const li = document.createElement("li");
    li.textContent = `${name}: ${reason}`;
    $("refused").appendChild(li);
  }

  async function upload(files) {
    files = files.filter((f) => f.size > 0 || f.name);
    if (!files.length) return;
    $("progress").hidden = false;
    $("finished").hidden = true;
    const total = files.reduce((n, f) => n + f.size, 0) || 1;
    let sent = 0;
    const accepted = [];
    for (const file of files) {
      if (file.size > limit) { refuse(file.name, `larger than the ${root.dataset.limitMb} MB limit`); sent += file.size; continue; }
      const result = await sendOne(file, (loaded) => {
        $("upload-bar").value = (sent + loaded) / total;
        $("upload-figure").textContent = `${Math.round(100 * (sent + loaded) / total)}%`;
      });
      sent += file.size;
      if (result.ok) accepted.push(result.body.sha256); else refuse(file.name, result.body.error);
    }
    $("upload-bar").value = 1;
    $("upload-figure").textContent = `${accepted.length} of ${files.length} photo(s) arrived`;
    if (!accepted.length) return;
    const response = await fetch("/api/jobs", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ photos: accepted }),
    });
    const body = await response.json();
    if (!response.ok) { $("ocr-message").textContent = body.error; return; }
    follow(body.job);
  }

  async function follow(jobId) {
    const response = await fetch(`/api/jobs/${jobId}`, { credentials: "same-origin" });
    const job = await response.json();
    $("ocr-bar").max = job.total || 1;
    $("ocr-bar").value = job.done + job.failed;
    $("ocr-figure").textContent = `${job.done + job.failed} of ${job.total}` + (job.failed ? `, ${job.failed} failed` : "");
    if (job.state === "done" || job.state === "failed") {
      $("ocr-message").textContent = job.message || "";
      $("finished").hidden = false;
      return;
    }
    setTimeout(() => follow(jobId), 1000);
  }

  for (const id of ["files", "folder"]) {
    const input = $(id);
    // the chosen files are taken, then the input is cleared: the same photo can be chosen again, and a
    // browser restoring the form on "back" finds nothing to send twice
    const take = () => { const files = [...input.files]; input.value = ""; upload(files); };
    input.addEventListener("change", take);
    // files chosen before this script ran (a quick hand, a slow connection) are sent too
    if (input.files.length) take();
  }
  const zone = $("dropzone");
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", async (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    const files = [];
    const walk = (entry) => new Promise((resolve) => {
      if (entry.isFile) entry.file((f) => { files.push(f); resolve(); }, resolve);
      else if (entry.isDirectory) {
        const reader = entry.createReader();
        const all = [];
        const more = () => reader.readEntries(async (batch) => {
          if (!batch.length) { await Promise.all(all.map(walk)); resolve(); } else { all.push(...batch); more(); }
        }, resolve);
        more();
      } else resolve();
    });
    const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
    if (entries.length) await Promise.all(entries.map(walk)); else files.push(...e.dataTransfer.files);
    upload(files);
  });
})();

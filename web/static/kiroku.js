// Kiroku's pages work as plain forms and links; this script only adds what helps on top:
// uploading with a progress bar per file and a plain message per failure, dropping files
// onto the page, whole folders (picked or dropped, with one bar and a summary), and a
// print button. Loaded as a module from /static (no inline script).


function setupPrint() {
  const button = document.getElementById('print-button');
  if (!button) return;
  button.hidden = false;
  // A long folder shows a page at a time: printing shows the whole list first.
  const all = document.getElementById('show-all');
  button.addEventListener('click', () => {
    if (all) window.location.assign(`${all.href}&print=1`);
    else window.print();
  });
  if (new URLSearchParams(window.location.search).get('print') === '1') window.print();
}

// A line for one file of an upload: its name, its bar and what is happening to it.
// Every file gets its line before the first is sent, so that all of them show at once.
function uploadLine(form, file, list) {
  const item = document.createElement('li');
  const name = document.createElement('strong');
  name.textContent = file.name;
  const bar = document.createElement('progress');
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute('aria-label', file.name);
  const status = document.createElement('p');
  status.textContent = form.dataset.waiting || '';
  item.append(name, bar, status);
  list.append(item);
  return { bar, status };
}

// Sends one file as its own request, so that each has its own bar and its own answer.
function sendFile(form, file, line) {
  const { bar, status } = line;
  status.textContent = form.dataset.sending || '';
  return new Promise((resolve) => {
    const data = new FormData();
    data.append('csrf', form.elements.csrf.value);
    data.append('folder', form.elements.folder.value);
    data.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    const done = (ok, message) => {
      bar.value = ok ? 100 : bar.value;
      status.textContent = message;
      status.className = ok ? 'ok' : 'failed';
      resolve(ok);
    };
    xhr.addEventListener('load', () => {
      let message = '';
      let ok = xhr.status >= 200 && xhr.status < 300;
      try {
        const answer = JSON.parse(xhr.responseText);
        if (answer.files && answer.files[0]) {
          ok = ok && answer.files[0].ok;
          message = answer.files[0].message;
        } else if (answer.message) {
          message = answer.message;
        }
      } catch (e) {
        ok = false;
      }
      done(ok, message || form.dataset.failed || '');
    });
    xhr.addEventListener('error', () => done(false, form.dataset.offline || ''));
    xhr.send(data);
  });
}

async function sendAll(form, files) {
  const list = document.getElementById('upload-progress');
  if (!files.length || !list) return;
  list.replaceChildren();
  const button = document.getElementById('upload-submit');
  if (button) button.disabled = true;
  const lines = files.map((file) => uploadLine(form, file, list));
  let saved = 0;
  for (const [index, file] of files.entries()) {
    if (await sendFile(form, file, lines[index])) saved += 1;
  }
  if (button) button.disabled = false;
  for (const input of form.querySelectorAll('input[type=file]')) input.value = '';
  if (saved === files.length) {
    // Everything is in: show the folder again, with the new files and a confirmation.
    const url = new URL(window.location.href);
    url.search = '';
    url.searchParams.set('done', 'uploaded');
    url.searchParams.set('count', String(saved));
    setTimeout(() => window.location.assign(url.toString()), 1200);
  }
}

// {name} placeholders of a catalogue text filled in.
function fill(text, values) {
  return (text || '').replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
}

// Every file below a dropped folder, with the folders it is in ("会計/令和5年度").
// readEntries gives a folder's entries a batch at a time, until an empty batch.
async function filesBelow(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    const dir = entry.fullPath.replace(/^\/+/, '').split('/').slice(0, -1).join('/');
    out.push({ file, relpath: dir });
    return;
  }
  const reader = entry.createReader();
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const child of batch) await filesBelow(child, out);
  }
}

// Sends one file of a folder; resolves with the server's answer for it.
function sendFolderFile(form, item, onBytes) {
  return new Promise((resolve) => {
    const data = new FormData();
    data.append('csrf', form.elements.csrf.value);
    data.append('folder', form.elements.folder.value);
    data.append('relpath', item.relpath);
    data.append('modified', String(item.file.lastModified || 0));
    data.append('file', item.file, item.file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => onBytes(e.loaded));
    const failed = (message) => ({ ok: false, outcome: 'failed', folders: 0, message });
    xhr.addEventListener('load', () => {
      try {
        const answer = JSON.parse(xhr.responseText);
        if (answer.files && answer.files[0]) resolve(answer.files[0]);
        else resolve(failed(answer.message || form.dataset.failed));
      } catch (e) {
        resolve(failed(form.dataset.failed));
      }
    });
    xhr.addEventListener('error', () => resolve(failed(form.dataset.offline)));
    xhr.send(data);
  });
}

// A whole folder: one bar for all of it, a line for each file that could not go in,
// and a summary at the end (the page stays, so that it can be read).
async function sendFolder(form, items) {
  const box = document.getElementById('folder-progress');
  const bar = document.getElementById('folder-bar');
  const count = document.getElementById('folder-count');
  const summary = document.getElementById('folder-summary');
  const list = document.getElementById('upload-progress');
  if (!items.length || !box) return;
  list.replaceChildren();
  summary.replaceChildren();
  box.hidden = false;
  const button = document.getElementById('upload-submit');
  if (button) button.disabled = true;
  const total = items.reduce((n, i) => n + i.file.size, 0) || 1;
  const tally = { added: 0, replaced: 0, unchanged: 0, junk: 0, folders: 0, failed: 0 };
  let sent = 0;
  bar.max = total;
  bar.value = 0;
  for (const [index, item] of items.entries()) {
    count.textContent = fill(form.dataset.progress, { done: index, total: items.length });
    const answer = await sendFolderFile(form, item, (loaded) => {
      bar.value = sent + Math.min(loaded, item.file.size);
    });
    sent += item.file.size;
    bar.value = sent;
    tally.folders += answer.folders || 0;
    if (answer.ok && answer.outcome in tally) tally[answer.outcome] += 1;
    else if (answer.ok) tally.added += 1;
    else {
      tally.failed += 1;
      const line = document.createElement('li');
      const name = document.createElement('strong');
      name.textContent = item.relpath ? `${item.relpath}/${item.file.name}` : item.file.name;
      const why = document.createElement('p');
      why.className = 'failed';
      why.textContent = answer.message || form.dataset.failed || '';
      line.append(name, why);
      list.append(line);
    }
  }
  count.textContent = fill(form.dataset.progress, { done: items.length, total: items.length });
  const done = document.createElement('p');
  done.textContent = fill(form.dataset.summary, tally);
  summary.append(done);
  if (tally.failed) {
    const warn = document.createElement('p');
    warn.className = 'failed';
    warn.textContent = fill(form.dataset.failedCount, tally);
    summary.append(warn);
  }
  const show = document.createElement('a');
  show.className = 'button';
  show.href = window.location.pathname;
  show.textContent = form.dataset.show || '';
  summary.append(show);
  if (button) button.disabled = false;
  for (const input of form.querySelectorAll('input[type=file]')) input.value = '';
  summary.focus();
}

function setupUpload() {
  const form = document.getElementById('upload-form');
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const folder = document.getElementById('upload-folder');
    if (folder && folder.files.length) {
      // webkitRelativePath: "会計/令和5年度/予算.xlsx" (the picked folder's name first).
      const items = [...folder.files].map((file) => ({
        file,
        relpath: file.webkitRelativePath.split('/').slice(0, -1).join('/'),
      }));
      sendFolder(form, items);
      return;
    }
    const files = [];
    for (const input of form.querySelectorAll('input[type=file]')) {
      if (input !== folder) files.push(...input.files);
    }
    if (!files.length) {
      const list = document.getElementById('upload-progress');
      const item = document.createElement('li');
      item.className = 'failed';
      item.textContent = form.dataset.none || '';
      list.replaceChildren(item);
      return;
    }
    sendAll(form, files);
  });
  const folderField = document.getElementById('folder-field');
  if (folderField && 'webkitdirectory' in document.createElement('input')) folderField.hidden = false;
  const zone = document.getElementById('drop-zone');
  if (!zone) return;
  zone.hidden = false;
  const over = (e) => {
    e.preventDefault();
    zone.classList.add('over');
  };
  for (const target of [zone, document.body]) {
    target.addEventListener('dragover', over);
    target.addEventListener('dragleave', () => zone.classList.remove('over'));
    target.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      if (!e.dataTransfer) return;
      // A folder among what was dropped: everything goes as a folder, with its folders.
      const entries = [...(e.dataTransfer.items || [])]
        .map((item) => (item.webkitGetAsEntry ? item.webkitGetAsEntry() : null))
        .filter((entry) => entry);
      if (entries.some((entry) => entry.isDirectory)) {
        const items = [];
        Promise.all(entries.map((entry) => filesBelow(entry, items))).then(() =>
          sendFolder(form, items),
        );
      } else if (e.dataTransfer.files.length) {
        sendAll(form, [...e.dataTransfer.files]);
      }
    });
  }
}

// An error summary takes the focus, so that a screen reader reads it first.
function focusErrors() {
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
}

setupPrint();
setupUpload();
focusErrors();

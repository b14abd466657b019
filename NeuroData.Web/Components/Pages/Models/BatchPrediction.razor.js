// Batch prediction from the browser: sends the chosen CSV to POST /api/v1/models/{id}/predictions with the
// antiforgery header, reports upload progress to the component, and turns the answer into an object URL for the
// download link (the result never lands on the server's disk beyond the request). Resolves to
// { ok, status, message, url, rows }; never throws for network or server errors.

export function predictFile(input, url, token, headerName, maxBytes, dotnet) {
  return new Promise((resolve) => {
    const file = input && input.files && input.files[0];
    if (!file) {
      resolve({ ok: false, status: 0, message: 'Choose a CSV file first.', url: null, rows: 0 });
      return;
    }
    if (file.size > maxBytes) {
      resolve({ ok: false, status: 413, message: `The file is larger than the batch limit of ${(maxBytes / 1048576).toFixed(1)} MB; split it into smaller files.`, url: null, rows: 0 });
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader(headerName || 'RequestVerificationToken', token);
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.responseType = 'blob';
    let last = -1;
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable || e.total === 0) return;
      const percent = Math.floor((e.loaded * 100) / e.total);
      if (percent !== last) {
        last = percent;
        dotnet.invokeMethodAsync('OnProgress', percent).catch(() => {});
      }
    };
    xhr.onerror = () => resolve({ ok: false, status: 0, message: 'The connection to the server failed; try again.', url: null, rows: 0 });
    xhr.onload = async () => {
      if (xhr.status === 200) {
        resolve({ ok: true, status: 200, message: '', url: URL.createObjectURL(xhr.response), rows: Number(xhr.getResponseHeader('X-Prediction-Rows') || '0') });
        return;
      }
      let message = `The server answered ${xhr.status}.`;
      try {
        const problem = JSON.parse(await xhr.response.text());
        if (problem && problem.detail) message = problem.detail;
      } catch {
        // not a problem document: keep the status message
      }
      resolve({ ok: false, status: xhr.status, message, url: null, rows: 0 });
    };
    xhr.send(file);
  });
}

export function revoke(url) {
  if (url) URL.revokeObjectURL(url);
}

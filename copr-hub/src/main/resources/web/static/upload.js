// The upload form's progress bar: sends the form with XMLHttpRequest (same page, same CSRF token in the
// action URL) and follows the hub's redirect to the new build when done. Without JavaScript the form posts
// normally, without a progress bar.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) {
    return;
  }
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = bar.value + " %";
      }
    });
    xhr.addEventListener("load", function () {
      var fromForm = xhr.responseURL.indexOf("/add_build_upload/") >= 0;
      if (!fromForm && xhr.responseURL) {
        window.location.assign(xhr.responseURL);
        return;
      }
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var err = doc.querySelector(".error");
      status.textContent = err ? err.textContent : "Upload failed (HTTP " + xhr.status + ").";
    });
    xhr.addEventListener("error", function () {
      status.textContent = "Upload failed: the connection was lost.";
    });
    status.textContent = "Uploading…";
    xhr.send(new FormData(form));
  });
})();

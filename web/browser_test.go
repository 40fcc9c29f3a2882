package web_test

// chromiumPath is where the browser test looks for a browser.
const chromiumPath = "/usr/bin/chromium"

// Package e2e holds the browser tests: the real portal on a real port, driven
// in Debian's headless Chromium through chromedp. Screenshots land in
// test-output/browser/. Without Chromium the tests skip loudly, except when
// CI=true, where a missing browser fails the run.
package e2e

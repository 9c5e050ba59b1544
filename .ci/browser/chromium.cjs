// How both browser checks start Debian's Chromium (headless: playwright adds
// --headless, as both launch with headless: true), with the flags a closed network needs (without the background-networking ones Chromium's
// own connections are refused, many at a time). Shared by .ci/browser/check.cjs and
// .ci/dashboard/e2e.mjs.
'use strict';

exports.CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

exports.executablePath = () => process.env.CHROMIUM ?? '/usr/bin/chromium';

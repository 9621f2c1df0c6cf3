// Runs the npm Dockerfile linters over the same files as Portcullis, in one process each, and prints
// files/s and how many files each parsed without throwing. Usage: node peers.js DIR [SECONDS]
'use strict';
const fs = require('fs');
const path = require('path');
const dockerfilelint = require('dockerfilelint');
const dockerfileUtils = require('dockerfile-utils');

function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name === 'Dockerfile' || e.name.startsWith('Dockerfile.') || e.name.endsWith('.Dockerfile')) out.push(p);
  }
  return out;
}

const dir = process.argv[2];
const seconds = Number(process.argv[3] || 10);
const files = walk(dir, []).sort().map(p => ({ p, text: fs.readFileSync(p, 'utf8') }));

const peers = {
  dockerfilelint: f => dockerfilelint.run(f.p, f.text),
  'dockerfile-utils': f => dockerfileUtils.validate(f.text, {}),
};

for (const [name, lint] of Object.entries(peers)) {
  let parsed = 0;
  for (const f of files) {
    try { lint(f); parsed++; } catch (e) { /* counted as not parsed */ }
  }
  // warm-up, then timed rounds over the whole set
  const warmEnd = Date.now() + 2000;
  while (Date.now() < warmEnd) for (const f of files) { try { lint(f); } catch (e) {} }
  let n = 0;
  const start = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    for (const f of files) { try { lint(f); } catch (e) {} n++; }
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${name}: ${(n / secs).toFixed(0)} files/s, parsed ${parsed}/${files.length} files`);
}

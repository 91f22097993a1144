#!/usr/bin/env node
// The `urls` stage: web links and e-mail addresses in the text, into `ext.urls`.
//
// A textpipe process stage written in JavaScript for Node.js, with the standard library
// only, speaking the process protocol by hand (no SDK): the hello, the config, then one
// answer line per document line. It shows what any language needs to write a stage.
//
// JavaScript strings count UTF-16 code units; textpipe's offsets are UTF-8 bytes, so each
// match's offsets are converted by walking the text once, left to right.
'use strict';

const readline = require('readline');

const HELLO = {
  textpipe_process: 1,
  stage: 'urls',
  summary: 'Web links and e-mail addresses, with byte offsets, into ext.urls',
  config_schema: {
    type: 'object',
    properties: {
      emails: { type: 'boolean', default: true, description: 'also find e-mail addresses' },
    },
  },
  example: { emails: true },
  requires: [],
  provides: [],
  reads: [],
};

const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"'()\[\]]+[^\s<>"'()\[\].,;:!?]/gu;
const EMAIL = /\b[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}\b/gu;

/** Checks the `with` object; returns [config, problems]. */
function configure(given) {
  const config = { emails: true };
  const problems = [];
  for (const [key, value] of Object.entries(given || {})) {
    if (key !== 'emails') {
      problems.push({ path: [key], message: 'unknown key; valid keys: emails', suggestion: 'emails' });
    } else if (typeof value !== 'boolean') {
      problems.push({ path: [key], message: 'must be true or false' });
    } else {
      config.emails = value;
    }
  }
  return [config, problems];
}

/** The links (and addresses) of `text` as {start, end, kind, text}, sorted, in UTF-8 bytes. */
function findUrls(text, config) {
  const found = [];
  for (const match of text.matchAll(LINK)) found.push([match.index, match[0], 'link']);
  if (config.emails) {
    for (const match of text.matchAll(EMAIL)) found.push([match.index, match[0], 'email']);
  }
  found.sort((a, b) => a[0] - b[0]);
  const urls = [];
  let unit = 0;
  let byte = 0;
  for (const [index, value, kind] of found) {
    byte += Buffer.byteLength(text.slice(unit, index), 'utf8');
    unit = index;
    const length = Buffer.byteLength(value, 'utf8');
    urls.push({ start: byte, end: byte + length, kind, text: value });
  }
  return urls;
}

function main() {
  const write = (message) => process.stdout.write(JSON.stringify(message) + '\n');
  write(HELLO);
  let config = null;
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (config === null) {
      const [checked, problems] = configure(JSON.parse(line).configure);
      if (problems.length > 0) {
        write({ config_errors: problems });
        process.exit(0);
      }
      config = checked;
      write({ ready: true });
      return;
    }
    try {
      const doc = JSON.parse(line);
      write({ patch: { ext: { urls: findUrls(doc.text, config) } } });
    } catch (error) {
      write({ error: String(error) });
    }
  });
}

if (require.main === module) {
  main();
}

module.exports = { findUrls, configure };

// `node --test` in plugins/urls-node: the stage's logic, and the protocol over a real process.
'use strict';

const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const test = require('node:test');

const { findUrls, configure } = require('../urls.js');

test('offsets are UTF-8 bytes after multi-byte text', () => {
  const text = 'Süß 日本 see https://example.org/a?b=1. Mail ana@example.com';
  const urls = findUrls(text, { emails: true });
  const bytes = Buffer.from(text, 'utf8');
  assert.deepStrictEqual(urls.map((u) => bytes.subarray(u.start, u.end).toString('utf8')),
    ['https://example.org/a?b=1', 'ana@example.com']);
  assert.deepStrictEqual(urls.map((u) => u.kind), ['link', 'email']);
});

test('e-mail addresses can be turned off, and typos are reported', () => {
  assert.deepStrictEqual(findUrls('ana@example.com', { emails: false }), []);
  const [, problems] = configure({ email: false });
  assert.strictEqual(problems[0].suggestion, 'emails');
});

test('the program speaks the protocol', () => {
  const input = '{"configure": {}}\n{"id": "1", "text": "Ä www.example.org"}\n';
  const run = spawnSync(process.execPath, [path.join(__dirname, '..', 'urls.js')], { input });
  const lines = run.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.strictEqual(lines[0].textpipe_process, 1);
  assert.deepStrictEqual(lines[1], { ready: true });
  assert.deepStrictEqual(lines[2].patch.ext.urls, [{ start: 3, end: 18, kind: 'link', text: 'www.example.org' }]);
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../sample/spawn-sample.js';

/**
 * The repository explains itself: no tracked file sends a reader to notes the repository does not have, or
 * to the number of an issue in a tracker the reader cannot see. Facts about hotglue live in
 * docs/hotglue-reference.md with hotglue's public URLs; the why of a change lives in its commit.
 *
 * What counts, and what does not:
 * - An outside notes file: the planning notes' names, or a relative path up into a `shared` folder (the
 *   repository has no folder of that name).
 * - A tracker issue number: the word "issue" (or "issues") followed by a number, as in "issues 3 and 4" or
 *   "(issue" and a dotted number, or a bare `#18` standing alone.
 *   Not a number after letters or `&` (`PKCS#8`, `&#60;`), not a CSS colour (`#556`, in CSS and inline
 *   styles alike: three or six hex digits after `:` or in a stylesheet), and not a full URL: a link to
 *   another project's issue (`https://github.com/owner/repo/issues/123`) is public and may stay.
 * - Provenance tags of the notes in shipped code (`src/`), where JSDoc reaches users' editors: `[INF]`,
 *   `[3P]`, `[DOC]`, `[CODE]`, and "row 13"-style pointers into the notes' tables.
 * This file is the one exception: it spells out the patterns and their examples.
 */
const CHECKED = [
  'src',
  'test',
  'docs',
  'scripts',
  '.github',
  '.changeset',
  'README.md',
  'CHANGELOG.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
];

const SELF = 'test/docs/self-contained.spec.ts';

const tracked = execFileSync('git', ['ls-files', '--', ...CHECKED], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((path) => path !== '' && path !== SELF && !/\.(png|jpe?g|gif|ico|woff2?|pem|der)$/.test(path));

const OUTSIDE_FILE = /\b(?:hotglue-api|hotglue-widget|ENGINEERING)\.md\b|\/work\/shared\b|\.\.\/shared\b/;
const ISSUE_WORD = /\bissues? #?\d+(?:\.\d+)?\b|\bissues? \d+ and \d+\b/i;
/** `#18` standing alone; CSS colours (`color: #556`, `#3366ff`) are hex after `:` or in a stylesheet. */
const ISSUE_HASH = /(?<![\w&#/:-])#\d{1,4}\b(?![\w;-])/;
const PROVENANCE = /\[(?:INF|3P|DOC|CODE)\b|\brows? \d+(?:\s*[-–,]\s*\d+)*\b(?! of\b)/;

interface Hit {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

function hits(pattern: RegExp, files: readonly string[], skip?: (file: string, text: string) => boolean) {
  const found: Hit[] = [];
  for (const file of files) {
    const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (pattern.test(text) && !skip?.(file, text)) found.push({ file, line: index + 1, text: text.trim() });
    });
  }
  return found.map(({ file, line, text }) => `${file}:${line}: ${text}`);
}

const isStylesheet = (file: string) => file.endsWith('.css');

describe('the repository is self-contained', () => {
  it('lists the files it checks', () => {
    expect(tracked.length).toBeGreaterThan(100);
    expect(tracked).toContain('README.md');
    expect(tracked).toContain('CHANGELOG.md');
  });

  it('names no file outside the repository', () => {
    expect(hits(OUTSIDE_FILE, tracked)).toEqual([]);
  });

  it('cites no tracker issue number', () => {
    expect(hits(ISSUE_WORD, tracked)).toEqual([]);
    expect(hits(ISSUE_HASH, tracked, (file) => isStylesheet(file))).toEqual([]);
  });

  it('keeps provenance tags of the notes out of shipped code', () => {
    const shipped = tracked.filter((file) => file.startsWith('src/') && !file.includes('.spec.'));
    expect(hits(PROVENANCE, shipped)).toEqual([]);
  });

  it('catches what it is meant to, and lets through what it is not', () => {
    // Spelled in parts, so this file does not itself cite what it tests for (other tree checks read it).
    const md = '.md';
    const up = '..';
    for (const cited of [
      `see hotglue-api${md} §3`,
      `ENGINEERING${md}`,
      '/work/shared/x',
      `see ${up}/shared/notes${md}`,
      `(issue ${19.5})`,
    ]) {
      expect(OUTSIDE_FILE.test(cited) || ISSUE_WORD.test(cited), cited).toBe(true);
    }
    for (const cited of [`Issue ${11} benchmark`, 'issues 3 and 4'])
      expect(ISSUE_WORD.test(cited), cited).toBe(true);
    for (const cited of ['fixed in #18.', '(#7)', 'see #123'])
      expect(ISSUE_HASH.test(cited), cited).toBe(true);
    for (const cited of ['row 13 [INF]', 'rows 22-30', '[3P] shape'])
      expect(PROVENANCE.test(cited), cited).toBe(true);

    const fine = [
      'PKCS#8 PEM',
      'PKCS#1',
      '&#60;img',
      'color:#556',
      'color: #667;',
      "letterIcon('PG', '#336791')",
      'https://github.com/nestjs/nest/issues/1234',
      'RFC 7231 and HTTP 429',
      'issues.map((issue) => issue.path)',
      'the CHANGELOG lists each rename',
      "from '../internal/escape-control-characters.js'",
    ];
    for (const text of fine) {
      expect(OUTSIDE_FILE.test(text) || ISSUE_WORD.test(text) || ISSUE_HASH.test(text), text).toBe(false);
    }
  });
});

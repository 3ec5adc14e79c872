// `node scripts/check-commits.mjs <base> <head>`: every non-merge commit in base..head has a Conventional
// Commits subject (`type(scope): what`) of at most 72 characters, as CONTRIBUTING.md asks. CI runs it on
// pull requests; the why belongs in the body, which is not checked.
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export const TYPES = ['feat', 'fix', 'docs', 'refactor', 'test', 'chore', 'build', 'ci', 'perf', 'revert'];
export const MAX_SUBJECT = 72;
const SUBJECT = new RegExp(`^(?:${TYPES.join('|')})(?:\\([a-z0-9./-]+\\))?!?: \\S`);

/** What is wrong with a subject, or undefined when it follows the rule. */
export function subjectProblem(subject) {
  if (subject.length > MAX_SUBJECT) return `longer than ${MAX_SUBJECT} characters (${subject.length})`;
  if (!SUBJECT.test(subject)) return `not "type(scope): what" with a type of ${TYPES.join(', ')}`;
  return undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [base, head = 'HEAD'] = process.argv.slice(2);
  if (!base) {
    console.error('usage: node scripts/check-commits.mjs <base> [head]');
    process.exit(2);
  }
  const log = execFileSync('git', ['log', '--no-merges', '--format=%h %s', `${base}..${head}`], {
    encoding: 'utf8',
  });
  const bad = log
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => ({ line, problem: subjectProblem(line.slice(line.indexOf(' ') + 1)) }))
    .filter(({ problem }) => problem !== undefined);
  for (const { line, problem } of bad) console.error(`${line}\n  -> ${problem}`);
  if (bad.length > 0) process.exit(1);
  console.log('commit subjects: ok');
}

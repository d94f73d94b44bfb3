// The error rule of CONTRIBUTING.md#errors, checked on the source: below the HTTP edge a module reports its expected
// failures one way, returning `Result` or throwing `ApiError`, never both. A grep, not a type analysis: it reads what
// a module writes itself (its imports from lib/result, its `throw`s and `unwrap`s), which is where a second style
// creeps in. Faults are thrown everywhere, so `ApiError('generic')` (a 500 that names its fix) is not counted.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The edge (src/http, src/app.ts) turns Results into throws by design; the rule is about what lies below it.
const CHECKED = ['src/services', 'src/modes', 'src/tls', 'src/lib'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The functions declared to build an ApiError (`invalid(…)`, `emptyBody()` …): throwing one throws an ApiError. */
function errorBuilders(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    [...read(file).matchAll(/function (\w+)\([^)]*\): (?:ApiError|GraphCallError)\b/g)].map((match) => match[1]!),
  );
}

/** Imports ok, fail or the Result type: the module hands out Results (`unwrap` alone only consumes them). */
const RETURNS_RESULT = /import (?:type )?\{[^}]*\b(?:ok|fail|Result)\b[^}]*\} from '(?:\.\.?\/)+(?:lib\/)?result\.js'/;

function throwsExpectedFailure(builders: readonly string[]): RegExp {
  const built = builders.length > 0 ? `|(?:${builders.join('|')})\\(` : '';
  return new RegExp(
    `throw (?:new (?:ApiError|GraphCallError)\\((?!\\s*'generic')|\\w+\\.error\\b${built})|\\bunwrap\\(`,
  );
}

function classifyModules(): { result: string[]; throwing: string[]; both: string[] } {
  const files = CHECKED.flatMap(sourceFiles).filter((file) => file !== 'src/lib/result.ts');
  const throwing = throwsExpectedFailure(errorBuilders([...files, ...sourceFiles('src/http')]));
  const result = files.filter((file) => RETURNS_RESULT.test(read(file)));
  const thrown = files.filter((file) => throwing.test(read(file)));
  return { result, throwing: thrown, both: result.filter((file) => thrown.includes(file)) };
}

test('no module below the HTTP edge both returns Result and throws ApiError (CONTRIBUTING.md#errors)', () => {
  const { result, throwing, both } = classifyModules();
  // Guards the grep itself: were both lists empty, the check would pass without having read anything.
  assert.ok(
    result.length >= 10 && throwing.length >= 10,
    `the scan found only ${result.length} Result and ${throwing.length} throwing modules`,
  );
  assert.deepEqual(
    both,
    [],
    `these modules both return Result and throw ApiError; pick one way (CONTRIBUTING.md#errors): ${both.join(', ')}`,
  );
});

test('the scan tells the two ways apart on the modules the guide names', () => {
  const { result, throwing } = classifyModules();
  for (const file of [
    'src/services/settings-rules.ts',
    'src/services/users.ts',
    'src/services/profile.ts',
    'src/modes/cloud/cloud-profile.ts',
  ]) {
    assert.ok(result.includes(file), `${file} returns Result`);
  }
  for (const file of [
    'src/services/messages/sender.ts',
    'src/services/identities.ts',
    'src/services/media/media-service.ts',
    'src/modes/sandbox/inbound/fields.ts',
  ]) {
    assert.ok(throwing.includes(file), `${file} throws`);
  }
});

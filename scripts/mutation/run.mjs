#!/usr/bin/env node
// Mutation testing of the critical modules, run by hand (README.md#mutation-testing). For each module of
// modules.json: its tests must pass as they are; then each mutant of its files is written into a private copy of
// the tree and the module's test files run against it, one by one. A mutant is killed when a test fails or a file
// runs past three times its clean duration; it survives when they all pass. Survivors are printed as
// `file:line  original → mutated`.
//
//   node scripts/mutation/run.mjs [--module name[,name]] [--max n] [--jobs n] [--seed s] [--list | --survivors]
//
// --max: mutants per module, sampled with the seed when there are more (0: all; default 40).
// --jobs: mutants run at once, each in its own copy of the tree (default 2).
// --list: prints the mutants and runs nothing.
// --survivors: runs only the mutants that survived in the last report (scripts/mutation/report.json), to check
//   new tests quickly; it writes report-survivors.json, and its scores count only those mutants.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describe, loadConfig, planModule, selectModules, staleEquivalents } from './plan.mjs';
import { applyMutant } from './operators.mjs';
import { createWorkspace, runTestFiles, stopAllTests, withFileText } from './workspace.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..', '..');
// A test file's limit under a mutant: three times its clean duration, and never less than this (start-up alone
// takes a few seconds on a busy machine).
const MIN_TIMEOUT_MS = 8_000;

const { values } = parseArgs({
  options: {
    module: { type: 'string', default: '' },
    max: { type: 'string', default: '40' },
    jobs: { type: 'string', default: '2' },
    seed: { type: 'string', default: 'openprem' },
    list: { type: 'boolean', default: false },
    survivors: { type: 'boolean', default: false },
  },
});

const config = loadConfig(path.join(here, 'modules.json'));
const modules = selectModules(config, root, values.module.split(',').filter(Boolean));
const options = { max: Number(values.max), seed: values.seed };
const plans = modules.map((module) => ({ module, ...planModule(module, root, config.equivalent, options) }));
if (values.survivors) keepLastSurvivors(plans, JSON.parse(readFileSync(path.join(here, 'report.json'), 'utf8')));
for (const entry of staleEquivalents(config.equivalent, modules)) {
  console.warn(
    `warning: the equivalent entry for ${entry.file} "${entry.line}" → "${entry.mutated}" matches no mutant`,
  );
}

if (values.list) {
  for (const plan of plans) printList(plan);
} else {
  await runAll(plans, Number(values.jobs));
}

/** Narrows each plan to the mutants that survived in `last`, run on the same code (same file, line and text). */
function keepLastSurvivors(plans, last) {
  for (const plan of plans) {
    const survivors = last.modules.find((result) => result.name === plan.module.name)?.survivors ?? [];
    const survived = (mutant) =>
      survivors.some(
        (s) =>
          s.file === mutant.file &&
          s.line === mutant.line &&
          s.original === mutant.lineText &&
          s.mutated === mutant.mutatedLine,
      );
    const equivalent = new Set(plan.equivalent.map((mutant) => mutant.id));
    plan.sampled = plan.all.filter((mutant) => survived(mutant) && !equivalent.has(mutant.id));
  }
}

function printList({ module, all, equivalent, sampled }) {
  console.log(`\n## ${module.name}: ${all.length} mutants, ${equivalent.length} equivalent, ${sampled.length} to run`);
  for (const mutant of sampled) console.log(`  ${describe(mutant)}`);
  for (const mutant of equivalent) console.log(`  (equivalent) ${describe(mutant)}  — ${mutant.reason}`);
}

async function runAll(plans, jobs) {
  const before = fingerprint(plans);
  const workspaces = Array.from({ length: jobs }, (_, index) => createWorkspace(root, index));
  process.once('SIGINT', () => {
    stopAllTests();
    setTimeout(() => {
      for (const workspace of workspaces) workspace.remove();
      process.exit(130);
    }, 500);
  });
  const started = Date.now();
  const results = [];
  try {
    for (const plan of plans) results.push(await runModule(plan, workspaces));
  } finally {
    for (const workspace of workspaces) workspace.remove();
  }
  if (fingerprint(plans) !== before) throw new Error('a module file of the working tree changed during the run');
  report(results, Math.round((Date.now() - started) / 1000));
}

async function runModule({ module, all, equivalent, sampled }, workspaces) {
  const started = Date.now();
  const clean = await runTestFiles(workspaces[0], module);
  if (clean.outcome !== 'passed') throw new Error(`module "${module.name}": ${clean.file} fails without any mutant`);
  // The fastest files first: most mutants are killed by one of them, and a killed mutant stops the run.
  const timed = { ...module, tests: [...module.tests].sort((a, b) => clean.ms[a] - clean.ms[b]) };
  const timeoutsMs = Object.fromEntries(
    module.tests.map((file) => [file, Math.max(MIN_TIMEOUT_MS, 3 * clean.ms[file])]),
  );
  const cleanSeconds = Object.values(clean.ms).reduce((sum, ms) => sum + ms, 0) / 1000;
  console.log(
    `\n## ${module.name}: ${sampled.length} mutants of ${all.length}; clean run ${cleanSeconds.toFixed(1)} s`,
  );
  const outcomes = new Map();
  const queue = [...sampled];
  const worker = async (workspace) => {
    for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
      const original = readFileSync(path.join(workspace.dir, mutant.file), 'utf8');
      const { outcome } = await withFileText(workspace, mutant.file, applyMutant(original, mutant), () =>
        runTestFiles(workspace, timed, timeoutsMs),
      );
      outcomes.set(mutant, outcome);
      const label = { passed: 'SURVIVED', failed: 'killed', timeout: 'killed (timeout)' }[outcome];
      console.log(`  [${outcomes.size}/${sampled.length}] ${label.padEnd(16)} ${describe(mutant)}`);
    }
  };
  await Promise.all(workspaces.map(worker));
  const survivors = sampled.filter((mutant) => outcomes.get(mutant) === 'passed');
  const timeouts = sampled.filter((mutant) => outcomes.get(mutant) === 'timeout').length;
  return {
    name: module.name,
    dialect: module.dialect,
    tests: module.tests,
    generated: all.length,
    equivalent: equivalent.length,
    run: sampled.length,
    killed: sampled.length - survivors.length,
    timeouts,
    score: score(sampled.length - survivors.length, sampled.length),
    seconds: Math.round((Date.now() - started) / 1000),
    survivors: survivors.map(({ file, line, op, lineText, mutatedLine }) => ({
      file,
      line,
      op,
      original: lineText,
      mutated: mutatedLine,
    })),
  };
}

function score(killed, run) {
  return run === 0 ? 100 : Math.round((1000 * killed) / run) / 10;
}

function report(results, seconds) {
  console.log('\n## Survivors');
  for (const result of results)
    for (const s of result.survivors) console.log(`  ${s.file}:${s.line}  ${s.original}  →  ${s.mutated}`);
  console.log('\n## Scores');
  for (const r of results)
    console.log(
      `  ${r.name.padEnd(12)} ${String(r.score).padStart(5)} %  ${r.killed}/${r.run} killed (${r.timeouts} by timeout), ${r.equivalent} equivalent, ${r.seconds} s`,
    );
  const killed = results.reduce((sum, r) => sum + r.killed, 0);
  const run = results.reduce((sum, r) => sum + r.run, 0);
  const total = { killed, run, score: score(killed, run), seconds };
  console.log(`  ${'total'.padEnd(12)} ${String(total.score).padStart(5)} %  ${killed}/${run} killed, ${seconds} s`);
  const command = `node scripts/mutation/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const file = path.join(here, values.survivors ? 'report-survivors.json' : 'report.json');
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), command, total, modules: results }, null, 2)}\n`,
  );
  console.log(`\nreport: ${path.relative(root, file)}`);
}

/** A hash of the module files in the working tree: the run must leave them as it found them. */
function fingerprint(plans) {
  const hash = createHash('sha256');
  for (const { module } of plans) for (const file of module.files) hash.update(readFileSync(path.join(root, file)));
  return hash.digest('hex');
}

// What a run will do: the modules of the configuration, checked against the tree, and for each the mutants of its
// files less the known equivalents, sampled down to `max` with a seed so that two runs pick the same ones.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { mutantsOf } from './operators.mjs';

export function loadConfig(configPath) {
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  for (const module of config.modules) module.dialect ??= 'sqlite';
  config.equivalent ??= [];
  return config;
}

/** The modules named in `only` (all when empty); a name, file or test that does not exist is an error naming it. */
export function selectModules(config, root, only) {
  const unknown = only.filter((name) => !config.modules.some((module) => module.name === name));
  if (unknown.length > 0) throw new Error(`no module named ${unknown.join(', ')} in modules.json`);
  const chosen = only.length === 0 ? config.modules : config.modules.filter((module) => only.includes(module.name));
  for (const module of chosen) {
    for (const key of ['files', 'tests']) {
      const missing = module[key].filter((file) => !existsSync(path.join(root, file)));
      if (missing.length > 0)
        throw new Error(`modules.json: module "${module.name}", ${key}: ${missing.join(', ')} does not exist`);
    }
  }
  return chosen;
}

/** The module's mutants: `all` in source order, `equivalent` ones with their reason, and the `sampled` ones to run. */
export function planModule(module, root, equivalents, { max, seed }) {
  const all = module.files.flatMap((file) => mutantsOf(file, readFileSync(path.join(root, file), 'utf8')));
  const equivalent = [];
  const candidates = [];
  for (const mutant of all) {
    const known = equivalents.find((entry) => matches(entry, mutant));
    if (known) {
      known.used = true;
      equivalent.push({ ...mutant, reason: known.reason });
    } else candidates.push(mutant);
  }
  const sampled = max > 0 && candidates.length > max ? sample(candidates, max, seed) : candidates;
  return { all, equivalent, sampled };
}

/** An entry names a mutant by its file, a piece of its line's text, and a piece of the mutated line's (empty: all). */
function matches(entry, mutant) {
  return (
    entry.file === mutant.file && mutant.lineText.includes(entry.line) && mutant.mutatedLine.includes(entry.mutated)
  );
}

/** `count` mutants chosen by the hash of their id and the seed, kept in source order. */
function sample(mutants, count, seed) {
  const rank = (mutant) => createHash('sha256').update(`${seed}|${mutant.id}`).digest('hex');
  const chosen = new Set([...mutants].sort((a, b) => rank(a).localeCompare(rank(b))).slice(0, count));
  return mutants.filter((mutant) => chosen.has(mutant));
}

/** Entries of the allow-list that matched no mutant: the code they named has changed, and they should go. */
export function staleEquivalents(equivalents, modules) {
  const files = new Set(modules.flatMap((module) => module.files));
  return equivalents.filter((entry) => files.has(entry.file) && !entry.used);
}

export function describe(mutant) {
  return `${mutant.file}:${mutant.line}  ${mutant.lineText}  →  ${mutant.mutatedLine}`;
}

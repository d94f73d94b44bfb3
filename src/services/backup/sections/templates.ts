// The sandbox's template registry, row for row (components as the stored JSON text). Backed up whatever the
// gateway, since the table exists on every installation.
import type { Db } from '../../../db/database.js';
import {
  createSandboxTemplatesRepository,
  type SandboxTemplateRow,
} from '../../../db/repositories/sandbox-templates.js';
import {
  componentsProblem,
  TEMPLATE_CATEGORIES,
  TEMPLATE_STATUSES,
  type TemplateComponents,
} from '../../template-rules.js';
import { isPlainObject, isTimestamp, type BackupSection } from '../section.js';

// The bounds of /sandbox/templates (src/http/routes/sandbox/template-schema.ts).
const NAMESPACE = /^[A-Za-z0-9_-]{1,128}$/;
const NAME = /^[a-z0-9_]{1,512}$/;
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
const MAX_TEMPLATES = 100_000;

export function templatesSection(registry: { forgetCached(): void } | null): BackupSection<SandboxTemplateRow[]> {
  return {
    name: 'templates',
    export: async (db: Db) => (await createSandboxTemplatesRepository(db).list({})).map(toRow),
    check: templatesProblem,
    import: (trx, templates) => createSandboxTemplatesRepository(trx).replaceAll(templates.map(toRow)),
    afterRestore: () => registry?.forgetCached(),
  };
}

function toRow(row: SandboxTemplateRow): SandboxTemplateRow {
  return {
    namespace: row.namespace,
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    components: row.components,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}

function templatesProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length > MAX_TEMPLATES)
    return `must be a list of at most ${MAX_TEMPLATES} templates`;
  const seen = new Set<string>();
  for (const [index, template] of value.entries()) {
    const problem = templateProblem(template);
    if (problem) return `[${index}] ${problem}`;
    const { namespace, name, language } = template as SandboxTemplateRow;
    const key = `${namespace}/${name}/${language}`;
    if (seen.has(key)) return `[${index}] repeats the template ${key}`;
    seen.add(key);
  }
  return null;
}

function templateProblem(row: unknown): string | null {
  if (!isPlainObject(row)) return 'is not a template';
  const { namespace, name, language } = row;
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace) || typeof name !== 'string' || !NAME.test(name))
    return 'has no valid namespace and name';
  if (typeof language !== 'string' || !LANGUAGE.test(language)) return `(${name}) has no valid language`;
  if (!(TEMPLATE_CATEGORIES as readonly unknown[]).includes(row.category)) return `(${name}) has no valid category`;
  if (!(TEMPLATE_STATUSES as readonly unknown[]).includes(row.status)) return `(${name}) has no valid status`;
  if (!isTimestamp(row.created_at) || !isTimestamp(row.updated_at)) return `(${name}) has no valid times`;
  return typeof row.components === 'string'
    ? componentsTextProblem(row.components, name)
    : `(${name}) has no components`;
}

function componentsTextProblem(text: string, name: string): string | null {
  try {
    const components = JSON.parse(text) as TemplateComponents;
    if (!isPlainObject(components) || !isPlainObject(components.body) || typeof components.body.text !== 'string')
      return `(${name}) has no body text`;
    const problem = componentsProblem(components);
    return problem ? `(${name}) ${problem}` : null;
  } catch {
    // componentsProblem reads a shape the route's schema vouched for; a shape it cannot read is not a template.
    return `(${name}) has components that are not a template's`;
  }
}

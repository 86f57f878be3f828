import { z } from 'zod';
import { english, hasText, type Text } from '../i18n/i18n.ts';
import { errorText } from '../shared/errors.ts';

/*
 * Reads an OSCAL 1.x catalog (JSON) into flat requirement rows: groups nested to any depth, controls and their
 * enhancements, statements assembled from nested parts with parameters shown by their labels, withdrawn status.
 * Only the fields Praxis uses are validated; everything else in the model is accepted and ignored.
 */

const prop = z.object({ name: z.string(), value: z.string(), class: z.string().optional() });
type Part = {
  id?: string | undefined;
  name: string;
  prose?: string | undefined;
  props?: z.infer<typeof prop>[] | undefined;
  parts?: Part[] | undefined;
};
const part: z.ZodType<Part> = z.lazy(() =>
  z.object({
    id: z.string().optional(),
    name: z.string(),
    prose: z.string().optional(),
    props: z.array(prop).optional(),
    parts: z.array(part).optional(),
  }),
);
const param = z.object({
  id: z.string(),
  label: z.string().optional(),
  /** values set by a profile (resolved catalogs): shown instead of the assignment */
  values: z.array(z.string()).optional(),
  select: z.object({ 'how-many': z.string().optional(), choice: z.array(z.string()).optional() }).optional(),
});
type Control = {
  id: string;
  title: string;
  props?: z.infer<typeof prop>[] | undefined;
  parts?: Part[] | undefined;
  params?: z.infer<typeof param>[] | undefined;
  controls?: Control[] | undefined;
};
const control: z.ZodType<Control> = z.lazy(() =>
  z.object({
    id: z.string().min(1),
    title: z.string(),
    props: z.array(prop).optional(),
    parts: z.array(part).optional(),
    params: z.array(param).optional(),
    controls: z.array(control).optional(),
  }),
);
type Group = {
  id?: string | undefined;
  title: string;
  props?: z.infer<typeof prop>[] | undefined;
  parts?: Part[] | undefined;
  groups?: Group[] | undefined;
  controls?: Control[] | undefined;
};
const group: z.ZodType<Group> = z.lazy(() =>
  z.object({
    id: z.string().optional(),
    title: z.string(),
    props: z.array(prop).optional(),
    parts: z.array(part).optional(),
    groups: z.array(group).optional(),
    controls: z.array(control).optional(),
  }),
);

export const oscalCatalogDocument = z.object({
  catalog: z.object({
    uuid: z.string(),
    metadata: z.object({
      title: z.string(),
      version: z.string(),
      published: z.string().optional(),
    }),
    groups: z.array(group).optional(),
    controls: z.array(control).optional(),
  }),
});

export interface RequirementRow {
  identifier: string;
  parentIdentifier: string | null;
  kind: 'group' | 'control';
  label: string;
  title: string;
  statement: string;
  guidance: string | null;
  withdrawn: boolean;
  depth: number;
  sortOrder: number;
  params: string | null;
}

export interface ParsedCatalog {
  uuid: string;
  title: string;
  version: string;
  published: string | null;
  requirements: RequirementRow[];
  summary: { groups: number; controls: number; enhancements: number; withdrawn: number };
}

/**
 * A problem of an OSCAL document: the JSON path of the field (`catalog.groups.0.controls.3.id`) and what is wrong with it
 * as a text of the `errors` catalog (`errors:catalog.oscal.*`, the path as `field`), so that each reader gets it in their
 * language; the message is its English form (logs).
 */
export class OscalError extends Error {
  readonly path: string;
  readonly text: Text;
  constructor(path: string, text: Text) {
    super(english(text));
    this.path = path;
    this.text = text;
  }
}

/** What a field belongs to (`catalog.groups.0.controls.3.id` → control), for the sentence that says what it needs. */
const ownerOf: Record<string, string> = {
  catalog: 'catalog',
  metadata: 'metadata',
  groups: 'group',
  controls: 'control',
  parts: 'part',
  params: 'param',
  props: 'prop',
};

/** A zod issue of the document as a text of the `errors` catalog naming the field, never the validator's English. */
function issueText(issue: z.core.$ZodIssue, path: string): Text {
  const segments = issue.path.map(String);
  if (path === 'catalog' && issue.code === 'invalid_type') return errorText('catalog.oscal.noCatalog');
  if (issue.code === 'invalid_type' && /received undefined/i.test(issue.message)) {
    const name = segments.at(-1) ?? '';
    const owner =
      ownerOf[
        segments
          .slice(0, -1)
          .reverse()
          .find((s) => !/^\d+$/.test(s)) ?? ''
      ];
    const needs = `catalog.oscal.needs.${owner}.${name}`;
    return owner && hasText(`errors:${needs}`) ? errorText(needs, { field: path }) : errorText('catalog.oscal.required', { field: path });
  }
  if (issue.code === 'invalid_type') {
    const expected = hasText(`validation:type.${issue.expected}`) ? issue.expected : 'other';
    return errorText('catalog.oscal.invalidType', { field: path, expected });
  }
  return errorText('catalog.oscal.invalid', { field: path });
}

/** The label to show: the plain `label` prop (NIST also ships zero-padded and assessment variants with a class). */
function labelOf(props: z.infer<typeof prop>[] | undefined, fallback: string): string {
  const labels = (props ?? []).filter((p) => p.name === 'label');
  return (labels.find((p) => !p.class) ?? labels[0])?.value ?? fallback;
}

function isWithdrawn(props: z.infer<typeof prop>[] | undefined): boolean {
  return (props ?? []).some((p) => p.name === 'status' && /withdrawn/i.test(p.value));
}

function paramText(params: Map<string, z.infer<typeof param>>, id: string): string {
  const p = params.get(id);
  if (!p) return `[${id}]`;
  if (p.values?.length) return p.values.join(', ');
  if (p.label) return `[Assignment: ${p.label}]`;
  if (p.select?.choice?.length)
    return `[Selection${p.select['how-many'] ? ` (${p.select['how-many']})` : ''}: ${p.select.choice.join('; ')}]`;
  return `[${id}]`;
}

function prose(parts: Part[] | undefined, params: Map<string, z.infer<typeof param>>, depth = 0): string {
  const lines: string[] = [];
  for (const p of parts ?? []) {
    const label = labelOf(p.props, '');
    const text = (p.prose ?? '').replace(/\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}/g, (_m, id: string) => paramText(params, id)).trim();
    if (text || label) lines.push(`${'  '.repeat(depth)}${label ? `${label} ` : ''}${text}`.trimEnd());
    // a part without text of its own (e.g. a statement that only holds items) does not indent its items
    const nested = prose(p.parts, params, text || label ? depth + 1 : depth);
    if (nested) lines.push(nested);
  }
  return lines.join('\n');
}

/** Parses and flattens a catalog. Throws OscalError naming the JSON path of the first problem. */
export function parseOscalCatalog(document: unknown): ParsedCatalog {
  const result = oscalCatalogDocument.safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.join('.') || '(document)';
    throw new OscalError(path, issueText(issue, path));
  }
  const { catalog } = result.data;
  const rows: RequirementRow[] = [];
  const seen = new Set<string>();
  const summary = { groups: 0, controls: 0, enhancements: 0, withdrawn: 0 };

  const addControl = (c: Control, parent: string | null, depth: number, path: string, isEnhancement: boolean) => {
    if (seen.has(c.id)) throw new OscalError(`${path}.id`, errorText('catalog.oscal.twiceControl', { field: `${path}.id`, id: c.id }));
    seen.add(c.id);
    const params = new Map((c.params ?? []).map((p) => [p.id, p]));
    const withdrawn = isWithdrawn(c.props);
    rows.push({
      identifier: c.id,
      parentIdentifier: parent,
      kind: 'control',
      label: labelOf(c.props, c.id.toUpperCase()),
      title: c.title,
      statement: prose(
        (c.parts ?? []).filter((p) => p.name === 'statement'),
        params,
      ),
      guidance:
        prose(
          (c.parts ?? []).filter((p) => p.name === 'guidance'),
          params,
        ) || null,
      withdrawn,
      depth,
      sortOrder: rows.length,
      params: c.params?.length ? JSON.stringify(c.params) : null,
    });
    summary.controls += 1;
    if (isEnhancement) summary.enhancements += 1;
    if (withdrawn) summary.withdrawn += 1;
    (c.controls ?? []).forEach((child, i) => {
      addControl(child, c.id, depth + 1, `${path}.controls.${i}`, true);
    });
  };

  const addGroup = (g: Group, parent: string | null, depth: number, path: string) => {
    const identifier = g.id ?? `group-${summary.groups + 1}`;
    if (seen.has(identifier))
      throw new OscalError(`${path}.id`, errorText('catalog.oscal.twiceGroup', { field: `${path}.id`, id: identifier }));
    seen.add(identifier);
    rows.push({
      identifier,
      parentIdentifier: parent,
      kind: 'group',
      label: labelOf(g.props, g.id?.toUpperCase() ?? ''),
      title: g.title,
      statement: prose(g.parts, new Map()),
      guidance: null,
      withdrawn: false,
      depth,
      sortOrder: rows.length,
      params: null,
    });
    summary.groups += 1;
    (g.groups ?? []).forEach((child, i) => {
      addGroup(child, identifier, depth + 1, `${path}.groups.${i}`);
    });
    (g.controls ?? []).forEach((c, i) => {
      addControl(c, identifier, depth + 1, `${path}.controls.${i}`, false);
    });
  };

  (catalog.groups ?? []).forEach((g, i) => {
    addGroup(g, null, 0, `catalog.groups.${i}`);
  });
  (catalog.controls ?? []).forEach((c, i) => {
    addControl(c, null, 0, `catalog.controls.${i}`, false);
  });
  if (summary.controls === 0) throw new OscalError('catalog', errorText('catalog.oscal.noControls', { field: 'catalog' }));
  return {
    uuid: catalog.uuid,
    title: catalog.metadata.title,
    version: catalog.metadata.version,
    published: catalog.metadata.published ?? null,
    requirements: rows,
    summary,
  };
}

/** A stable key for a catalog from its title and version, e.g. "nist-special-publication-800-53-revision-5-1-1-moderate-impact-baseline-5-1-1-u4". */
export function catalogKey(title: string, version: string): string {
  return `${title} ${version}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120);
}

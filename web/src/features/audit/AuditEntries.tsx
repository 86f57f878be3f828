import { Anchor, Badge, Box, Card, Collapse, EmptyState, Group, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconChevronRight, IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListError, ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { actionColors, actionLabel, fieldLabels, formatDate, formatDateTime, recordTypeLabel, valueLabel } from '../../app/labels.ts';
import { canRole, useMembers, useScopes } from '../../app/session.ts';
import type { AuditEntry, ProcessMap } from '../../app/types.ts';
import { Ref, TableSkeleton } from '../../app/ui.tsx';
import i18n from '../../i18n/index.ts';

/** Names for the ids an audit entry may carry: users and processes. */
export function useAuditNames(scopeId: string) {
  const scopes = useScopes();
  const role = scopes.data?.find((s) => s.id === scopeId)?.role;
  const members = useMembers(scopeId, canRole(role, 'member:read'));
  const processes = useQuery({
    queryKey: ['processes', scopeId],
    queryFn: () => api.get<ProcessMap>(`/api/scopes/${scopeId}/processes`),
    enabled: canRole(role, 'process:read'),
  });
  const names = new Map<string, string>();
  for (const m of members.data ?? []) names.set(m.userId, m.name);
  for (const p of processes.data?.processes ?? []) names.set(p.key, p.name);
  return names;
}

const idFields = new Set(['ownerId', 'assigneeId', 'userId', 'actorId', 'processKey']);
/** a person or process named by id: `ownerId`, `owner_id`, `published_by`, `approvedBy` */
const isIdField = (field: string) => idFields.has(field) || /(Id|_id|By|_by)$/.test(field);

/** Where the labels of a record's codes are: `<recordType>.<field>` → the catalog prefix of its values. */
const codeLabelPrefixes: Record<string, string> = {
  'document.status': 'policies:documentStatus',
  'document_version.status': 'policies:versionStatus',
  'incident.status': 'incidents:status',
  'incident.severity': 'incidents:severity',
  'incident.category': 'incidents:category',
  'change_request.status': 'changes:status',
  'change_request.source': 'changes:source',
  'nonconformity.status': 'improvement:status',
  'nonconformity.severity': 'improvement:severity',
  'nonconformity.source': 'improvement:source',
  'improvement_opportunity.status': 'improvement:opportunityStatus',
  'risk.status': 'risks:status',
  'risk_treatment.status': 'risks:treatmentStatus',
  'control.status': 'controls:status',
  'soa.status': 'soa:status',
  'internal_audit.status': 'audits:status',
  'management_review.status': 'reviews:status',
  'measure.status': 'measures:status',
  'task.status': 'common:status',
};

/** `published_at` → `publishedAt`: audit entries of some records name their columns. */
const camel = (field: string) => field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A field's name in words: its label when there is one, else "Published at" from `published_at`, "Author" from `author_id`. */
export function fieldWords(field: string): string {
  const name = camel(field);
  const label = fieldLabels[name];
  if (label) return label;
  const words = name
    .replace(/Ids?$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/** A value as words: a person's or process's name, a date in the reader's language, a code's label, never the code. */
function show(recordType: string, field: string, v: unknown, names: Map<string, string>): { text: string; empty: boolean } {
  if (v === undefined || v === null) return { text: '—', empty: true };
  if (typeof v === 'string') {
    if (v === '') return { text: i18n.t('audit:value.empty'), empty: true };
    if (isIdField(field) && names.has(v)) return { text: names.get(v)!, empty: false };
    if (isIdField(field) && idFields.has(field)) return { text: v, empty: false };
    if (isoInstant.test(v)) return { text: formatDateTime(v), empty: false };
    if (isoDay.test(v)) return { text: formatDate(v), empty: false };
    const prefix = codeLabelPrefixes[`${recordType}.${camel(field)}`];
    if (prefix && i18n.exists(`${prefix}.${v}`)) return { text: i18n.t(`${prefix}.${v}`), empty: false };
    const label = valueLabel(field, v);
    // a code no catalog words (`in_review`) is shown in words rather than as the code
    return { text: label === v && /^[a-z]+(_[a-z]+)+$/.test(v) ? v.replaceAll('_', ' ') : label, empty: false };
  }
  if (typeof v === 'boolean') return { text: v ? i18n.t('audit:value.yes') : i18n.t('audit:value.no'), empty: false };
  if (Array.isArray(v))
    return v.length
      ? { text: v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', '), empty: false }
      : { text: i18n.t('audit:value.none'), empty: true };
  return { text: JSON.stringify(v), empty: false };
}

function recordLink(e: AuditEntry, scopeId: string | null, names: Map<string, string>) {
  const raw = e.recordRef ?? e.recordId;
  const label = names.get(raw) ?? e.recordRef ?? e.recordId.slice(0, 8);
  if (e.recordType === 'asset' && e.action !== 'delete' && scopeId) {
    return (
      <Anchor component={Link} to={`/s/${scopeId}/assets/${e.recordId}`} size="sm" ff="monospace" onClick={(ev) => ev.stopPropagation()}>
        {label}
      </Anchor>
    );
  }
  return <Ref>{label}</Ref>;
}

function Entry({
  e,
  showRecord,
  names,
  expanded,
  onToggle,
}: {
  e: AuditEntry;
  showRecord: boolean;
  names: Map<string, string>;
  expanded: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation('audit');
  const changes = Object.entries(e.changes);
  const creating = changes.every(([, c]) => !('from' in c));
  return (
    <Box data-testid="audit-entry" data-action={e.action} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      <UnstyledButton
        component="div"
        role="button"
        tabIndex={changes.length ? 0 : -1}
        onClick={() => changes.length && onToggle()}
        onKeyDown={(ev: React.KeyboardEvent) => {
          if ((ev.key === 'Enter' || ev.key === ' ') && changes.length) {
            ev.preventDefault();
            onToggle();
          }
        }}
        w="100%"
        px="md"
        py="sm"
        aria-expanded={expanded}
        style={{ cursor: changes.length ? 'pointer' : 'default' }}
        data-testid="audit-entry-toggle"
      >
        <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
          <Group gap="xs" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
            <IconChevronRight
              size={16}
              style={{
                marginTop: 3,
                transform: expanded ? 'rotate(90deg)' : undefined,
                transition: 'transform 150ms',
                opacity: changes.length ? 1 : 0,
                flexShrink: 0,
              }}
            />
            <Badge color={actionColors[e.action] ?? 'gray'} variant="light" miw={84} mt={1}>
              {actionLabel(e.action)}
            </Badge>
            <div style={{ minWidth: 0 }}>
              {showRecord && (
                <Group gap={6} wrap="wrap" style={{ rowGap: 0 }}>
                  <Text size="sm" fw={500}>
                    {recordTypeLabel(e.recordType)}
                  </Text>
                  {recordLink(e, e.scopeId, names)}
                </Group>
              )}
              <Text size={showRecord ? 'xs' : 'sm'} c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {t('entry.by', { name: e.actor.label })}
                {changes.length > 0 && ` · ${t('entry.fields', { count: changes.length })}`}
              </Text>
              <Text size="xs" c="dimmed" hiddenFrom="sm">
                {formatDateTime(e.at)}
              </Text>
            </div>
          </Group>
          <Tooltip label={t('entry.hash', { seq: e.seq, hash: e.hash })}>
            <Text size="xs" c="dimmed" ta="right" style={{ whiteSpace: 'nowrap' }} mt={2} visibleFrom="sm">
              {formatDateTime(e.at)}
            </Text>
          </Tooltip>
        </Group>
      </UnstyledButton>
      <Collapse expanded={expanded}>
        <Box px="md" pb="sm" pl={{ base: 'md', sm: 44 }}>
          <Table.ScrollContainer minWidth={480}>
            <Table fz="sm" verticalSpacing={6} withTableBorder data-testid="audit-changes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={170}>{t('entry.field')}</Table.Th>
                  {!creating && <Table.Th>{t('entry.before')}</Table.Th>}
                  <Table.Th>{creating ? t('entry.value') : t('entry.after')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {changes.map(([field, c]) => {
                  const from = show(e.recordType, field, c.from, names);
                  const to = show(e.recordType, field, c.to, names);
                  return (
                    <Table.Tr key={field}>
                      <Table.Td c="dimmed">{fieldWords(field)}</Table.Td>
                      {!creating && (
                        <Table.Td
                          style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
                          c={from.empty ? 'dimmed' : 'red.8'}
                          td={from.empty ? undefined : 'line-through'}
                        >
                          {from.text}
                        </Table.Td>
                      )}
                      <Table.Td style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} c={to.empty ? 'dimmed' : 'teal.9'}>
                        {to.text}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed" mt={4} ff="monospace" truncate>
            #{e.seq} · {e.hash}
          </Text>
        </Box>
      </Collapse>
    </Box>
  );
}

/** Audit entries, each expandable to its changed fields as a before → after table. */
export function AuditEntryList({
  entries,
  scopeId,
  showRecord = false,
  expandAll = false,
}: {
  entries: AuditEntry[];
  scopeId: string;
  showRecord?: boolean;
  expandAll?: boolean;
}) {
  const names = useAuditNames(scopeId);
  const [toggled, setToggled] = useState<Set<string>>(new Set());
  return (
    <Box data-testid="audit-entries">
      {entries.map((e) => {
        const expanded = expandAll !== toggled.has(e.id);
        return (
          <Entry
            key={e.id}
            e={e}
            showRecord={showRecord}
            names={names}
            expanded={expanded && Object.keys(e.changes).length > 0}
            onToggle={() =>
              setToggled((prev) => {
                const next = new Set(prev);
                if (next.has(e.id)) next.delete(e.id);
                else next.add(e.id);
                return next;
              })
            }
          />
        );
      })}
    </Box>
  );
}

const TRAIL_PAGE = 50;

/** The audit trail of one record, newest first, expanded. */
export function RecordAuditTrail({ scopeId, recordType, recordId }: { scopeId: string; recordType: string; recordId: string }) {
  const { t } = useTranslation('audit');
  const [page, setPage] = useState(1);
  const audit = useQuery({
    queryKey: ['audit', scopeId, { recordType, recordId, page }],
    queryFn: () => api.get<Page<AuditEntry>>(`/api/scopes/${scopeId}/audit`, { recordType, recordId, page, pageSize: TRAIL_PAGE }),
    placeholderData: (p) => p,
  });
  return (
    <Card withBorder radius="md" p={0}>
      {audit.error ? (
        <ListError error={audit.error} />
      ) : audit.isPending ? (
        <TableSkeleton rows={3} />
      ) : audit.data.total === 0 ? (
        <EmptyState
          py={40}
          icon={<IconHistory size={28} />}
          withIndicatorBackground
          title={t('trail.empty')}
          description={t('trail.emptyHint')}
        />
      ) : (
        <>
          <Text size="sm" c="dimmed" px="md" pt="sm" pb="xs">
            {t('trail.count', { count: audit.data.total })}
          </Text>
          <AuditEntryList entries={audit.data.items} scopeId={scopeId} expandAll />
          <ListPager total={audit.data.total} of={audit.data} page={page} pageSize={TRAIL_PAGE} onPage={setPage} />
        </>
      )}
    </Card>
  );
}

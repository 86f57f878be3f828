import { Anchor, Badge, Box, Card, Collapse, EmptyState, Group, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconChevronRight, IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListError, ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { actionColors, actionLabel, fieldLabel, formatDate, formatDateTime, recordTypeLabel, valueLabel } from '../../app/labels.ts';
import { canRole, useCan, useMembers, useScopes } from '../../app/session.ts';
import type { Permission } from '../../../../server/src/auth/roles.ts';
import type { AuditEntry, ProcessMap } from '../../app/types.ts';
import { Ref, TableSkeleton } from '../../app/ui.tsx';
import i18n, { formatNumber, languageName } from '../../i18n/index.ts';
import { toFriendly } from '../../../../server/src/cadences/cadence.rules.ts';
import { describeCadence } from '../cadences/cadence-words.ts';
import type { RiskMethod } from '../risks/risk-types.ts';
import { type AuditWords, fieldWords, recordRefWords, type Shown, showAuditValue, withRecords } from './audit-words.ts';

/** Names for the ids an audit entry may carry: users and processes, and the labels of the scope's risk levels. */
export function useAuditNames(scopeId: string, withLevels = false): Pick<AuditWords, 'names' | 'levels'> {
  const scopes = useScopes();
  const role = scopes.data?.find((s) => s.id === scopeId)?.role;
  const members = useMembers(scopeId, canRole(role, 'member:read'));
  const processes = useQuery({
    queryKey: ['processes', scopeId],
    queryFn: () => api.get<ProcessMap>(`/api/scopes/${scopeId}/processes`),
    enabled: canRole(role, 'process:read'),
  });
  const method = useQuery({
    queryKey: ['risk-method', scopeId],
    queryFn: () => api.get<RiskMethod>(`/api/scopes/${scopeId}/risk-method`),
    enabled: withLevels && canRole(role, 'risk:read'),
  });
  const names = new Map<string, string>();
  for (const m of members.data ?? []) names.set(m.userId, m.name);
  for (const p of processes.data?.processes ?? []) names.set(p.key, p.name);
  const levels = new Map((method.data?.levels ?? []).map((l) => [l.key, l.label]));
  return { names, levels };
}

/** Record types whose entries carry levels of the risk method. */
const withRiskLevels = new Set(['risk', 'risk_method', 'risk_acceptance']);

/** The words of an entry's values in the current language, with the names of the scope. */
function wordsIn(names: Pick<AuditWords, 'names' | 'levels'>): AuditWords {
  return {
    ...names,
    t: (key, params) => i18n.t(key, params ?? {}),
    exists: (key) => i18n.exists(key),
    fieldLabel,
    recordTypeLabel,
    valueLabel,
    formatDate,
    formatDateTime,
    formatNumber: (n) => formatNumber(n),
    languageName,
    recurrence: (rrule) => describeCadence(i18n.getFixedT(null, 'cadences'), { rule: toFriendly(rrule), rrule, mode: 'fixed' }),
  };
}

/**
 * The detail page of each kind of record that has one, and the permission that opens it (`page`: a page that shows every
 * record of the kind, without the record's id: the cockpit's cycles, the training page's competences).
 */
const recordPages: Record<string, { path: string; permission: Permission; page?: true }> = {
  asset: { path: 'assets', permission: 'asset:read' },
  risk: { path: 'risks', permission: 'risk:read' },
  control: { path: 'controls', permission: 'control:read' },
  document: { path: 'policies', permission: 'document:read' },
  incident: { path: 'incidents', permission: 'incident:report' },
  change_request: { path: 'changes', permission: 'change:read' },
  nonconformity: { path: 'improvement', permission: 'improvement:read' },
  internal_audit: { path: 'audits', permission: 'audit-programme:read' },
  management_review: { path: 'reviews', permission: 'review:read' },
  measure: { path: 'measures', permission: 'measure:read' },
  soa: { path: 'soa', permission: 'soa:read' },
  isms_cycle: { path: 'cockpit', permission: 'process:read', page: true },
  training_course: { path: 'training/courses', permission: 'training:read' },
  competence: { path: 'training', permission: 'training:read', page: true },
};

/** The link to a record's page. */
const pageOf = (scopeId: string, page: { path: string; page?: true }, recordId: string) =>
  page.page ? `/s/${scopeId}/${page.path}` : `/s/${scopeId}/${page.path}/${recordId}`;

/** A value in words; a record it names is a link to the record's page where it has one and the reader may open it. */
function ValueWords({ shown, scopeId }: { shown: Shown; scopeId: string | null }) {
  const can = useCan();
  if (shown.parts?.some((p) => p.record || p.parts)) {
    return shown.parts.map((p, i) => (
      // the values of a list keep their order; a value may repeat
      // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity of a list's value
      <span key={i}>
        {i > 0 && ', '}
        <ValueWords shown={p} scopeId={scopeId} />
      </span>
    ));
  }
  const page = shown.record ? recordPages[shown.record.type] : undefined;
  if (!shown.record || !page || !scopeId || !can(page.permission)) return shown.text;
  return (
    <Anchor
      component={Link}
      to={pageOf(scopeId, page, shown.record.id)}
      size="sm"
      data-testid="audit-record-link"
      onClick={(ev) => ev.stopPropagation()}
    >
      {shown.text}
    </Anchor>
  );
}

/** The record an entry is about: its reference (or a person's or process's name), a link to its page when it has one. */
function RecordLink({ e, names }: { e: AuditEntry; names: AuditWords }) {
  const can = useCan();
  const raw = e.recordRef ?? e.recordId;
  // an entry written without the record's reference: the reference read when shown
  const own = e.records.find((r) => r.type === e.recordType && r.id === e.recordId);
  const label =
    recordRefWords(names, e.recordType, e.recordRef) ??
    names.names.get(raw) ??
    e.recordRef ??
    own?.reference ??
    own?.title ??
    e.recordId.slice(0, 8);
  const page = recordPages[e.recordType];
  if (page && e.scopeId && e.action !== 'delete' && can(page.permission)) {
    return (
      <Anchor component={Link} to={pageOf(e.scopeId, page, e.recordId)} size="sm" ff="monospace" onClick={(ev) => ev.stopPropagation()}>
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
  names: AuditWords;
  expanded: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation('audit');
  const words = withRecords(names, e.records);
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
                  <RecordLink e={e} names={names} />
                </Group>
              )}
              <Text size={showRecord ? 'xs' : 'sm'} c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {/* an entry Praxis wrote by itself (a sweep, the setup) is labelled `system` */}
                {e.actor.id === null && e.actor.label === 'system' ? t('entry.byPraxis') : t('entry.by', { name: e.actor.label })}
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
                  const from = showAuditValue(words, e.recordType, field, c.from);
                  const to = showAuditValue(words, e.recordType, field, c.to);
                  return (
                    <Table.Tr key={field}>
                      <Table.Td c="dimmed">{fieldWords(words, e.recordType, field)}</Table.Td>
                      {!creating && (
                        <Table.Td
                          style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
                          c={from.empty ? 'dimmed' : 'red.8'}
                          td={from.empty ? undefined : 'line-through'}
                          title={from.title}
                        >
                          <ValueWords shown={from} scopeId={e.scopeId} />
                        </Table.Td>
                      )}
                      <Table.Td
                        style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
                        c={to.empty ? 'dimmed' : 'teal.9'}
                        title={to.title}
                      >
                        <ValueWords shown={to} scopeId={e.scopeId} />
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
  const names = wordsIn(
    useAuditNames(
      scopeId,
      entries.some((e) => withRiskLevels.has(e.recordType)),
    ),
  );
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

import { Anchor, Badge, Button, Card, Drawer, Group, Pagination, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Permission } from '../../../../server/src/auth/roles.ts';
import type { HandoffItemResponse } from '../../../../server/src/isms/handoff.schemas.ts';
import { api, type Page } from '../../app/api.ts';
import type { Handoff, Task, UpdateTaskInput } from '../../app/types.ts';
import { formatDate, formatRelativeDay } from '../../i18n/index.ts';
import { useCan } from '../../app/session.ts';
import { ErrorAlert, notifyError, notifySuccess, TableSkeleton } from '../../app/ui.tsx';

const PAGE_SIZE = 20;

/** Where a record of a given type is shown, and who may open it. */
const recordPages: Record<string, { path: string; permission: Permission }> = {
  incident: { path: 'incidents', permission: 'incident:read' },
  risk: { path: 'risks', permission: 'risk:read' },
  nonconformity: { path: 'improvement', permission: 'improvement:read' },
  change_request: { path: 'changes', permission: 'change:read' },
  document: { path: 'policies', permission: 'document:read' },
  control: { path: 'controls', permission: 'control:read' },
  asset: { path: 'assets', permission: 'asset:read' },
  internal_audit: { path: 'audits', permission: 'audit-programme:read' },
  management_review: { path: 'reviews', permission: 'review:read' },
};

function RecordRef({ scopeId, type, id, reference }: { scopeId: string; type: string; id: string; reference: string | null }) {
  const can = useCan();
  const page = recordPages[type];
  const label = reference ?? '—';
  if (page && reference && can(page.permission)) {
    return (
      <Anchor component={Link} to={`/s/${scopeId}/${page.path}/${id}`} size="sm" ff="monospace">
        {label}
      </Anchor>
    );
  }
  return (
    <Text size="sm" ff="monospace">
      {label}
    </Text>
  );
}

/**
 * The hand-offs along one edge of the process map: what was handed over, the work it created, who has it and since
 * when. Work that is a task can be finished here; it then leaves the edge.
 */
export function HandoffDrawer({
  scopeId,
  edge,
  title,
  onClose,
}: {
  scopeId: string;
  edge: string | null;
  title: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('handoffs');
  const can = useCan();
  const qc = useQueryClient();
  const [state, setState] = useState<'open' | 'done'>('open');
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['handoffs', scopeId, edge, state, page],
    queryFn: () =>
      api.get<Page<HandoffItemResponse>>(`/api/scopes/${scopeId}/handoffs`, { edge: edge ?? '', state, page, pageSize: PAGE_SIZE }),
    enabled: !!edge,
  });
  const finish = async (item: HandoffItemResponse) => {
    if (item.work.taskVersion === null) return;
    setBusy(item.id);
    try {
      await api.patch<Task, UpdateTaskInput>(`/api/scopes/${scopeId}/tasks/${item.work.recordId}`, {
        version: item.work.taskVersion,
        status: 'done',
      });
      notifySuccess(t('finished', { reference: item.work.reference ?? '' }));
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['handoffs', scopeId] }),
        qc.invalidateQueries({ queryKey: ['processes', scopeId] }),
        qc.invalidateQueries({ queryKey: ['my-tasks'] }),
      ]);
    } catch (e) {
      notifyError(e, t('finishFailed'));
    } finally {
      setBusy(null);
    }
  };
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));
  return (
    <Drawer opened={!!edge} onClose={onClose} position="right" size="lg" title={title} data-testid="handoff-drawer">
      <Stack gap="sm">
        <SegmentedControl
          value={state}
          onChange={(v) => {
            setState(v as 'open' | 'done');
            setPage(1);
          }}
          data={[
            { value: 'open', label: t('inTransit') },
            { value: 'done', label: t('done') },
          ]}
        />
        <ErrorAlert error={list.error} />
        {list.isPending && edge ? (
          <TableSkeleton rows={4} />
        ) : list.data && list.data.items.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="lg" data-testid="handoff-empty">
            {state === 'open' ? t('emptyOpen') : t('emptyDone')}
          </Text>
        ) : (
          list.data?.items.map((item) => (
            <Card key={item.id} withBorder radius="md" p="sm" data-testid="handoff-item">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600}>
                    {item.title}
                  </Text>
                  <Group gap={6} wrap="wrap">
                    <Text size="xs" c="dimmed">
                      {t('from')}
                    </Text>
                    <RecordRef
                      scopeId={scopeId}
                      type={item.source.recordType}
                      id={item.source.recordId}
                      reference={item.source.reference}
                    />
                    <Text size="xs" c="dimmed">
                      {t('work')}
                    </Text>
                    <RecordRef scopeId={scopeId} type={item.work.recordType} id={item.work.recordId} reference={item.work.reference} />
                  </Group>
                  <Text size="xs" c="dimmed">
                    {t('handedOver', { when: formatRelativeDay(item.createdAt) ?? formatDate(item.createdAt) })}
                    {' · '}
                    {item.assignee ? t('assignee', { name: item.assignee.name }) : t('unassigned')}
                    {item.dueOn && ` · ${t('due', { date: formatDate(item.dueOn) })}`}
                  </Text>
                  {item.doneAt && (
                    <Text size="xs" c="dimmed">
                      {item.outcome === 'cancelled'
                        ? t('cancelledOn', { date: formatDate(item.doneAt) })
                        : t('doneOn', { date: formatDate(item.doneAt) })}
                      {item.note && ` · ${item.note}`}
                    </Text>
                  )}
                </Stack>
                <Stack gap={6} align="flex-end">
                  {item.overdue && (
                    <Badge color="red" variant="light">
                      {t('overdue')}
                    </Badge>
                  )}
                  {state === 'open' && item.work.taskVersion !== null && can('task:write') && (
                    <Button
                      size="xs"
                      variant="light"
                      loading={busy === item.id}
                      onClick={() => void finish(item)}
                      data-testid="handoff-finish"
                    >
                      {t('finish')}
                    </Button>
                  )}
                </Stack>
              </Group>
            </Card>
          ))
        )}
        {pages > 1 && <Pagination value={page} onChange={setPage} total={pages} size="sm" mx="auto" />}
      </Stack>
    </Drawer>
  );
}

/** Age in words from a timestamp: "3 days", "5 hours" (rounded down, at least "less than an hour"). */
function useAge() {
  const { t } = useTranslation('handoffs');
  return (at: string | null) => {
    if (!at) return '—';
    const hours = Math.max(0, Math.floor((Date.now() - Date.parse(at)) / 3_600_000));
    if (hours < 1) return t('age.lessThanHour');
    if (hours < 48) return t('age.hours', { count: hours });
    return t('age.days', { count: Math.floor(hours / 24) });
  };
}

/**
 * The live hand-offs of the scope as a table beside the map (also the way in on a phone or with a keyboard): what waits
 * on each edge, how long the oldest and the median item have waited, and what is overdue. A row opens its items.
 */
export function HandoffTable({
  handoffs,
  nameOf,
  onOpen,
}: {
  handoffs: Handoff[];
  nameOf: (key: string) => string;
  onOpen: (h: Handoff) => void;
}) {
  const { t } = useTranslation('handoffs');
  const age = useAge();
  const live = handoffs.filter((h) => h.status === 'live').sort((a, b) => b.waiting - a.waiting || b.overdue - a.overdue);
  const planned = handoffs.length - live.length;
  return (
    <Card withBorder radius="md" mt="lg" p={0} data-testid="handoff-table">
      <Group p="md" justify="space-between">
        <Title order={4}>{t('tableTitle')}</Title>
        <Text size="xs" c="dimmed">
          {t('plannedCount', { count: planned })}
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="xs" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('column.handoff')}</Table.Th>
              <Table.Th>{t('column.waiting')}</Table.Th>
              <Table.Th>{t('column.oldest')}</Table.Th>
              <Table.Th>{t('column.median')}</Table.Th>
              <Table.Th>{t('column.overdue')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {live.map((h) => (
              <Table.Tr key={`${h.from}>${h.to}`} data-testid="handoff-row" data-edge={`${h.from}>${h.to}`}>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" fw={500} ta="left" onClick={() => onOpen(h)}>
                    {nameOf(h.from)} → {nameOf(h.to)}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {h.output}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text
                    size="sm"
                    fw={h.waiting > 0 ? 600 : undefined}
                    c={h.waiting > 0 ? undefined : 'dimmed'}
                    data-testid="handoff-waiting"
                  >
                    {h.waiting}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{h.waiting > 0 ? age(h.oldestAt) : '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{h.waiting > 0 ? age(h.medianAt) : '—'}</Text>
                </Table.Td>
                <Table.Td>
                  {h.overdue > 0 ? (
                    <Badge color="red" variant="light">
                      {h.overdue}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      0
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

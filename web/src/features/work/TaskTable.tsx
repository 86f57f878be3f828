import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconCheck, IconPlayerPlay, IconRotate } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api.ts';
import { formatDate, relativeDay, taskStatusColors, taskStatusLabels } from '../../app/labels.ts';
import { canRole, useScopes, useSession } from '../../app/session.ts';
import type { Task, TaskStatus, UpdateTaskInput } from '../../app/types.ts';
import { notifyError, notifySuccess, Ref } from '../../app/ui.tsx';
import { inSentence } from '../../i18n/index.ts';

export function invalidateTasks(qc: ReturnType<typeof useQueryClient>) {
  void qc.invalidateQueries({ queryKey: ['tasks'] });
  void qc.invalidateQueries({ queryKey: ['my-tasks'] });
  void qc.invalidateQueries({ queryKey: ['processes'] });
}

/** Quick status changes (Start, Done, Reopen), shared by the lists and the task drawer. */
export function useMoveTask() {
  const { t: tr } = useTranslation('work');
  const qc = useQueryClient();
  const [pending, setPending] = useState<string | null>(null);
  const move = async (t: Task, status: TaskStatus) => {
    setPending(t.id);
    try {
      const body: UpdateTaskInput = { version: t.version, status };
      const saved = await api.patch<Task, UpdateTaskInput>(`/api/scopes/${t.scopeId}/tasks/${t.id}`, body);
      notifySuccess(tr('move.done', { reference: saved.reference, status: inSentence(taskStatusLabels[saved.status]) }));
      return saved;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') notifyError(new Error(tr('move.conflict')), tr('move.notChanged'));
      else notifyError(e);
      return null;
    } finally {
      setPending(null);
      invalidateTasks(qc);
    }
  };
  return { move, pending };
}

export function OriginLink({ task }: { task: Task }) {
  const scopes = useScopes();
  const o = task.origin;
  if (!o?.recordRef && !o?.recordId)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  const label = o.recordRef ?? o.recordId;
  const role = scopes.data?.find((s) => s.id === task.scopeId)?.role;
  if (o.recordType === 'asset' && o.recordId && canRole(role, 'asset:read')) {
    return (
      <Anchor
        component={Link}
        to={`/s/${task.scopeId}/assets/${o.recordId}`}
        size="sm"
        ff="monospace"
        style={{ whiteSpace: 'nowrap' }}
        onClick={(e) => e.stopPropagation()}
      >
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

export function DueDate({ task }: { task: Task }) {
  const { t: tr } = useTranslation('work');
  if (!task.dueOn)
    return (
      <Text size="sm" c="dimmed">
        {tr('due.none')}
      </Text>
    );
  const active = task.status === 'open' || task.status === 'in_progress';
  return (
    <Stack gap={0}>
      <Group gap={4} wrap="nowrap">
        {task.overdue && <IconAlertTriangle size={14} color="var(--mantine-color-red-7)" />}
        <Text
          size="sm"
          c={task.overdue ? 'red.7' : undefined}
          fw={task.overdue ? 600 : undefined}
          style={{ whiteSpace: 'nowrap' }}
          data-overdue={task.overdue || undefined}
        >
          {formatDate(task.dueOn)}
        </Text>
      </Group>
      {active && (
        <Text size="xs" c={task.overdue ? 'red.7' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
          {tr(task.overdue ? 'due.overdue' : 'due.relative', { when: relativeDay(task.dueOn) })}
        </Text>
      )}
    </Stack>
  );
}

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  return (
    <Badge color={taskStatusColors[status]} variant="light" style={{ flexShrink: 0 }}>
      {taskStatusLabels[status]}
    </Badge>
  );
}

function Actions({ task, move, pending }: { task: Task; move: (t: Task, s: TaskStatus) => void; pending: boolean }) {
  const { t: tr } = useTranslation('work');
  return (
    <Group gap={6} wrap="nowrap" justify="flex-end" onClick={(e) => e.stopPropagation()}>
      {task.status === 'open' && (
        <Button
          size="compact-sm"
          variant="default"
          leftSection={<IconPlayerPlay size={12} />}
          disabled={pending}
          onClick={() => move(task, 'in_progress')}
          data-testid="task-start"
        >
          {tr('actions.start')}
        </Button>
      )}
      {(task.status === 'open' || task.status === 'in_progress') && (
        <Button
          size="compact-sm"
          variant="light"
          color="teal"
          leftSection={<IconCheck size={12} />}
          loading={pending}
          onClick={() => move(task, 'done')}
          data-testid="task-done"
        >
          {tr('actions.done')}
        </Button>
      )}
      {(task.status === 'done' || task.status === 'cancelled') && (
        <Tooltip label={tr('actions.backToOpen')}>
          <Button
            size="compact-sm"
            variant="subtle"
            leftSection={<IconRotate size={12} />}
            loading={pending}
            onClick={() => move(task, 'open')}
            data-testid="task-reopen"
          >
            {tr('actions.reopen')}
          </Button>
        </Tooltip>
      )}
    </Group>
  );
}

/** Tasks with quick status changes; a table on wide screens and cards on phones. Used by "My work" and a scope's task list. */
export function TaskTable({
  tasks,
  showScope = false,
  showAssignee = true,
  onOpen,
}: {
  tasks: Task[];
  showScope?: boolean;
  showAssignee?: boolean;
  onOpen?: (t: Task) => void;
}) {
  const { t: tr } = useTranslation('work');
  const { move, pending } = useMoveTask();
  const session = useSession().data;
  const scopes = useScopes();
  /** assignees may move their own tasks; task:write may move any task of the scope */
  const mayMove = (t: Task) =>
    t.assignee?.id === session?.user.id || canRole(scopes.data?.find((s) => s.id === t.scopeId)?.role, 'task:write');
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });

  if (phone) {
    return (
      <Stack gap="sm" p="sm" data-testid="task-table">
        {tasks.map((t) => (
          <Card
            key={t.id}
            withBorder
            radius="md"
            p="sm"
            data-testid="task-row"
            style={{ borderLeft: t.overdue ? '4px solid var(--mantine-color-red-6)' : undefined, cursor: onOpen ? 'pointer' : undefined }}
            onClick={() => onOpen?.(t)}
          >
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
              <Text size="sm" fw={600} style={{ minWidth: 0 }}>
                <Ref>{t.reference}</Ref> {t.title}
              </Text>
              <TaskStatusBadge status={t.status} />
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              {showScope && `${t.scopeName} · `}
              {t.processName}
              {t.origin?.recordRef && ` · ${tr('table.from', { reference: t.origin.recordRef })}`}
              {showAssignee && ` · ${t.assignee?.name ?? tr('unassigned')}`}
            </Text>
            <Group justify="space-between" mt="xs" wrap="nowrap">
              <DueDate task={t} />
              {mayMove(t) && <Actions task={t} move={move} pending={pending === t.id} />}
            </Group>
          </Card>
        ))}
      </Stack>
    );
  }

  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="task-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{tr('table.task')}</Table.Th>
            {showScope && <Table.Th>{tr('table.scope')}</Table.Th>}
            <Table.Th>{tr('table.process')}</Table.Th>
            <Table.Th>{tr('table.origin')}</Table.Th>
            {showAssignee && <Table.Th>{tr('table.assignee')}</Table.Th>}
            <Table.Th>{tr('table.due')}</Table.Th>
            <Table.Th>{tr('table.status')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((t) => (
            <Table.Tr
              key={t.id}
              data-testid="task-row"
              data-overdue={t.overdue || undefined}
              className={onOpen ? 'row-link' : undefined}
              onClick={() => onOpen?.(t)}
              bg={t.overdue ? 'red.0' : undefined}
            >
              <Table.Td maw={380}>
                <Text size="sm" fw={500}>
                  <Ref>{t.reference}</Ref> {t.title}
                </Text>
                {t.description && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {t.description}
                  </Text>
                )}
              </Table.Td>
              {showScope && (
                <Table.Td>
                  <Text size="sm">{t.scopeName}</Text>
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm">{t.processName}</Text>
              </Table.Td>
              <Table.Td>
                <OriginLink task={t} />
              </Table.Td>
              {showAssignee && (
                <Table.Td>
                  <Text size="sm" c={t.assignee ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                    {t.assignee?.name ?? tr('unassigned')}
                  </Text>
                </Table.Td>
              )}
              <Table.Td>
                <DueDate task={t} />
              </Table.Td>
              <Table.Td>
                <TaskStatusBadge status={t.status} />
              </Table.Td>
              <Table.Td>{mayMove(t) && <Actions task={t} move={move} pending={pending === t.id} />}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

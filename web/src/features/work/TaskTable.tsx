import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../app/api.ts';
import { formatDate, taskStatusColors, taskStatusLabels } from '../../app/labels.ts';
import type { Task } from '../../app/types.ts';
import { notifyError } from '../../app/ui.tsx';

function originLink(t: Task) {
  if (!t.origin?.recordRef) return '—';
  if (t.origin.recordType === 'asset' && t.origin.recordId) {
    return (
      <Anchor component={Link} to={`/s/${t.scopeId}/assets/${t.origin.recordId}`} size="sm">
        {t.origin.recordRef}
      </Anchor>
    );
  }
  return <Text size="sm">{t.origin.recordRef}</Text>;
}

/** Tasks with quick status changes; used by "My work" and a scope's task list. */
export function TaskTable({ tasks, showScope = false }: { tasks: Task[]; showScope?: boolean }) {
  const qc = useQueryClient();
  const move = async (t: Task, status: Task['status']) => {
    try {
      await api.patch(`/api/scopes/${t.scopeId}/tasks/${t.id}`, { version: t.version, status });
      void qc.invalidateQueries({ queryKey: ['tasks'] });
      void qc.invalidateQueries({ queryKey: ['my-tasks'] });
      void qc.invalidateQueries({ queryKey: ['processes'] });
    } catch (e) {
      notifyError(e);
      void qc.invalidateQueries({ queryKey: ['tasks'] });
    }
  };
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="task-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Task</Table.Th>
            {showScope && <Table.Th>Scope</Table.Th>}
            <Table.Th>Process</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>Assignee</Table.Th>
            <Table.Th>Due</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((t) => (
            <Table.Tr key={t.id} data-testid="task-row">
              <Table.Td maw={360}>
                <Text size="sm" fw={500}>
                  <Text span c="dimmed" ff="monospace" size="xs">
                    {t.reference}
                  </Text>{' '}
                  {t.title}
                </Text>
                {t.description && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
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
              <Table.Td>{originLink(t)}</Table.Td>
              <Table.Td>
                <Text size="sm">{t.assignee?.name ?? 'Unassigned'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={t.overdue ? 'red' : undefined} fw={t.overdue ? 600 : undefined}>
                  {formatDate(t.dueOn)}
                  {t.overdue && ' · overdue'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={taskStatusColors[t.status]} variant="light">
                  {taskStatusLabels[t.status]}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap" justify="flex-end">
                  {t.status === 'open' && (
                    <Button size="compact-xs" variant="default" onClick={() => move(t, 'in_progress')}>
                      Start
                    </Button>
                  )}
                  {(t.status === 'open' || t.status === 'in_progress') && (
                    <Button size="compact-xs" variant="light" color="green" onClick={() => move(t, 'done')}>
                      Done
                    </Button>
                  )}
                  {(t.status === 'done' || t.status === 'cancelled') && (
                    <Button size="compact-xs" variant="subtle" onClick={() => move(t, 'open')}>
                      Reopen
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import { Badge, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { formatDateTime } from '../../app/labels.ts';
import type { AuditEntry } from '../../app/types.ts';

const actionColors: Record<string, string> = { create: 'green', update: 'blue', delete: 'red' };

const show = (v: unknown) => (v === undefined ? '' : v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Audit entries with their changed fields as a from → to table. */
export function AuditEntries({ entries, showRecord = false }: { entries: AuditEntry[]; showRecord?: boolean }) {
  return (
    <Stack gap="sm">
      {entries.map((e) => {
        const changes = Object.entries(e.changes);
        return (
          <Paper key={e.id} withBorder p="sm" radius="md" data-testid="audit-entry">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Group gap="xs">
                <Badge color={actionColors[e.action] ?? 'gray'} variant="light">
                  {e.action}
                </Badge>
                {showRecord && (
                  <Text size="sm" fw={500}>
                    {e.recordType} {e.recordRef ?? e.recordId}
                  </Text>
                )}
                <Text size="sm" c="dimmed">
                  by {e.actor.label}
                </Text>
              </Group>
              <Text size="xs" c="dimmed" title={`#${e.seq} · ${e.hash}`}>
                {formatDateTime(e.at)} · #{e.seq}
              </Text>
            </Group>
            {changes.length > 0 && (
              <Table mt="xs" fz="xs" verticalSpacing={4} withRowBorders={false}>
                <Table.Tbody>
                  {changes.map(([field, c]) => (
                    <Table.Tr key={field}>
                      <Table.Td w={160} c="dimmed">
                        {field}
                      </Table.Td>
                      <Table.Td>
                        {'from' in c && <Code color="red.0">{show(c.from)}</Code>}
                        {'from' in c && 'to' in c && ' → '}
                        {'to' in c && <Code color="green.0">{show(c.to)}</Code>}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        );
      })}
    </Stack>
  );
}

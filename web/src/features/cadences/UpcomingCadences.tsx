import { Anchor, Badge, Card, Group, Pagination, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { z } from 'zod';
import type * as cadenceSchemas from '../../../../server/src/cadences/cadence.schemas.ts';
import { api, type Page } from '../../app/api.ts';
import { ErrorAlert, TableSkeleton } from '../../app/ui.tsx';
import { formatDate, formatRelativeDay as relativeDay } from '../../i18n/index.ts';

type UpcomingItem = z.infer<typeof cadenceSchemas.upcomingItem>;
const PAGE_SIZE = 10;

/** What the cadences of a scope bring in the next 90 days: reviews under way (overdue first) and planned ones. */
export function UpcomingCadences({ scopeId }: { scopeId: string }) {
  const { t } = useTranslation('cadences');
  const [page, setPage] = useState(1);
  const upcoming = useQuery({
    queryKey: ['cadences-upcoming', scopeId, page],
    queryFn: () => api.get<Page<UpcomingItem>>(`/api/scopes/${scopeId}/cadences/upcoming`, { page, pageSize: PAGE_SIZE }),
  });
  const pages = Math.max(1, Math.ceil((upcoming.data?.total ?? 0) / PAGE_SIZE));
  return (
    <Card withBorder radius="md" mt="lg" p={0} data-testid="cadences-upcoming">
      <Stack gap={2} p="md">
        <Title order={4}>{t('upcoming.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('upcoming.hint')}
        </Text>
      </Stack>
      {upcoming.error ? (
        <ErrorAlert error={upcoming.error} />
      ) : !upcoming.data ? (
        <TableSkeleton rows={4} />
      ) : upcoming.data.items.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md">
          {t('upcoming.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('upcoming.date')}</Table.Th>
                  <Table.Th>{t('upcoming.process')}</Table.Th>
                  <Table.Th>{t('upcoming.what')}</Table.Th>
                  <Table.Th>{t('upcoming.who')}</Table.Th>
                  <Table.Th>{t('upcoming.state')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {upcoming.data.items.map((i) => (
                  <Table.Tr key={`${i.record.type}-${i.record.id}-${i.date}`} data-testid="cadence-upcoming-row">
                    <Table.Td>
                      <Text size="sm" c={i.overdue ? 'red.7' : undefined} fw={i.overdue ? 600 : undefined}>
                        {formatDate(i.date)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {relativeDay(i.date)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{i.processName}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{i.title}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={i.assignee ? undefined : 'dimmed'}>
                        {i.assignee?.name ?? t('upcoming.nobody')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {i.task ? (
                          <Anchor component={Link} to={`/s/${scopeId}/tasks?q=${encodeURIComponent(i.task.reference)}`} size="sm">
                            {t('upcoming.open', { task: i.task.reference })}
                          </Anchor>
                        ) : (
                          <Badge variant="light" color="gray" size="sm">
                            {t('upcoming.planned')}
                          </Badge>
                        )}
                        {i.overdue && (
                          <Badge color="red" size="sm">
                            {t('upcoming.overdue')}
                          </Badge>
                        )}
                        {i.escalationLevel === 1 && (
                          <Badge color="orange" variant="light" size="sm">
                            {t('upcoming.escalatedOwner')}
                          </Badge>
                        )}
                        {i.escalationLevel >= 2 && (
                          <Badge color="orange" size="sm">
                            {t('upcoming.escalatedManagers')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {pages > 1 && (
            <Group justify="center" p="sm">
              <Pagination total={pages} value={page} onChange={setPage} size="sm" />
            </Group>
          )}
        </>
      )}
    </Card>
  );
}

import { Anchor, Badge, Button, Card, EmptyState, Group, SegmentedControl, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconAlertOctagon, IconSearch, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDateTime } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { ErrorAlert, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { Countdown } from './Countdown.tsx';
import { type Incident, incidentStatusColors, incidentStatusLabels, severityColors, severityLabels } from './incident-types.ts';
import { ReportIncidentModal } from './ReportIncidentModal.tsx';
import { textLimits } from '../../app/FormParts.tsx';
import { listIncidentsQuery } from '../../../../server/src/processes/incident-management/incident.schemas.ts';

const searchLimit = textLimits(listIncidentsQuery.shape).q;

const PAGE_SIZE = 25;

export function IncidentListPage() {
  const { t } = useTranslation('incidents');
  const scope = useCurrentScope();
  const can = useCan();
  const [status, setStatus] = useState('open');
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 250);
  const [page, setPage] = useState(1);
  const [reporting, { open, close }] = useDisclosure(false);
  const query = { status: status === 'all' ? undefined : status, q: debouncedQ, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['incidents', scope.id, query],
    queryFn: () => api.get<Page<Incident>>(`/api/scopes/${scope.id}/incidents`, query),
    placeholderData: (p) => p,
  });
  const team = can('incident:read');
  return (
    <>
      <PageHeader
        title={team ? t('list.title') : t('list.titleMine')}
        description={team ? t('list.description') : t('list.descriptionMine')}
        actions={
          <Button color="red" leftSection={<IconAlertOctagon size={16} />} onClick={open} data-testid="report-incident">
            {t('list.report')}
          </Button>
        }
      />
      <ReportIncidentModal scopeId={scope.id} opened={reporting} onClose={close} />
      <Card withBorder radius="md" p={0}>
        <Group p="md" gap="sm">
          <SegmentedControl
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            data={[
              { value: 'open', label: t('list.filter.open') },
              { value: 'reported', label: t('list.filter.reported') },
              { value: 'closed', label: t('list.filter.closed') },
              { value: 'all', label: t('list.filter.all') },
            ]}
          />
          <TextInput
            placeholder={t('list.search')}
            leftSection={<IconSearch size={16} />}
            maxLength={searchLimit}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={220}
          />
        </Group>
        <ErrorAlert error={list.error} />
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.data?.total === 0 ? (
          <EmptyState
            py={48}
            icon={<IconShieldCheck size={36} />}
            withIndicatorBackground
            title={t('list.empty')}
            description={t('list.emptyHint')}
          />
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="incident-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('list.col.incident')}</Table.Th>
                  <Table.Th>{t('list.col.status')}</Table.Th>
                  <Table.Th>{t('list.col.severity')}</Table.Th>
                  <Table.Th>{t('list.col.reported')}</Table.Th>
                  <Table.Th>{t('list.col.handler')}</Table.Th>
                  <Table.Th>{t('list.col.nextDeadline')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data?.items.map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/s/${scope.id}/incidents/${i.id}`} fw={500} size="sm">
                        <Ref>{i.reference}</Ref> {i.title}
                      </Anchor>
                      <Group gap={4} mt={2}>
                        {i.kind === 'weakness' && (
                          <Badge size="xs" variant="outline">
                            {t('badge.weakness')}
                          </Badge>
                        )}
                        {i.personalData && (
                          <Badge size="xs" color="grape" variant="light">
                            {t('badge.personalData')}
                          </Badge>
                        )}
                        {i.nis2Significant && (
                          <Badge size="xs" color="indigo" variant="light">
                            NIS2
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={incidentStatusColors[i.status]} variant="light">
                        {incidentStatusLabels[i.status]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {i.severity ? (
                        <Badge color={severityColors[i.severity]}>{severityLabels[i.severity]}</Badge>
                      ) : (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(i.reportedAt)}</Text>
                      <Text size="xs" c="dimmed">
                        {i.reporter?.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{i.handler?.name ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      {i.nextDeadline ? (
                        <Countdown dueAt={i.nextDeadline.dueAt} />
                      ) : (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {list.data && <ListPager total={list.data.total} of={list.data} page={page} pageSize={PAGE_SIZE} onPage={setPage} size="md" />}
      </Card>
    </>
  );
}

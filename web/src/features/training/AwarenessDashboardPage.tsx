import {
  Badge,
  Box,
  Button,
  Card,
  CloseButton,
  EmptyState,
  Group,
  Progress,
  RingProgress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconChartBar, IconDownload, IconSearch } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, formatDateTime, roleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import type { ScopeRole } from '../../app/types.ts';
import { ErrorAlert, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { formatNumber } from '../../i18n/index.ts';
import type { Dashboard, PersonSummary } from './training-types.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { overdueQuery } from '../../../../server/src/processes/competence-awareness/awareness.schemas.ts';

const searchLimit = textLimits(overdueQuery.shape).q;

type C = { assigned: number; done: number; overdue: number; rate: number | null };

/** "3 of 5 acknowledged", a bar and the overdue count. */
function Rate({ c, verb, testId }: { c: C; verb: string; testId?: string }) {
  const { t } = useTranslation('training');
  if (c.assigned === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('dash.nobodyAssigned')}
      </Text>
    );
  const pct = c.rate ?? 0;
  return (
    <Stack gap={4} miw={160}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={500} data-testid={testId}>
          {t('dash.rate', { done: c.done, total: c.assigned, verb })}
        </Text>
        <Text size="xs" c="dimmed">
          {formatNumber(pct / 100, { style: 'percent', maximumFractionDigits: 1 })}
        </Text>
      </Group>
      <Progress
        value={pct}
        color={pct >= 100 ? 'teal' : pct >= 80 ? 'praxis' : 'orange'}
        size="sm"
        radius="xl"
        aria-label={t('dash.percent', { percent: pct, verb })}
      />
      {c.overdue > 0 && (
        <Text size="xs" c="red.7">
          {t('dash.overdue', { count: c.overdue })}
        </Text>
      )}
    </Stack>
  );
}

const sum = (rows: C[]): C => {
  const assigned = rows.reduce((a, r) => a + r.assigned, 0);
  const done = rows.reduce((a, r) => a + r.done, 0);
  const overdue = rows.reduce((a, r) => a + r.overdue, 0);
  return { assigned, done, overdue, rate: assigned ? Math.round((done / assigned) * 1000) / 10 : null };
};

/** Policies acknowledged and trainings completed per group of people (a role, a department). */
function RatesTable({ heading, rows }: { heading: string; rows: { key: string; label: ReactNode; policies: C; trainings: C }[] }) {
  const { t } = useTranslation('training');
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{heading}</Table.Th>
            <Table.Th>{t('dash.col.policies')}</Table.Th>
            <Table.Th>{t('dash.col.trainings')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.label}</Table.Td>
              <Table.Td>
                <Rate c={r.policies} verb={t('dash.verb.acknowledged')} />
              </Table.Td>
              <Table.Td>
                <Rate c={r.trainings} verb={t('dash.verb.completed')} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Ring({ label, c, verb }: { label: string; c: C; verb: string }) {
  const { t } = useTranslation('training');
  const pct = c.rate ?? 0;
  return (
    <Card withBorder radius="md" p="md">
      <Group wrap="nowrap">
        <RingProgress
          size={92}
          thickness={9}
          roundCaps
          sections={pct > 0 ? [{ value: pct, color: pct >= 100 ? 'teal' : pct >= 80 ? 'praxis' : 'orange' }] : []}
          label={
            <Text ta="center" fw={700} size="sm">
              {c.assigned ? formatNumber(Math.round(pct) / 100, { style: 'percent' }) : '—'}
            </Text>
          }
        />
        <div>
          <Text fw={600}>{label}</Text>
          <Text size="sm" c="dimmed">
            {c.assigned ? t('dash.rate', { done: c.done, total: c.assigned, verb }) : t('dash.nothingAssigned')}
          </Text>
          {c.overdue > 0 && (
            <Text size="sm" c="red.7" fw={500}>
              {t('dash.overdue', { count: c.overdue })}
            </Text>
          )}
        </div>
      </Group>
    </Card>
  );
}

function RateRow({ reference, title, to, rate }: { reference: string; title: string; to: string; rate: ReactNode }) {
  return (
    <Group justify="space-between" wrap="wrap" gap="xs" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      <Text size="sm" style={{ flex: '1 1 240px', minWidth: 0 }}>
        <Ref>{reference}</Ref>{' '}
        <Text component={Link} to={to} size="sm" fw={500} c="praxis.8">
          {title}
        </Text>
      </Text>
      <Box style={{ flex: '1 1 220px', maxWidth: 420 }}>{rate}</Box>
    </Group>
  );
}

function Section({ title, children, empty }: { title: string; children: ReactNode; empty?: string | false }) {
  return (
    <Card withBorder radius="md" p="lg">
      <Title order={5} mb="sm">
        {title}
      </Title>
      {empty ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        children
      )}
    </Card>
  );
}

/** The ISMS manager's awareness dashboard (ISO 27001 7.3, 9.1): policy acknowledgements and training completion. */
export function AwarenessDashboardPage() {
  const { t } = useTranslation('training');
  const scope = useCurrentScope();
  const can = useCan();
  const base = `/api/scopes/${scope.id}/awareness`;
  const dash = useQuery({ queryKey: ['awareness', scope.id], queryFn: () => api.get<Dashboard>(`${base}/dashboard`) });
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const [department, setDepartment] = useState<string | null>(null);
  const overdue = useQuery({
    queryKey: ['awareness-overdue', scope.id, q, department, page],
    queryFn: () => api.get<Page<PersonSummary>>(`${base}/overdue`, { q, department: department ?? undefined, page, pageSize: 20 }),
    placeholderData: (p) => p,
  });
  const d = dash.data;
  const header = (
    <PageHeader
      title={t('dash.title')}
      description={t('dash.description')}
      actions={
        <>
          <Button
            variant="default"
            component="a"
            href={`${base}/export.csv`}
            download
            leftSection={<IconDownload size={16} />}
            data-testid="export-csv"
          >
            CSV
          </Button>
          <Button
            variant="default"
            component="a"
            href={`${base}/export.xlsx`}
            download
            leftSection={<IconDownload size={16} />}
            data-testid="export-xlsx"
          >
            {t('dash.excel')}
          </Button>
        </>
      }
    />
  );
  if (dash.error)
    return (
      <>
        {header}
        <ErrorAlert error={dash.error} />
      </>
    );
  if (!d)
    return (
      <>
        {header}
        <TableSkeleton />
      </>
    );
  const nothing = d.policies.length === 0 && d.courses.length === 0;
  return (
    <>
      {header}
      {nothing ? (
        <Card withBorder radius="md" p="xl">
          <EmptyState icon={<IconChartBar size={32} />} withIndicatorBackground title={t('dash.empty')} description={t('dash.emptyHint')}>
            <EmptyState.Actions>
              {can('document:read') && (
                <Button component={Link} to={`/s/${scope.id}/policies`}>
                  {t('dash.goPolicies')}
                </Button>
              )}
              {can('training:read') && (
                <Button variant="default" component={Link} to={`/s/${scope.id}/training`}>
                  {t('dash.goTraining')}
                </Button>
              )}
            </EmptyState.Actions>
          </EmptyState>
        </Card>
      ) : (
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Ring label={t('dash.ring.policies')} c={sum(d.policies)} verb={t('dash.verb.acknowledgements')} />
            <Ring label={t('dash.ring.trainings')} c={sum(d.courses)} verb={t('dash.verb.assignmentsCompleted')} />
          </SimpleGrid>
          <Section title={t('dash.byPolicy')} empty={d.policies.length === 0 && t('dash.noPolicy')}>
            <Stack gap={0} data-testid="policy-rates">
              {d.policies.map((p) => (
                <RateRow
                  key={p.documentId}
                  reference={p.reference}
                  title={p.title}
                  to={`/s/${scope.id}/policies/${p.documentId}`}
                  rate={<Rate c={p} verb={t('dash.verb.acknowledged')} testId="policy-rate" />}
                />
              ))}
            </Stack>
          </Section>
          <Section title={t('dash.byCourse')} empty={d.courses.length === 0 && t('dash.noCourse')}>
            <Stack gap={0} data-testid="course-rates">
              {d.courses.map((c) => (
                <RateRow
                  key={c.courseId}
                  reference={c.reference}
                  title={c.title}
                  to={`/s/${scope.id}/training/courses/${c.courseId}`}
                  rate={<Rate c={c} verb={t('dash.verb.completed')} />}
                />
              ))}
            </Stack>
          </Section>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Section title={t('dash.byRole')}>
              <RatesTable
                heading={t('dash.role')}
                rows={d.byScopeRole.map((r) => ({ ...r, key: r.scopeRole, label: roleLabels[r.scopeRole as ScopeRole] ?? r.scopeRole }))}
              />
            </Section>
            <Section title={t('dash.byDepartment')}>
              <RatesTable
                heading={t('people.col.department')}
                rows={d.byDepartment.map((r) => ({
                  ...r,
                  key: r.department ?? '',
                  label: r.department ?? <Text c="dimmed">{t('dash.noDepartment')}</Text>,
                }))}
              />
            </Section>
          </SimpleGrid>
          <Card withBorder radius="md" p="lg">
            <Group justify="space-between" mb="sm" wrap="wrap">
              <Title order={5}>{t('dash.overduePeople')}</Title>
              <Group gap="xs" wrap="wrap" w={{ base: '100%', sm: 'auto' }}>
                {d.byDepartment.some((x) => x.department) && (
                  <Select
                    placeholder={t('dash.allDepartments')}
                    aria-label={t('people.col.department')}
                    clearable
                    w={{ base: '100%', sm: 180 }}
                    data={d.byDepartment.flatMap((x) => (x.department ? [x.department] : []))}
                    value={department}
                    onChange={(v) => {
                      setDepartment(v);
                      setPage(1);
                    }}
                  />
                )}
                <TextInput
                  placeholder={t('people.search')}
                  aria-label={t('people.search')}
                  leftSection={<IconSearch size={16} />}
                  rightSection={
                    search ? <CloseButton size="sm" aria-label={t('common:actions.clearSearch')} onClick={() => setSearch('')} /> : null
                  }
                  maxLength={searchLimit}
                  value={search}
                  onChange={(e) => {
                    setSearch(e.currentTarget.value);
                    setPage(1);
                  }}
                  w={{ base: '100%', sm: 240 }}
                />
              </Group>
            </Group>
            {overdue.error ? (
              <ErrorAlert error={overdue.error} />
            ) : !overdue.data ? (
              <TableSkeleton rows={3} />
            ) : overdue.data.total === 0 ? (
              <Text size="sm" c="dimmed" data-testid="overdue-empty">
                {q ? t('dash.nobodyMatches') : t('dash.nobodyOverdue')}
              </Text>
            ) : (
              <>
                <Table.ScrollContainer minWidth={640}>
                  <Table verticalSpacing="sm" data-testid="overdue-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('people.col.person')}</Table.Th>
                        <Table.Th>{t('people.col.department')}</Table.Th>
                        <Table.Th>{t('dash.col.policiesOverdue')}</Table.Th>
                        <Table.Th>{t('dash.col.trainingsOverdue')}</Table.Th>
                        <Table.Th>{t('dash.col.oldestDue')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {overdue.data.items.map((p) => (
                        <Table.Tr key={p.user.id}>
                          <Table.Td>
                            <Text size="sm">{p.user.name}</Text>
                            <Text size="xs" c="dimmed">
                              {p.user.email}
                            </Text>
                          </Table.Td>
                          <Table.Td>{p.department ?? '—'}</Table.Td>
                          <Table.Td>
                            {p.policies.overdue > 0 ? (
                              <Badge color="red" variant="light">
                                {p.policies.overdue}
                              </Badge>
                            ) : (
                              '—'
                            )}
                          </Table.Td>
                          <Table.Td>
                            {p.trainings.overdue > 0 ? (
                              <Badge color="red" variant="light">
                                {p.trainings.overdue}
                              </Badge>
                            ) : (
                              '—'
                            )}
                          </Table.Td>
                          <Table.Td>{formatDate(p.oldestOverdueOn)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                <ListPager
                  total={overdue.data.total}
                  of={overdue.data}
                  page={page}
                  pageSize={overdue.data.pageSize}
                  onPage={setPage}
                  tight
                />
              </>
            )}
          </Card>
          <Text size="xs" c="dimmed">
            {t('dash.asOf', { date: d.asOf.length === 10 ? formatDate(d.asOf) : formatDateTime(d.asOf) })}
          </Text>
        </Stack>
      )}
    </>
  );
}

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
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, formatDateTime, roleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import type { ScopeRole } from '../../app/types.ts';
import { ErrorAlert, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import type { Dashboard, PersonSummary } from './training-types.ts';

type C = { assigned: number; done: number; overdue: number; rate: number | null };

/** "3 of 5 acknowledged", a bar and the overdue count. */
function Rate({ c, verb, testId }: { c: C; verb: string; testId?: string }) {
  if (c.assigned === 0)
    return (
      <Text size="sm" c="dimmed">
        Nobody assigned
      </Text>
    );
  const pct = c.rate ?? 0;
  return (
    <Stack gap={4} miw={160}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={500} data-testid={testId}>
          {c.done} of {c.assigned} {verb}
        </Text>
        <Text size="xs" c="dimmed">
          {pct}%
        </Text>
      </Group>
      <Progress
        value={pct}
        color={pct >= 100 ? 'teal' : pct >= 80 ? 'praxis' : 'orange'}
        size="sm"
        radius="xl"
        aria-label={`${pct}% ${verb}`}
      />
      {c.overdue > 0 && (
        <Text size="xs" c="red.7">
          {c.overdue} overdue
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
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{heading}</Table.Th>
            <Table.Th>Policies</Table.Th>
            <Table.Th>Trainings</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.label}</Table.Td>
              <Table.Td>
                <Rate c={r.policies} verb="acknowledged" />
              </Table.Td>
              <Table.Td>
                <Rate c={r.trainings} verb="completed" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Ring({ label, c, verb }: { label: string; c: C; verb: string }) {
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
              {c.assigned ? `${Math.round(pct)}%` : '—'}
            </Text>
          }
        />
        <div>
          <Text fw={600}>{label}</Text>
          <Text size="sm" c="dimmed">
            {c.assigned ? `${c.done} of ${c.assigned} ${verb}` : 'Nothing assigned yet'}
          </Text>
          {c.overdue > 0 && (
            <Text size="sm" c="red.7" fw={500}>
              {c.overdue} overdue
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
      title="Awareness dashboard"
      description="Who has read and acknowledged the published policies, and who has completed the trainings assigned to them: by policy, course, role and department."
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
            Excel
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
          <EmptyState
            icon={<IconChartBar size={32} />}
            withIndicatorBackground
            title="Nothing to measure yet"
            description="Publish a policy to the people of this scope or assign a training course; their progress appears here."
          >
            <EmptyState.Actions>
              {can('document:read') && (
                <Button component={Link} to={`/s/${scope.id}/policies`}>
                  Go to policies
                </Button>
              )}
              {can('training:read') && (
                <Button variant="default" component={Link} to={`/s/${scope.id}/training`}>
                  Go to training
                </Button>
              )}
            </EmptyState.Actions>
          </EmptyState>
        </Card>
      ) : (
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Ring label="Policies acknowledged" c={sum(d.policies)} verb="acknowledgements" />
            <Ring label="Trainings completed" c={sum(d.courses)} verb="assignments completed" />
          </SimpleGrid>
          <Section title="By policy" empty={d.policies.length === 0 && 'No policy is published yet.'}>
            <Stack gap={0} data-testid="policy-rates">
              {d.policies.map((p) => (
                <RateRow
                  key={p.documentId}
                  reference={p.reference}
                  title={p.title}
                  to={`/s/${scope.id}/policies/${p.documentId}`}
                  rate={<Rate c={p} verb="acknowledged" testId="policy-rate" />}
                />
              ))}
            </Stack>
          </Section>
          <Section title="By course" empty={d.courses.length === 0 && 'No training course is assigned yet.'}>
            <Stack gap={0} data-testid="course-rates">
              {d.courses.map((c) => (
                <RateRow
                  key={c.courseId}
                  reference={c.reference}
                  title={c.title}
                  to={`/s/${scope.id}/training/courses/${c.courseId}`}
                  rate={<Rate c={c} verb="completed" />}
                />
              ))}
            </Stack>
          </Section>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Section title="By role in the scope">
              <RatesTable
                heading="Role"
                rows={d.byScopeRole.map((r) => ({ ...r, key: r.scopeRole, label: roleLabels[r.scopeRole as ScopeRole] ?? r.scopeRole }))}
              />
            </Section>
            <Section title="By department">
              <RatesTable
                heading="Department"
                rows={d.byDepartment.map((r) => ({
                  ...r,
                  key: r.department ?? '',
                  label: r.department ?? <Text c="dimmed">No department</Text>,
                }))}
              />
            </Section>
          </SimpleGrid>
          <Card withBorder radius="md" p="lg">
            <Group justify="space-between" mb="sm" wrap="wrap">
              <Title order={5}>People with overdue items</Title>
              <Group gap="xs" wrap="wrap" w={{ base: '100%', sm: 'auto' }}>
                {d.byDepartment.some((x) => x.department) && (
                  <Select
                    placeholder="All departments"
                    aria-label="Department"
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
                  placeholder="Search people"
                  aria-label="Search people"
                  leftSection={<IconSearch size={16} />}
                  rightSection={search ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setSearch('')} /> : null}
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
                {q ? 'Nobody matches.' : 'Nobody is overdue.'}
              </Text>
            ) : (
              <>
                <Table.ScrollContainer minWidth={640}>
                  <Table verticalSpacing="sm" data-testid="overdue-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Person</Table.Th>
                        <Table.Th>Department</Table.Th>
                        <Table.Th>Policies overdue</Table.Th>
                        <Table.Th>Trainings overdue</Table.Th>
                        <Table.Th>Oldest due date</Table.Th>
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
                <ListPager total={overdue.data.total} page={page} pageSize={overdue.data.pageSize} onPage={setPage} tight />
              </>
            )}
          </Card>
          <Text size="xs" c="dimmed">
            As of {d.asOf.length === 10 ? formatDate(d.asOf) : formatDateTime(d.asOf)}. Policies count the version in force; trainings count
            each person's latest round.
          </Text>
        </Stack>
      )}
    </>
  );
}

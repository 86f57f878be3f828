import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  Modal,
  MultiSelect,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconClipboardCheck, IconFileZip, IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, api, type Page, withQuery } from '../../app/api.ts';
import { ExportCsvButton, ListPager, SearchInput } from '../../app/ListParts.tsx';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifyError, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { formatDate, formatList } from '../../i18n/index.ts';
import {
  type Audit,
  type AuditDetail,
  type CreateAuditInput,
  frequencyLabels,
  type Programme,
  partyLabels,
  statusColors,
  statusLabels,
} from './audit-types.ts';
import { createAuditBody } from '../../../../server/src/processes/internal-audit/internal-audit.schemas.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { useProcessNames } from '../processes/process-names.ts';

const limits = textLimits(createAuditBody.shape);

const PAGE_SIZE = 25;
const shortList = (items: string[], more: (n: number) => string, max = 8) =>
  items.length > max ? `${formatList(items.slice(0, max))} ${more(items.length - max)}` : formatList(items);

function ProgrammeCard({ programme, onPlanUncovered }: { programme: Programme; onPlanUncovered?: (() => void) | undefined }) {
  const { t } = useTranslation('audits');
  const clausesCovered = programme.clauses.length - programme.uncovered.clauses.length;
  const controlsCovered = programme.controls.length - programme.uncovered.controls.length;
  const more = (count: number) => t('programme.more', { count });
  return (
    <Card withBorder radius="md" mb="lg" data-testid="audit-programme">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('programme.title')}</Title>
        <Text size="sm" c="dimmed">
          {programme.cycle
            ? t('programme.cycle', {
                number: programme.cycle.number,
                from: formatDate(programme.cycle.startsOn),
                to: formatDate(programme.cycle.endsOn),
              })
            : t('programme.noCycle')}
          {programme.owner && ` · ${t('programme.owner', { name: programme.owner.name })}`}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md">
        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="sm">{t('programme.clauses')}</Text>
            <Text size="sm" fw={600}>
              {clausesCovered} / {programme.clauses.length}
            </Text>
          </Group>
          <Progress value={(100 * clausesCovered) / Math.max(1, programme.clauses.length)} />
        </Stack>
        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="sm">{t('programme.controls')}</Text>
            <Text size="sm" fw={600}>
              {programme.soa ? `${controlsCovered} / ${programme.controls.length}` : '—'}
            </Text>
          </Group>
          <Progress value={programme.soa ? (100 * controlsCovered) / Math.max(1, programme.controls.length) : 0} />
          <Text size="xs" c="dimmed">
            {programme.soa
              ? t('programme.soa', { ref: programme.soa.reference, version: programme.soa.versionNumber })
              : t('programme.noSoa')}
          </Text>
        </Stack>
      </SimpleGrid>
      {programme.uncovered.clauses.length + programme.uncovered.controls.length > 0 ? (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} mb="md" data-testid="uncovered-warning">
          <Stack gap={4}>
            {programme.uncovered.clauses.length > 0 && (
              <Text size="sm">
                {t('programme.uncoveredClauses', {
                  count: programme.uncovered.clauses.length,
                  list: shortList(programme.uncovered.clauses, more),
                })}
              </Text>
            )}
            {programme.uncovered.controls.length > 0 && (
              <Text size="sm">
                {t('programme.uncoveredControls', {
                  count: programme.uncovered.controls.length,
                  list: shortList(programme.uncovered.controls, more),
                })}
              </Text>
            )}
            {onPlanUncovered && programme.cycle && (
              <Group>
                <Button size="compact-sm" variant="light" color="yellow" onClick={onPlanUncovered} data-testid="plan-uncovered">
                  {t('programme.planUncovered')}
                </Button>
              </Group>
            )}
          </Stack>
        </Alert>
      ) : (
        <Alert color="teal" variant="light" mb="md">
          {t('programme.allCovered')}
        </Alert>
      )}
      <Text fw={600} size="sm">
        {t('programme.frequencies')}
      </Text>
      <Text size="xs" c="dimmed" mb="xs">
        {t('programme.frequencyHint')}
      </Text>
      <Table.ScrollContainer minWidth={600}>
        <Table verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('programme.area')}</Table.Th>
              <Table.Th>{t('programme.suggested')}</Table.Th>
              <Table.Th>{t('programme.why')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {programme.areas.map((a) => (
              <Table.Tr key={a.area}>
                <Table.Td>{a.title}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={a.frequency === 'twice_a_year' ? 'red' : a.frequency === 'yearly' ? 'orange' : 'gray'}>
                    {frequencyLabels[a.frequency]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {formatList(
                    a.reasons.map((r) =>
                      r.code === 'majorFindings'
                        ? t('reason.majorFindings', { count: r.count ?? 0 })
                        : r.code === 'minorFindings'
                          ? t('reason.minorFindings', { count: r.count ?? 0 })
                          : r.code === 'topRiskLevel'
                            ? t('reason.topRiskLevel', { level: r.level ?? '' })
                            : r.code === 'upperRiskLevel'
                              ? t('reason.upperRiskLevel', { level: r.level ?? '' })
                              : t('reason.quiet'),
                    ),
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

function PlanAuditModal({
  opened,
  onClose,
  programme,
  prefill,
}: {
  opened: boolean;
  onClose: () => void;
  programme: Programme | undefined;
  /** what stays uncovered, when planned from the programme's warning */
  prefill: { clauses: string[]; requirementIds: string[] } | null;
}) {
  const { t } = useTranslation('audits');
  const scope = useCurrentScope();
  const members = useMembers(scope.id, opened);
  // the processes' names as the server words them for the reader
  const processes = useProcessNames(scope.id, opened);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [needsJustification, setNeedsJustification] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      title: '',
      scope: '',
      source: 'internal' as 'internal' | 'external',
      externalParty: null as string | null,
      externalOrganisation: '',
      clauses: [] as string[],
      requirementIds: [] as string[],
      processes: [] as string[],
      leadAuditorId: null as string | null,
      teamIds: [] as string[],
      plannedStart: '',
      plannedEnd: '',
      independenceJustification: '',
    },
    validate: {
      title: (v) => (v.trim() ? null : t('form.title')),
      plannedStart: (v) => (v ? null : t('form.start')),
      plannedEnd: (v) => (v ? null : t('form.end')),
    },
  });
  // planned from the programme's warning: the criteria start with what stays uncovered
  // biome-ignore lint/correctness/useExhaustiveDependencies: fill the form once per opening
  useEffect(() => {
    if (opened && prefill) form.setValues({ clauses: prefill.clauses, requirementIds: prefill.requirementIds });
  }, [opened, prefill]);
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body: CreateAuditInput = {
        title: v.title,
        scope: v.scope,
        source: v.source,
        externalParty: v.source === 'external' ? ((v.externalParty as CreateAuditInput['externalParty']) ?? null) : null,
        externalOrganisation: v.source === 'external' ? v.externalOrganisation : '',
        criteria: { clauses: v.clauses, requirementIds: v.requirementIds, processes: v.processes },
        leadAuditorId: v.leadAuditorId,
        teamIds: v.teamIds,
        plannedStart: v.plannedStart,
        plannedEnd: v.plannedEnd,
        ...(needsJustification && { independenceJustification: v.independenceJustification }),
      };
      return api.post<AuditDetail, CreateAuditInput>(`/api/scopes/${scope.id}/audits`, body);
    },
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: ['audits', scope.id] });
      void qc.invalidateQueries({ queryKey: ['audit-programme', scope.id] });
      notifySuccess(t('form.saved', { ref: a.reference }));
      onClose();
      form.reset();
      setNeedsJustification(null);
      void navigate(`/s/${scope.id}/audits/${a.id}`);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.field === 'body.independenceJustification') {
        setNeedsJustification(e.message);
        return;
      }
      if (
        !applyFieldError(form, e, {
          'body.criteria.clauses': 'clauses',
          'body.criteria.processes': 'processes',
          'body.criteria.requirementIds': 'requirementIds',
        })
      )
        notifyError(e);
    },
  });
  const memberData = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));
  return (
    <Modal opened={opened} onClose={onClose} title={t('list.plan')} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <TextInput label={t('form.title')} required data-testid="audit-title" maxLength={limits.title} {...form.getInputProps('title')} />
          <Textarea
            label={t('form.scope')}
            description={t('form.scopeHint')}
            autosize
            minRows={2}
            maxLength={limits.scope}
            {...form.getInputProps('scope')}
          />
          <SegmentedControl
            data={[
              { value: 'internal', label: t('form.internal') },
              { value: 'external', label: t('form.external') },
            ]}
            {...form.getInputProps('source')}
          />
          {form.values.source === 'external' && (
            <Group grow>
              <Select
                label={t('form.party')}
                required
                data={(['certification_body', 'customer', 'supplier'] as const).map((p) => ({ value: p, label: partyLabels[p] }))}
                {...form.getInputProps('externalParty')}
              />
              <TextInput
                label={t('form.organisation')}
                maxLength={limits.externalOrganisation}
                {...form.getInputProps('externalOrganisation')}
              />
            </Group>
          )}
          <MultiSelect
            label={t('form.clauses')}
            searchable
            data-testid="audit-clauses"
            data={(programme?.clauses ?? []).map((c) => ({ value: c.clause, label: `${c.clause} ${c.title}` }))}
            {...form.getInputProps('clauses')}
          />
          <MultiSelect
            label={t('form.requirements')}
            searchable
            disabled={!programme?.soa}
            description={programme?.soa ? undefined : t('programme.noSoa')}
            data={(programme?.controls ?? []).map((c) => ({ value: c.id, label: `${c.identifier} ${c.title}` }))}
            {...form.getInputProps('requirementIds')}
          />
          <MultiSelect
            label={t('form.processes')}
            searchable
            data={processes.options}
            data-testid="audit-processes"
            {...form.getInputProps('processes')}
          />
          <Group grow>
            <Select
              label={t('form.lead')}
              searchable
              clearable
              data={memberData}
              data-testid="audit-lead"
              {...form.getInputProps('leadAuditorId')}
            />
            <MultiSelect label={t('form.team')} searchable data={memberData} {...form.getInputProps('teamIds')} />
          </Group>
          <Group grow>
            <TextInput type="date" label={t('form.start')} required data-testid="audit-start" {...form.getInputProps('plannedStart')} />
            <TextInput
              type="date"
              label={t('form.end')}
              required
              min={form.values.plannedStart || undefined}
              data-testid="audit-end"
              {...form.getInputProps('plannedEnd')}
            />
          </Group>
          {needsJustification && (
            <>
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
                {needsJustification}
              </Alert>
              <Textarea
                label={t('form.justification')}
                description={t('form.justificationHint')}
                required
                autosize
                minRows={2}
                maxLength={limits.independenceJustification}
                {...form.getInputProps('independenceJustification')}
              />
            </>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} data-testid="audit-save">
              {t('form.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function AuditsPage() {
  const { t } = useTranslation('audits');
  const scope = useCurrentScope();
  const can = useCan();
  const [status, setStatus] = useState('active');
  const [source, setSource] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 250);
  const [page, setPage] = useState(1);
  const [planning, { open, close }] = useDisclosure(false);
  const [prefill, setPrefill] = useState<{ clauses: string[]; requirementIds: string[] } | null>(null);
  const filters = { status: status === 'all' ? undefined : status, source: source ?? undefined, q: debouncedQ || undefined };
  const query = { ...filters, page, pageSize: PAGE_SIZE };
  const programme = useQuery({
    queryKey: ['audit-programme', scope.id],
    queryFn: () => api.get<Programme>(`/api/scopes/${scope.id}/audit-programme`),
  });
  const list = useQuery({
    queryKey: ['audits', scope.id, query],
    queryFn: () => api.get<Page<Audit>>(`/api/scopes/${scope.id}/audits`, query),
    placeholderData: (p) => p,
  });
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <Group gap="sm">
            {can('audit:read') && (
              <Button
                variant="default"
                component="a"
                href={`/api/scopes/${scope.id}/audit-pack.zip`}
                download
                title={t('pack.hint')}
                leftSection={<IconFileZip size={16} />}
                data-testid="audit-pack"
              >
                {t('pack.download')}
              </Button>
            )}
            {can('audit-programme:manage') && (
              <Button leftSection={<IconPlus size={16} />} onClick={open} data-testid="plan-audit">
                {t('list.plan')}
              </Button>
            )}
          </Group>
        }
      />
      <PlanAuditModal
        opened={planning}
        onClose={() => {
          close();
          setPrefill(null);
        }}
        programme={programme.data}
        prefill={prefill}
      />
      <ErrorAlert error={programme.error} />
      {programme.data && (
        <ProgrammeCard
          programme={programme.data}
          onPlanUncovered={
            can('audit-programme:manage')
              ? () => {
                  const p = programme.data!;
                  setPrefill({
                    clauses: p.uncovered.clauses,
                    requirementIds: p.controls.filter((c) => p.uncovered.controls.includes(c.identifier)).map((c) => c.id),
                  });
                  open();
                }
              : undefined
          }
        />
      )}
      <Card withBorder radius="md" p={0}>
        <Group p="md" gap="sm" justify="space-between">
          <Group gap="sm">
            <SegmentedControl
              value={status}
              onChange={(v) => {
                setStatus(v);
                setPage(1);
              }}
              data={[
                { value: 'active', label: t('list.filter.active') },
                { value: 'closed', label: t('list.filter.closed') },
                { value: 'all', label: t('list.filter.all') },
              ]}
            />
            <Select
              w={200}
              value={source}
              onChange={(v) => {
                setSource(v);
                setPage(1);
              }}
              placeholder={t('list.source.any')}
              clearable
              data={[
                { value: 'internal', label: t('list.source.internal') },
                { value: 'external', label: t('list.source.external') },
              ]}
            />
            <SearchInput
              placeholder={t('list.search')}
              value={q}
              onChange={(value) => {
                setQ(value);
                setPage(1);
              }}
              w={220}
            />
          </Group>
          <ExportCsvButton href={withQuery(`/api/scopes/${scope.id}/audits.csv`, filters)} />
        </Group>
        <ErrorAlert error={list.error} />
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.data?.total === 0 ? (
          <EmptyState
            py={48}
            icon={<IconClipboardCheck size={36} />}
            withIndicatorBackground
            title={t('list.empty')}
            description={t('list.emptyHint')}
          />
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('list.col.audit')}</Table.Th>
                  <Table.Th>{t('list.col.status')}</Table.Th>
                  <Table.Th>{t('list.col.dates')}</Table.Th>
                  <Table.Th>{t('list.col.lead')}</Table.Th>
                  <Table.Th>{t('list.col.findings')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data?.items.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/s/${scope.id}/audits/${a.id}`} fw={500} size="sm">
                        <Ref>{a.reference}</Ref> {a.title}
                      </Anchor>
                      {a.source === 'external' && a.externalParty && (
                        <Text size="xs" c="dimmed">
                          {t('list.external', { party: [partyLabels[a.externalParty], a.externalOrganisation].filter(Boolean).join(', ') })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={statusColors[a.status]} variant="light">
                        {statusLabels[a.status]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {formatDate(a.plannedStart)} – {formatDate(a.plannedEnd)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{a.leadAuditor?.name ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{a.findings}</Text>
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

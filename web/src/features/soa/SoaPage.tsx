import { Alert, Anchor, Badge, Box, Button, Card, Group, Menu, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  IconAlertTriangle,
  IconChecks,
  IconDownload,
  IconFileSpreadsheet,
  IconFileTypeDocx,
  IconFileTypePdf,
  IconJson,
  IconListSearch,
  IconRefresh,
  IconSend,
} from '@tabler/icons-react';
import { Fragment, type ReactNode, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListEmpty, ListPager, SearchInput } from '../../app/ListParts.tsx';
import { ApiError, api, errorMessage, type Page, withQuery } from '../../app/api.ts';
import { formatDate, formatDateTime, options } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { ErrorAlert, notifySuccess, PageHeader, PageLoader, Ref, TableSkeleton, useConfirm } from '../../app/ui.tsx';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import type { Requirement } from '../catalogs/catalog-types.ts';
import { formatList } from '../../i18n/index.ts';
import { implementationLabels, soaStatusColors, soaStatusLabels } from './soa-labels.ts';
import type { Soa, SoaEntry, SoaEntryPage, SoaVersionInput, SoaVersions } from './soa-types.ts';
import { SoaEntryRow } from './SoaEntryRow.tsx';

const PAGE_SIZE = 100;

function Count({ label, value, color, testId }: { label: string; value: number; color?: string; testId: string }) {
  return (
    <Box p="sm" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }} bg="white">
      <Text fz={22} fw={700} c={color} data-testid={testId}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Box>
  );
}

/**
 * A Statement of Applicability (ISO 27001 6.1.3 d): every control of the catalog with its applicability, justification,
 * implementation status and linked controls; submit and approve freeze a version; exports for the auditor.
 */
export function SoaPage() {
  const { t } = useTranslation('soa');
  const { id = '' } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const qc = useQueryClient();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const { params, set, clear } = useUrlFilters();
  const { confirm, dialog } = useConfirm();
  const { search, setSearch } = useUrlSearch({ params, set });
  const [busy, setBusy] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<{ title: string; error: unknown } | null>(null);
  const version = Number(params.get('version')) || undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const filters = {
    applicable: params.get('applicable') || undefined,
    status: params.get('status') || undefined,
    group: params.get('group') || undefined,
    justification: params.get('justification') || undefined,
    q: params.get('q') || undefined,
  };

  const base = `/api/scopes/${scopeId}/soa/${id}`;
  const soa = useQuery({ queryKey: ['soa', scopeId, id], queryFn: () => api.get<Soa>(base) });
  const versions = useQuery({ queryKey: ['soa-versions', scopeId, id], queryFn: () => api.get<SoaVersions>(`${base}/versions`) });
  const query = { ...filters, version, page, pageSize: PAGE_SIZE };
  const entries = useQuery({
    queryKey: ['soa-entries', scopeId, id, query],
    queryFn: () => api.get<SoaEntryPage>(`${base}/entries`, query),
    placeholderData: (p) => p,
  });

  // applicable entries without a justification: listed before the user submits (ISO 27001 6.1.3 d)
  const unjustified = soa.data?.counts.unjustifiedInclusions ?? 0;
  const missing = useQuery({
    queryKey: ['soa-entries', scopeId, id, { applicable: 'yes', justification: 'missing', pageSize: 200 }],
    queryFn: () => api.get<SoaEntryPage>(`${base}/entries`, { applicable: 'yes', justification: 'missing', pageSize: 200 }),
    enabled: unjustified > 0 && soa.data?.status === 'draft' && version === undefined,
  });

  // the catalog's groups (themes, families) for the group filter
  const catalogId = soa.data?.catalog.id;
  const groups = useQuery({
    queryKey: ['catalog-requirements', scopeId, catalogId, { kind: 'group', pageSize: 500 }],
    queryFn: () =>
      api.get<Page<Requirement>>(`/api/scopes/${scopeId}/catalogs/${catalogId}/requirements`, { kind: 'group', pageSize: 500 }),
    enabled: !!catalogId,
    staleTime: 5 * 60_000,
  });

  if (soa.isPending) return <PageLoader />;
  if (soa.error)
    return (
      <>
        <PageHeader title={t('list.title')} crumbs={[{ label: t('list.title'), to: `/s/${scopeId}/soa` }]} />
        <ErrorAlert error={soa.error} />
      </>
    );
  const s = soa.data;
  const viewingVersion = version !== undefined;
  // a change to a submitted or approved SoA starts a new draft (the approved versions stay as they were)
  const editable = can('soa:write') && !viewingVersion;

  const refreshAll = () => {
    void qc.invalidateQueries({ queryKey: ['soa', scopeId, id] });
    void qc.invalidateQueries({ queryKey: ['soa-entries', scopeId, id] });
    void qc.invalidateQueries({ queryKey: ['soa-versions', scopeId, id] });
    void qc.invalidateQueries({ queryKey: ['soas', scopeId] });
    void qc.invalidateQueries({ queryKey: ['audit', scopeId] });
  };
  /** submit, approve, refresh: each sends the SoA's version; a refusal stays on the page with the server's reason */
  const act = async (action: 'refresh' | 'submit' | 'approve', title: string, done: string) => {
    setBusy(action);
    setRefusal(null);
    try {
      // a refresh takes no body; submit and approve send the version
      if (action === 'refresh') await api.post(`${base}/refresh`);
      else await api.post<Soa, SoaVersionInput>(`${base}/${action}`, { version: s.version });
      notifySuccess(done);
      refreshAll();
    } catch (e) {
      setRefusal({
        title,
        error: e instanceof ApiError && e.code === 'version_conflict' ? new Error(t('page.conflict')) : e,
      });
      refreshAll();
    } finally {
      setBusy(null);
    }
  };
  const approve = async () => {
    const ok = await confirm({
      title: t('page.approve.title', { version: s.draftNumber }),
      message: t('page.approve.message', { count: s.counts.total, version: s.draftNumber, reference: s.reference }),
      confirmLabel: t('page.approve.confirm'),
      color: 'green',
    });
    if (ok) await act('approve', t('page.approve.not'), t('page.approve.done', { version: s.draftNumber }));
  };
  const onSaved = (e: SoaEntry) => {
    qc.setQueriesData<SoaEntryPage>({ queryKey: ['soa-entries', scopeId, id] }, (old) =>
      old ? { ...old, items: old.items.map((x) => (x.id === e.id ? e : x)) } : old,
    );
    void qc.invalidateQueries({ queryKey: ['soa', scopeId, id] });
    void qc.invalidateQueries({ queryKey: ['soas', scopeId] });
  };

  const exportHref = (ext: 'xlsx' | 'pdf' | 'docx' | 'json') => withQuery(`${base}/export.${ext}`, { version });
  const exportMenu = (
    <Menu position="bottom-end" shadow="md">
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} />} data-testid="soa-export">
          {t('page.export')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{viewingVersion ? t('list.approvedVersion', { version }) : t('page.workingCopy')}</Menu.Label>
        <Menu.Item
          component="a"
          href={exportHref('xlsx')}
          download
          leftSection={<IconFileSpreadsheet size={16} />}
          data-testid="export-xlsx"
        >
          {t('page.xlsx')}
        </Menu.Item>
        <Menu.Item component="a" href={exportHref('pdf')} download leftSection={<IconFileTypePdf size={16} />} data-testid="export-pdf">
          {t('page.pdf')}
        </Menu.Item>
        <Menu.Item component="a" href={exportHref('docx')} download leftSection={<IconFileTypeDocx size={16} />} data-testid="export-docx">
          {t('page.docx')}
        </Menu.Item>
        <Menu.Item component="a" href={exportHref('json')} download leftSection={<IconJson size={16} />} data-testid="export-oscal">
          {t('page.oscal')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );

  const actions = !viewingVersion && (
    <>
      {can('soa:write') && (
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} />}
          loading={busy === 'refresh'}
          onClick={() => void act('refresh', t('page.refresh.not'), t('page.refresh.done'))}
          data-testid="soa-refresh"
        >
          {t('page.refresh.button')}
        </Button>
      )}
      {can('soa:write') && s.status === 'draft' && (
        <Button
          leftSection={<IconSend size={16} />}
          loading={busy === 'submit'}
          onClick={() => void act('submit', t('page.submit.not'), t('page.submit.done', { reference: s.reference }))}
          data-testid="soa-submit"
        >
          {t('page.submit.button')}
        </Button>
      )}
      {can('soa:approve') && s.status === 'submitted' && (
        <Button
          color="green"
          leftSection={<IconChecks size={16} />}
          loading={busy === 'approve'}
          onClick={approve}
          data-testid="soa-approve"
        >
          {t('page.approve.button')}
        </Button>
      )}
    </>
  );

  const versionData = [
    { value: 'draft', label: t('page.workingCopyDraft', { version: s.draftNumber }) },
    ...(versions.data?.items ?? []).map((v) => ({
      value: String(v.number),
      label: t('page.approvedOn', { version: v.number, date: formatDate(v.approvedAt) }),
    })),
  ];
  const currentVersion = versions.data?.items.find((v) => v.number === version);
  const filtered = !!(filters.applicable || filters.status || filters.group || filters.q);

  let body: ReactNode;
  if (entries.error) body = <ErrorAlert error={entries.error} />;
  else if (entries.isPending) body = <TableSkeleton />;
  else if (entries.data.items.length === 0)
    body = (
      <ListEmpty
        py={48}
        icon={<IconListSearch size={30} />}
        withIndicatorBackground
        title={filtered ? t('page.empty.filtered') : t('page.empty.none')}
        description={filtered ? t('page.empty.filteredHint') : t('page.empty.hint')}
        filtered={filtered}
        onClear={() => {
          setSearch('');
          clear(['version']);
        }}
      />
    );
  else {
    let lastGroup: string | null | undefined;
    const rows = entries.data.items.map((e) => {
      const groupKey = e.group?.identifier ?? null;
      const heading = groupKey !== lastGroup && e.group;
      lastGroup = groupKey;
      const row = <SoaEntryRow entry={e} scopeId={scopeId} soaId={id} editable={editable} phone={!!phone} onSaved={onSaved} />;
      const headingNode =
        heading && e.group ? (
          phone ? (
            <Box px="sm" py={8} bg="gray.1" data-testid="soa-group">
              <Text size="sm" fw={700}>
                {e.group.label} {e.group.title}
              </Text>
            </Box>
          ) : (
            <Table.Tr bg="gray.1" data-testid="soa-group">
              <Table.Td colSpan={5}>
                <Text size="sm" fw={700}>
                  {e.group.label} {e.group.title}
                </Text>
              </Table.Td>
            </Table.Tr>
          )
        ) : null;
      return (
        <Fragment key={e.id}>
          {headingNode}
          {row}
        </Fragment>
      );
    });
    body = phone ? (
      <Box data-testid="soa-entries">{rows}</Box>
    ) : (
      <Table.ScrollContainer minWidth={980}>
        <Table verticalSpacing="xs" data-testid="soa-entries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('page.col.requirement')}</Table.Th>
              <Table.Th>{t('applicable.yes')}</Table.Th>
              <Table.Th>{t('page.col.justification')}</Table.Th>
              <Table.Th>{t('page.col.implementation')}</Table.Th>
              <Table.Th>{t('page.col.controls')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{rows}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  const total = entries.data?.total ?? 0;
  return (
    <>
      {dialog}
      <PageHeader
        documentTitle={`${s.reference} ${s.title}`}
        crumbs={[{ label: t('list.title'), to: `/s/${scopeId}/soa` }, { label: s.reference }]}
        title={s.title}
        description={
          <Group gap="xs" component="span" mt={4}>
            <Ref>{s.reference}</Ref>
            <Badge variant="light" color={soaStatusColors[s.status]} data-testid="soa-status">
              {soaStatusLabels[s.status]}
            </Badge>
            <Text span size="sm" c="dimmed">
              {s.catalog.title} ({s.catalog.version}) ·{' '}
              {s.approvedNumber ? t('page.approvedVersionLower', { version: s.approvedNumber }) : t('page.notApprovedYet')}
              {s.status === 'submitted' &&
                s.submittedBy &&
                ` · ${t('page.submittedBy', { name: s.submittedBy.name, date: formatDateTime(s.submittedAt) })}`}
            </Text>
          </Group>
        }
        actions={
          <>
            {actions}
            {exportMenu}
          </>
        }
      />
      <Stack gap="md">
        {refusal && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={refusal.title}
            withCloseButton
            onClose={() => setRefusal(null)}
            data-testid="soa-refusal"
          >
            {errorMessage(refusal.error)}
          </Alert>
        )}
        {(versions.data?.items.length ?? 0) > 0 && (
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" fw={500}>
              {t('page.showing')}
            </Text>
            <Select
              w={{ base: '100%', sm: 340 }}
              value={version ? String(version) : 'draft'}
              onChange={(v) => set({ version: v && v !== 'draft' ? v : null })}
              data={versionData}
              allowDeselect={false}
              aria-label={t('page.version')}
              data-testid="soa-version"
            />
          </Group>
        )}
        {viewingVersion ? (
          <Alert color="blue" variant="light" title={t('list.approvedVersion', { version })} data-testid="soa-version-banner">
            {currentVersion
              ? t('page.frozenBy', {
                  name: currentVersion.approvedBy?.name ?? t('page.aUser'),
                  date: formatDateTime(currentVersion.approvedAt),
                  applicable: currentVersion.applicableCount,
                  excluded: currentVersion.excludedCount,
                })
              : t('page.frozen')}
          </Alert>
        ) : (
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
              <Count label={t('page.count.entries')} value={s.counts.total} testId="soa-count-total" />
              <Count label={t('applicable.yes')} value={s.counts.applicable} color="teal.8" testId="soa-count-applicable" />
              <Count label={t('applicable.no')} value={s.counts.excluded} testId="soa-count-excluded" />
              <Count
                label={t('applicable.undecided')}
                value={s.counts.undecided}
                color={s.counts.undecided ? 'orange.8' : undefined}
                testId="soa-count-undecided"
              />
            </SimpleGrid>
            {s.status === 'draft' && (s.counts.undecided > 0 || s.counts.unjustifiedExclusions > 0) && (
              <Text size="sm" c="dimmed">
                {t('page.before')}{' '}
                {formatList(
                  [
                    s.counts.undecided > 0 && t('page.decide', { count: s.counts.undecided }),
                    s.counts.unjustifiedExclusions > 0 && t('page.justify', { count: s.counts.unjustifiedExclusions }),
                  ].filter((x): x is string => !!x),
                )}
                .{' '}
                {s.counts.undecided > 0 && (
                  <Button variant="subtle" size="compact-sm" onClick={() => set({ applicable: 'undecided' })}>
                    {t('page.showUndecided')}
                  </Button>
                )}
              </Text>
            )}
            {s.status === 'draft' && s.counts.unjustifiedInclusions > 0 && (
              <Alert
                color="orange"
                variant="light"
                icon={<IconAlertTriangle size={18} />}
                title={t('page.missingJustification.title', { count: s.counts.unjustifiedInclusions })}
                data-testid="soa-missing-justifications"
              >
                <Text size="sm" mb="xs">
                  {t('page.missingJustification.text')}
                </Text>
                <Group gap="xs" wrap="wrap">
                  {(missing.data?.items ?? []).map((e) => (
                    <Anchor
                      key={e.id}
                      component="button"
                      type="button"
                      size="sm"
                      onClick={() => set({ q: e.requirement.label, applicable: null, status: null, group: null, justification: null })}
                      title={e.requirement.title}
                      data-testid="soa-missing-justification"
                    >
                      {e.requirement.label} {e.requirement.title}
                    </Anchor>
                  ))}
                </Group>
                <Button
                  mt="xs"
                  variant="subtle"
                  size="compact-sm"
                  onClick={() => set({ applicable: 'yes', justification: 'missing', q: null, status: null, group: null })}
                >
                  {t('page.missingJustification.showAll')}
                </Button>
              </Alert>
            )}
            {s.status === 'approved' && (
              <Text size="sm" c="dimmed">
                {t('page.approvedNote', { version: s.approvedNumber })}
              </Text>
            )}
            {s.status === 'submitted' && (
              <Text size="sm" c="dimmed">
                {t('page.submittedNote')}
              </Text>
            )}
          </>
        )}
        <Card withBorder radius="md" p={0}>
          <Stack gap="xs" p="md">
            <Group gap="sm" wrap="wrap">
              <SearchInput
                placeholder={t('page.search')}
                aria-label={t('page.searchLabel')}
                value={search}
                onChange={setSearch}
                w={{ base: '100%', sm: 240 }}
                data-testid="soa-search"
              />
              <Select
                placeholder={t('page.anyApplicability')}
                clearable
                w={{ base: 'calc(50% - 6px)', sm: 170 }}
                value={filters.applicable ?? null}
                onChange={(v) => set({ applicable: v })}
                data={[
                  { value: 'yes', label: t('applicable.yes') },
                  { value: 'no', label: t('applicable.no') },
                  { value: 'undecided', label: t('applicable.undecided') },
                ]}
                aria-label={t('page.applicability')}
                data-testid="filter-applicable"
              />
              <Select
                placeholder={t('page.anyImplementation')}
                clearable
                w={{ base: 'calc(50% - 6px)', sm: 180 }}
                value={filters.status ?? null}
                onChange={(v) => set({ status: v })}
                data={options(implementationLabels)}
                aria-label={t('page.implementationStatus')}
                data-testid="filter-implementation"
              />
              {(groups.data?.items.length ?? 0) > 1 && (
                <Select
                  placeholder={t('page.allGroups')}
                  clearable
                  searchable
                  w={{ base: '100%', sm: 240 }}
                  value={filters.group ?? null}
                  onChange={(v) => set({ group: v })}
                  data={(groups.data?.items ?? []).map((g) => ({
                    value: g.identifier,
                    label: `${'  '.repeat(g.depth)}${g.label} ${g.title}`.trim(),
                  }))}
                  aria-label={t('page.group')}
                  data-testid="filter-group"
                />
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {entries.data ? t(filtered ? 'page.countMatching' : 'page.countAll', { count: total }) : ' '}
            </Text>
          </Stack>
          {body}
          <ListPager total={total} of={entries.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: String(p) })} />
        </Card>
        {(versions.data?.items.length ?? 0) > 0 && (
          <Card withBorder radius="md" p="md" data-testid="soa-versions">
            <Title order={5} mb="sm">
              {t('page.approvedVersions')}
            </Title>
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="xs" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('page.col.version')}</Table.Th>
                    <Table.Th>{t('page.col.approved')}</Table.Th>
                    <Table.Th>{t('page.col.submittedBy')}</Table.Th>
                    <Table.Th ta="right">{t('applicable.yes')}</Table.Th>
                    <Table.Th ta="right">{t('applicable.no')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {versions.data?.items.map((v) => (
                    <Table.Tr key={v.number}>
                      <Table.Td fw={600}>{v.number}</Table.Td>
                      <Table.Td>
                        {formatDateTime(v.approvedAt)} · {v.approvedBy?.name ?? '—'}
                      </Table.Td>
                      <Table.Td>{v.submittedBy?.name ?? '—'}</Table.Td>
                      <Table.Td ta="right">{v.applicableCount}</Table.Td>
                      <Table.Td ta="right">{v.excludedCount}</Table.Td>
                      <Table.Td ta="right">
                        <Button size="compact-xs" variant="subtle" onClick={() => set({ version: String(v.number) })}>
                          {t('page.open')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        )}
      </Stack>
    </>
  );
}

import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Drawer,
  EmptyState,
  Grid,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArchive, IconLock, IconLockOpen, IconPlus, IconTrash } from '@tabler/icons-react';
import { type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import { useTranslation } from 'react-i18next';
import type * as s from '../../../../server/src/processes/records-control/record.schemas.ts';
import { countText, ListCount, ListEmpty, ListPager, SearchInput } from '../../app/ListParts.tsx';
import { ApiError, api, type Page } from '../../app/api.ts';
import { formatDate, formatDateTime, labelsOf, options } from '../../app/labels.ts';
import i18n from '../../i18n/index.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifyError, notifySuccess, PageHeader, Ref, TableSkeleton, useConfirm } from '../../app/ui.tsx';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import type { DocumentItem } from '../policies/policy-types.ts';
import { useProcessNames } from '../processes/process-names.ts';
import { createRecordBody, disposeRecordBody, legalHoldBody } from '../../../../server/src/processes/records-control/record.schemas.ts';
import { NumberField, numberLimits, textLimits } from '../../app/FormParts.tsx';

const limits = textLimits(createRecordBody.shape);
const retentionLimits = numberLimits(createRecordBody.shape).retentionMonths;
const holdLimits = textLimits(legalHoldBody.shape);
const disposeLimits = textLimits(disposeRecordBody.shape);

type RecordItem = z.infer<typeof s.recordResponse>;
type CreateRecordInput = z.input<typeof s.createRecordBody>;
type UpdateRecordInput = z.input<typeof s.updateRecordBody>;
type LegalHoldInput = z.input<typeof s.legalHoldBody>;
type DisposeRecordInput = z.input<typeof s.disposeRecordBody>;
type Cls = NonNullable<CreateRecordInput['classification']>;
type LinkedType = NonNullable<CreateRecordInput['linkedRecord']>['recordType'];

const PAGE_SIZE = 25;
const classificationLabels: Record<Cls, string> = labelsOf('records:classification', [
  'public',
  'internal',
  'confidential',
  'strictly_confidential',
]);
const linkedTypeLabels: Record<LinkedType, string> = labelsOf('records:linkedType', [
  'document',
  'evidence',
  'incident',
  'asset',
  'risk',
  'change_request',
  'nonconformity',
  'control',
]);
const linkedPath: Record<string, string> = {
  document: 'policies',
  incident: 'incidents',
  asset: 'assets',
  risk: 'risks',
  change_request: 'changes',
  nonconformity: 'improvement',
  control: 'controls',
};
const retentionText = (months: number) =>
  months === 0
    ? i18n.t('records:retention.none')
    : months % 12 === 0
      ? i18n.t('records:retention.years', { count: months / 12 })
      : i18n.t('records:retention.months', { count: months });

function StateBadges({ r }: { r: RecordItem }) {
  const { t } = useTranslation('records');
  return (
    <Group gap={4} wrap="wrap">
      {r.status === 'disposed' ? (
        <Badge color="dark" variant="light">
          {t('state.disposed')}
        </Badge>
      ) : r.legalHold ? (
        <Badge color="red" variant="light" leftSection={<IconLock size={11} />}>
          {t('state.legalHold')}
        </Badge>
      ) : r.disposable ? (
        <Badge color="orange" variant="light">
          {t('state.due')}
        </Badge>
      ) : (
        <Badge color="teal" variant="light">
          {t('state.kept')}
        </Badge>
      )}
    </Group>
  );
}

/** Records control (ISO 27001 7.5.3, A.5.33): the register of documented information and the disposal queue. */
export function RecordsPage() {
  const { t } = useTranslation('records');
  const scope = useCurrentScope();
  const can = useCan();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const { params, set, clear } = useUrlFilters();
  const tab = params.get('tab') === 'disposal' ? 'disposal' : 'register';
  const { search, setSearch } = useUrlSearch({ params, set });
  const [open, setOpen] = useState<RecordItem | null>(null);
  const [creating, setCreating] = useState(false);
  const [disposing, setDisposing] = useState<RecordItem | null>(null);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = {
    page,
    pageSize: PAGE_SIZE,
    q: params.get('q') || undefined,
    processKey: params.get('processKey') || undefined,
    status: params.get('status') || undefined,
    legalHold: params.get('legalHold') || undefined,
    sort: params.get('sort') || undefined,
  };
  const base = `/api/scopes/${scope.id}/records`;
  const list = useQuery({
    queryKey: ['records', scope.id, query],
    queryFn: () => api.get<Page<RecordItem>>(base, query),
    placeholderData: (p) => p,
    enabled: tab === 'register',
  });
  const queue = useQuery({
    queryKey: ['records', scope.id, 'disposal', page],
    queryFn: () => api.get<Page<RecordItem>>(`${base}/disposal-queue`, { page, pageSize: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  // the processes' names as the server words them for the reader
  const processes = useProcessNames(scope.id);
  const filtered = !!(query.q || query.processKey || query.status || query.legalHold);
  const newButton = can('record:write') && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="new-record">
      {t('page.new')}
    </Button>
  );
  const current = tab === 'register' ? list : queue;
  const table = (items: RecordItem[], disposal: boolean) =>
    phone ? (
      <Stack gap="sm" p="sm" data-testid="record-table">
        {items.map((r) => (
          <Card key={r.id} withBorder radius="md" p="sm" className="row-link" onClick={() => setOpen(r)} data-testid="record-row">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Ref>{r.reference}</Ref>
                <Text fw={600} size="sm">
                  {r.title}
                </Text>
              </div>
              <StateBadges r={r} />
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              {processes.name(r.processKey)} · {t('page.keepUntilDate', { date: formatDate(r.retentionEndsOn) })}
            </Text>
            {disposal && can('record:dispose') && (
              <Button
                mt="xs"
                color="red"
                variant="light"
                fullWidth
                leftSection={<IconTrash size={16} />}
                onClick={(e) => {
                  e.stopPropagation();
                  setDisposing(r);
                }}
              >
                {t('page.dispose')}
              </Button>
            )}
          </Card>
        ))}
      </Stack>
    ) : (
      <Table.ScrollContainer minWidth={860}>
        <Table highlightOnHover verticalSpacing="sm" data-testid="record-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('page.col.reference')}</Table.Th>
              <Table.Th>{t('page.col.title')}</Table.Th>
              <Table.Th>{t('page.col.process')}</Table.Th>
              <Table.Th>{t('page.col.owner')}</Table.Th>
              <Table.Th>{t('page.col.keptFor')}</Table.Th>
              <Table.Th>{t('page.col.keepUntil')}</Table.Th>
              <Table.Th>{t('page.col.state')}</Table.Th>
              {disposal && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id} className="row-link" onClick={() => setOpen(r)} data-testid="record-row">
                <Table.Td>
                  <Ref>{r.reference}</Ref>
                </Table.Td>
                <Table.Td maw={320}>
                  <Text size="sm" fw={500}>
                    {r.title}
                  </Text>
                  <Text size="xs" c="dimmed" truncate>
                    {r.storage === 'praxis' && r.linkedRecord
                      ? t('page.inPraxis', { kind: linkedTypeLabels[r.linkedRecord.recordType as LinkedType] ?? r.linkedRecord.recordType })
                      : r.location || '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{processes.name(r.processKey)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={r.owner ? undefined : 'dimmed'}>
                    {r.owner?.name ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{retentionText(r.retentionMonths)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(r.retentionEndsOn)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StateBadges r={r} />
                </Table.Td>
                {disposal && (
                  <Table.Td>
                    {can('record:dispose') && (
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        leftSection={<IconTrash size={14} />}
                        onClick={(e) => {
                          e.stopPropagation();
                          setDisposing(r);
                        }}
                        data-testid="dispose-record"
                      >
                        {t('page.dispose')}
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  let body: ReactNode;
  if (current.error) body = <ErrorAlert error={current.error} />;
  else if (!current.data || processes.query.isLoading) body = <TableSkeleton />;
  else if (current.data.total === 0)
    body =
      tab === 'disposal' ? (
        <EmptyState
          py={48}
          px="md"
          icon={<IconArchive size={32} />}
          withIndicatorBackground
          title={t('page.queueEmpty')}
          description={t('page.queueEmptyHint')}
          data-testid="queue-empty"
        />
      ) : (
        <ListEmpty
          py={48}
          px="md"
          icon={<IconArchive size={32} />}
          withIndicatorBackground
          title={filtered ? t('page.empty.filtered') : t('page.empty.none')}
          description={filtered ? t('page.empty.filteredHint') : t('page.empty.hint')}
          data-testid="records-empty"
          filtered={filtered}
          onClear={() => clear(['tab'])}
          actions={newButton}
        />
      );
  else body = table(current.data.items, tab === 'disposal');
  const total = current.data?.total ?? 0;
  const queueCount = queue.data?.total ?? 0;

  return (
    <>
      <PageHeader title={t('page.title')} description={t('page.description')} actions={newButton} />
      <Tabs value={tab} onChange={(v) => set({ tab: v === 'disposal' ? 'disposal' : null })} mb="md">
        <Tabs.List>
          <Tabs.Tab value="register">{t('page.tab.register')}</Tabs.Tab>
          <Tabs.Tab
            value="disposal"
            rightSection={
              queueCount > 0 ? (
                <Badge size="sm" color="orange" variant="filled" circle={queueCount < 10}>
                  {queueCount}
                </Badge>
              ) : undefined
            }
            data-testid="tab-disposal"
          >
            {t('page.tab.disposal')}
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <Card withBorder radius="md" p={0}>
        {tab === 'register' && (
          <Stack gap="xs" p="md">
            <Group gap="sm" wrap="wrap">
              <SearchInput
                placeholder={t('page.searchPlaceholder')}
                aria-label={t('page.search')}
                value={search}
                onChange={setSearch}
                w={{ base: '100%', sm: 240 }}
              />
              <Select
                placeholder={t('page.allProcesses')}
                aria-label={t('page.col.process')}
                clearable
                searchable
                w={{ base: '100%', sm: 240 }}
                data={processes.options}
                value={query.processKey ?? null}
                onChange={(v) => set({ processKey: v })}
              />
              <Select
                placeholder={t('page.activeAndDisposed')}
                aria-label={t('page.status')}
                clearable
                w={{ base: 'calc(50% - 6px)', sm: 170 }}
                data={[
                  { value: 'active', label: t('page.filter.active') },
                  { value: 'disposed', label: t('state.disposed') },
                ]}
                value={query.status ?? null}
                onChange={(v) => set({ status: v })}
              />
              <Select
                placeholder={t('page.anyHold')}
                aria-label={t('state.legalHold')}
                clearable
                w={{ base: 'calc(50% - 6px)', sm: 160 }}
                data={[
                  { value: 'true', label: t('page.filter.onHold') },
                  { value: 'false', label: t('page.filter.noHold') },
                ]}
                value={query.legalHold ?? null}
                onChange={(v) => set({ legalHold: v })}
              />
            </Group>
            <ListCount
              filtered={filtered}
              onClear={() => {
                setSearch('');
                clear(['tab']);
              }}
              gap="md"
            >
              {countText(!!list.data, total, 'record', filtered, current.data?.totalCapped)}
            </ListCount>
          </Stack>
        )}
        {tab === 'disposal' && (
          <Text size="sm" c="dimmed" p="md">
            {t('page.queueHint')}
          </Text>
        )}
        {body}
        <ListPager total={total} of={current.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: String(p) })} />
      </Card>
      <RecordFormModal opened={creating} onClose={() => setCreating(false)} />
      <RecordDrawer record={open} onClose={() => setOpen(null)} onChanged={setOpen} onDispose={(r) => setDisposing(r)} />
      <DisposeDialog
        record={disposing}
        onClose={() => setDisposing(null)}
        onDone={(r) => {
          setDisposing(null);
          if (open?.id === r.id) setOpen(r);
        }}
      />
    </>
  );
}

function useInvalidateRecords() {
  const qc = useQueryClient();
  const scope = useCurrentScope();
  return () => {
    void qc.invalidateQueries({ queryKey: ['records', scope.id] });
    void qc.invalidateQueries({ queryKey: ['audit', scope.id] });
  };
}

type FormValues = {
  title: string;
  description: string;
  ownerId: string | null;
  processKey: string | null;
  classification: Cls;
  storage: 'praxis' | 'external';
  linkedType: LinkedType | null;
  linkedId: string;
  location: string;
  retentionMonths: number | string;
  retentionStartOn: string;
};
const today = () => new Date().toISOString().slice(0, 10);
const fromRecord = (r: RecordItem): FormValues => ({
  title: r.title,
  description: r.description,
  ownerId: r.owner?.id ?? null,
  processKey: r.processKey,
  classification: r.classification as Cls,
  storage: r.storage,
  linkedType: (r.linkedRecord?.recordType as LinkedType) ?? null,
  linkedId: r.linkedRecord?.recordId ?? '',
  location: r.location,
  retentionMonths: r.retentionMonths,
  retentionStartOn: r.retentionStartOn,
});

/** Create a record, or edit one (`record` given). */
function RecordFormModal({
  opened,
  onClose,
  record,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  record?: RecordItem;
  onSaved?: (r: RecordItem) => void;
}) {
  const { t } = useTranslation('records');
  const scope = useCurrentScope();
  const members = useMembers(scope.id);
  const processes = useProcessNames(scope.id);
  const invalidate = useInvalidateRecords();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<FormValues>({
    initialValues: {
      title: '',
      description: '',
      ownerId: null,
      processKey: null,
      classification: 'internal',
      storage: 'external',
      linkedType: null,
      linkedId: '',
      location: '',
      retentionMonths: 36,
      retentionStartOn: today(),
    },
    validate: {
      title: (v) => (v.trim() ? null : t('form.titleRequired')),
      processKey: (v) => (v ? null : t('form.processRequired')),
      linkedId: (v, all) => (all.storage === 'praxis' && !v ? t('form.linkedRequired') : null),
      retentionStartOn: (v) => (v ? null : t('form.startRequired')),
    },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens
  useEffect(() => {
    if (!opened) return;
    setError(null);
    const v = record ? fromRecord(record) : { ...form.getInitialValues(), retentionStartOn: today() };
    form.setValues(v);
    form.resetDirty(v);
  }, [opened, record]);
  const docs = useQuery({
    queryKey: ['documents', scope.id, 'picker'],
    queryFn: () => api.get<Page<DocumentItem>>(`/api/scopes/${scope.id}/documents`, { pageSize: 200, sort: 'reference' }),
    enabled: opened && form.values.storage === 'praxis' && form.values.linkedType === 'document',
  });
  const submit = form.onSubmit(async (v) => {
    setError(null);
    const linkedRecord = v.storage === 'praxis' && v.linkedType ? { recordType: v.linkedType, recordId: v.linkedId.trim() } : null;
    try {
      let saved: RecordItem;
      if (record) {
        const body: UpdateRecordInput = {
          version: record.version,
          title: v.title.trim(),
          description: v.description,
          ownerId: v.ownerId,
          processKey: v.processKey as UpdateRecordInput['processKey'],
          classification: v.classification,
          storage: v.storage,
          linkedRecord,
          location: v.storage === 'external' ? v.location : '',
          retentionMonths: Number(v.retentionMonths),
          retentionStartOn: v.retentionStartOn,
        };
        saved = await api.patch<RecordItem, UpdateRecordInput>(`/api/scopes/${scope.id}/records/${record.id}`, body);
      } else {
        const body: CreateRecordInput = {
          title: v.title.trim(),
          description: v.description,
          ownerId: v.ownerId,
          processKey: v.processKey as CreateRecordInput['processKey'],
          classification: v.classification,
          storage: v.storage,
          linkedRecord,
          location: v.storage === 'external' ? v.location : '',
          retentionMonths: Number(v.retentionMonths),
          retentionStartOn: v.retentionStartOn,
        };
        saved = await api.post<RecordItem, CreateRecordInput>(`/api/scopes/${scope.id}/records`, body);
      }
      invalidate();
      notifySuccess(
        record ? t('form.saved', { reference: saved.reference }) : t('form.added', { reference: saved.reference, title: saved.title }),
      );
      onSaved?.(saved);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') setError(new Error(t('form.conflict')));
      else if (!applyFieldError(form, e, { 'body.linkedRecord.recordId': 'linkedId', 'body.linkedRecord': 'linkedId' })) setError(e);
    }
  });
  const memberData = (members.data ?? []).filter((m) => m.status !== 'disabled').map((m) => ({ value: m.userId, label: m.name }));
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{record ? t('form.editTitle', { reference: record.reference }) : t('page.new')}</Text>}
      size="lg"
      fullScreen={typeof window !== 'undefined' && window.innerWidth < 600}
    >
      <form onSubmit={submit} noValidate data-testid="record-form">
        <Stack>
          <ErrorAlert error={error} title={t('common:errors.notSaved')} />
          <TextInput
            label={t('page.col.title')}
            name="title"
            withAsterisk
            placeholder={t('form.titlePlaceholder')}
            maxLength={limits.title}
            {...form.getInputProps('title')}
          />
          <Textarea
            label={t('form.description')}
            autosize
            minRows={2}
            maxLength={limits.description}
            {...form.getInputProps('description')}
          />
          <Grid>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Select
                label={t('page.col.process')}
                withAsterisk
                searchable
                data={processes.options}
                {...form.getInputProps('processKey')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Select
                label={t('page.col.owner')}
                clearable
                searchable
                placeholder={t('form.noOwner')}
                data={memberData}
                {...form.getInputProps('ownerId')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Select
                label={t('form.classification')}
                allowDeselect={false}
                data={options(classificationLabels)}
                {...form.getInputProps('classification')}
              />
            </Grid.Col>
          </Grid>
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('form.whereKept')}
            </Text>
            <SegmentedControl
              fullWidth
              data={[
                { value: 'external', label: t('form.outside') },
                { value: 'praxis', label: t('form.inside') },
              ]}
              {...form.getInputProps('storage')}
            />
          </div>
          {form.values.storage === 'external' ? (
            <TextInput
              label={t('form.location')}
              placeholder={t('form.locationPlaceholder')}
              maxLength={limits.location}
              {...form.getInputProps('location')}
            />
          ) : (
            <Grid>
              <Grid.Col span={{ base: 12, sm: 5 }}>
                <Select label={t('form.kind')} data={options(linkedTypeLabels)} {...form.getInputProps('linkedType')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 7 }}>
                {form.values.linkedType === 'document' ? (
                  <Select
                    label={t('form.document')}
                    searchable
                    withAsterisk
                    data={(docs.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.reference} · ${d.title}` }))}
                    value={form.values.linkedId || null}
                    onChange={(v) => form.setFieldValue('linkedId', v ?? '')}
                    error={form.errors.linkedId}
                  />
                ) : (
                  // no maxLength: the server checks a record's id by its form
                  <TextInput
                    label={t('form.recordId')}
                    description={t('form.recordIdHint')}
                    withAsterisk
                    {...form.getInputProps('linkedId')}
                  />
                )}
              </Grid.Col>
            </Grid>
          )}
          <Grid>
            <Grid.Col span={{ base: 6 }}>
              <NumberField
                label={t('form.keepFor')}
                {...retentionLimits}
                description={retentionText(Number(form.values.retentionMonths) || 0)}
                {...form.getInputProps('retentionMonths')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6 }}>
              <TextInput
                type="date"
                label={t('form.countingFrom')}
                description={t('form.countingFromHint')}
                {...form.getInputProps('retentionStartOn')}
              />
            </Grid.Col>
          </Grid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="save-record">
              {record ? t('form.save') : t('form.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RecordDrawer({
  record,
  onClose,
  onChanged,
  onDispose,
}: {
  record: RecordItem | null;
  onClose: () => void;
  onChanged: (r: RecordItem) => void;
  onDispose: (r: RecordItem) => void;
}) {
  const { t } = useTranslation('records');
  const scope = useCurrentScope();
  const can = useCan();
  const processes = useProcessNames(scope.id);
  const invalidate = useInvalidateRecords();
  const { confirm, dialog } = useConfirm();
  const [editing, setEditing] = useState(false);
  const [holding, setHolding] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const r = record;
  const setHold = async (hold: boolean) => {
    if (!r) return;
    setBusy(true);
    try {
      const saved = await api.post<RecordItem, LegalHoldInput>(`/api/scopes/${scope.id}/records/${r.id}/legal-hold`, {
        version: r.version,
        hold,
        reason,
      });
      invalidate();
      onChanged(saved);
      notifySuccess(hold ? t('drawer.onHold', { reference: saved.reference }) : t('drawer.holdLifted', { reference: saved.reference }));
      setHolding(false);
      setReason('');
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const path = r?.linkedRecord ? linkedPath[r.linkedRecord.recordType] : undefined;
  return (
    <>
      <Drawer
        opened={!!r}
        onClose={onClose}
        position="right"
        size="lg"
        title={r && <Text fw={600}>{r.reference}</Text>}
        data-testid="record-drawer"
      >
        {r && (
          <Stack>
            <div>
              <Text fw={600} size="lg">
                {r.title}
              </Text>
              <StateBadges r={r} />
            </div>
            {r.description && <Text size="sm">{r.description}</Text>}
            {r.status === 'disposed' && (
              <Alert color="gray" variant="light" title={t('state.disposed')}>
                {r.disposedBy
                  ? t('drawer.disposedBy', { date: formatDateTime(r.disposedAt), name: r.disposedBy.name })
                  : t('drawer.disposedOn', { date: formatDateTime(r.disposedAt) })}
                . {r.disposalRule ?? ''}
              </Alert>
            )}
            {r.legalHold && (
              <Alert color="red" variant="light" icon={<IconLock size={18} />} title={t('state.legalHold')}>
                <Text size="sm">{r.legalHoldReason || t('drawer.noReason')}</Text>
                <Text size="sm" mt={4}>
                  {t('drawer.cannotDispose')}
                </Text>
              </Alert>
            )}
            <Table variant="vertical" layout="fixed" withTableBorder>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w={150}>{t('page.col.process')}</Table.Th>
                  <Table.Td>{processes.name(r.processKey)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('page.col.owner')}</Table.Th>
                  <Table.Td>{r.owner?.name ?? '—'}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('form.classification')}</Table.Th>
                  <Table.Td>{classificationLabels[r.classification as Cls] ?? r.classification}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('drawer.kept')}</Table.Th>
                  <Table.Td>
                    {r.storage === 'praxis' && r.linkedRecord ? (
                      path ? (
                        <Anchor component={Link} to={`/s/${scope.id}/${path}/${r.linkedRecord.recordId}`} size="sm">
                          {t('page.inPraxis', {
                            kind: linkedTypeLabels[r.linkedRecord.recordType as LinkedType] ?? r.linkedRecord.recordType,
                          })}
                        </Anchor>
                      ) : (
                        t('page.inPraxis', { kind: linkedTypeLabels[r.linkedRecord.recordType as LinkedType] ?? r.linkedRecord.recordType })
                      )
                    ) : (
                      r.location || '—'
                    )}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('drawer.retention')}</Table.Th>
                  <Table.Td>
                    {t('drawer.retentionText', {
                      period: retentionText(r.retentionMonths),
                      from: formatDate(r.retentionStartOn),
                      until: formatDate(r.retentionEndsOn),
                    })}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            {r.status === 'active' && (
              <Group gap="sm">
                {can('record:write') && (
                  <Button variant="default" onClick={() => setEditing(true)} data-testid="edit-record">
                    {t('drawer.edit')}
                  </Button>
                )}
                {can('record:dispose') &&
                  (r.legalHold ? (
                    <Button
                      variant="light"
                      leftSection={<IconLockOpen size={16} />}
                      loading={busy}
                      onClick={async () => {
                        if (
                          await confirm({
                            title: t('drawer.lift.title', { reference: r.reference }),
                            message:
                              r.disposable || r.retentionEndsOn <= new Date().toISOString().slice(0, 10)
                                ? t('drawer.lift.ended')
                                : t('drawer.lift.later'),
                            confirmLabel: t('drawer.lift.confirm'),
                          })
                        )
                          await setHold(false);
                      }}
                      data-testid="lift-hold"
                    >
                      {t('drawer.lift.button')}
                    </Button>
                  ) : (
                    <Button
                      variant="light"
                      color="red"
                      leftSection={<IconLock size={16} />}
                      onClick={() => setHolding(true)}
                      data-testid="set-hold"
                    >
                      {t('drawer.putOnHold')}
                    </Button>
                  ))}
                {can('record:dispose') && r.disposable && (
                  <Button color="red" leftSection={<IconTrash size={16} />} onClick={() => onDispose(r)}>
                    {t('page.dispose')}
                  </Button>
                )}
              </Group>
            )}
          </Stack>
        )}
      </Drawer>
      {dialog}
      <RecordFormModal opened={editing} onClose={() => setEditing(false)} record={r ?? undefined} onSaved={onChanged} />
      <Modal
        opened={holding}
        onClose={() => setHolding(false)}
        title={<Text fw={600}>{t('drawer.holdTitle', { reference: r?.reference })}</Text>}
        centered
      >
        <Stack>
          <Text size="sm">{t('drawer.holdHint')}</Text>
          <Textarea
            label={t('drawer.reason')}
            autosize
            minRows={2}
            maxLength={holdLimits.reason}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="hold-reason"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setHolding(false)}>
              {t('common:actions.cancel')}
            </Button>
            <Button color="red" loading={busy} onClick={() => setHold(true)} data-testid="confirm-hold">
              {t('drawer.putOnHoldButton')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Disposal needs the user to type `DISPOSE <reference>`: it deletes content and cannot be undone. */
function DisposeDialog({ record, onClose, onDone }: { record: RecordItem | null; onClose: () => void; onDone: (r: RecordItem) => void }) {
  const { t } = useTranslation('records');
  const scope = useCurrentScope();
  const invalidate = useInvalidateRecords();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const expected = record ? `DISPOSE ${record.reference}` : '';
  const close = () => {
    setTyped('');
    setError(null);
    onClose();
  };
  const dispose = async () => {
    if (!record) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<RecordItem, DisposeRecordInput>(`/api/scopes/${scope.id}/records/${record.id}/dispose`, {
        version: record.version,
        confirm: typed.trim(),
      });
      invalidate();
      notifySuccess(t('dispose.done', { reference: r.reference }));
      setTyped('');
      onDone(r);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={!!record}
      onClose={close}
      title={<Text fw={600}>{t('dispose.title', { reference: record?.reference })}</Text>}
      centered
      data-testid="dispose-dialog"
    >
      {record && (
        <Stack>
          <Alert color="red" variant="light">
            {record.linkedRecord?.recordType === 'document'
              ? t('dispose.messageDocument', { title: record.title })
              : t('dispose.message', { title: record.title })}
          </Alert>
          <ErrorAlert error={error} title={t('dispose.notDisposed')} />
          <TextInput
            label={
              <>
                {t('dispose.type')} <b>{expected}</b> {t('dispose.toConfirm')}
              </>
            }
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            maxLength={disposeLimits.confirm}
            autoComplete="off"
            data-testid="dispose-confirm-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common:actions.cancel')}
            </Button>
            <Button color="red" loading={busy} disabled={typed.trim() !== expected} onClick={dispose} data-testid="confirm-dispose">
              {t('page.dispose')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

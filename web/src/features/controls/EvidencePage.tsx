import { ActionIcon, Anchor, Button, Card, Group, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconDownload, IconExternalLink, IconFile, IconFileCheck, IconLink, IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { countText, ListEmpty, ListError, ListPager, SearchInput } from '../../app/ListParts.tsx';
import { ApiError, api, type Page } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { notifyError, notifySuccess, PageHeader, Ref, TableSkeleton, useConfirm } from '../../app/ui.tsx';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import { formatBytes } from '../../app/upload.ts';
import { AddEvidenceModal } from './AddEvidenceModal.tsx';
import { evidenceHref, ExpiryBadge } from './ControlEvidencePanel.tsx';
import type { Evidence } from './evidence-types.ts';

const PAGE_SIZE = 25;

/** The evidence register of the scope (ISO 27001 7.5): files and links, expired ones flagged. */
export function EvidencePage() {
  const { t } = useTranslation('controls');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const qc = useQueryClient();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const { params, set, clear } = useUrlFilters();
  const { confirm, dialog } = useConfirm();
  const [adding, addDialog] = useDisclosure(false);
  const { search, setSearch } = useUrlSearch({ params, set });
  const page = Math.max(1, Number(params.get('page')) || 1);
  const filters = {
    q: params.get('q') || undefined,
    validity: params.get('validity') === 'expired' ? 'expired' : params.get('validity') === 'valid' ? 'valid' : undefined,
    kind: params.get('kind') || undefined,
  };

  const query = { ...filters, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['evidence', scopeId, query],
    queryFn: () => api.get<Page<Evidence>>(`/api/scopes/${scopeId}/evidence`, query),
    placeholderData: (p) => p,
  });
  const filtered = !!(filters.q || filters.validity || filters.kind);
  const writable = can('evidence:write');

  const remove = async (e: Evidence) => {
    const ok = await confirm({
      title: t('evidence.delete.title', { reference: e.reference }),
      message: e.controlCount
        ? t('evidence.delete.messageControls', { title: e.title, count: e.controlCount })
        : t('evidence.delete.message', { title: e.title }),
      confirmLabel: t('evidence.delete.confirm'),
    });
    if (!ok) return;
    try {
      await api.delete(`/api/scopes/${scopeId}/evidence/${e.id}`, { version: e.version });
      notifySuccess(t('evidence.delete.done', { reference: e.reference }));
      void qc.invalidateQueries({ queryKey: ['evidence', scopeId] });
      void qc.invalidateQueries({ queryKey: ['control', scopeId] });
    } catch (err) {
      notifyError(
        err instanceof ApiError && err.code === 'version_conflict' ? new Error(t('evidence.delete.conflict')) : err,
        t('detail.delete.notDeleted'),
      );
      void list.refetch();
    }
  };

  const addButton = writable && (
    <Button leftSection={<IconPlus size={16} />} onClick={addDialog.open} data-testid="new-evidence">
      {t('evidence.add')}
    </Button>
  );
  const openAction = (e: Evidence) => (
    <Tooltip label={e.kind === 'file' ? t('evidence.downloadRef', { reference: e.fileName ?? '' }) : (e.url ?? t('evidence.openLink'))}>
      <ActionIcon
        variant="subtle"
        component="a"
        href={evidenceHref(scopeId, e)}
        target={e.kind === 'link' ? '_blank' : undefined}
        rel="noreferrer"
        aria-label={
          e.kind === 'file' ? t('evidence.downloadRef', { reference: e.reference }) : t('evidence.openRef', { reference: e.reference })
        }
        data-testid="evidence-download"
      >
        {e.kind === 'file' ? <IconDownload size={16} /> : <IconExternalLink size={16} />}
      </ActionIcon>
    </Tooltip>
  );
  const deleteAction = (e: Evidence) =>
    writable && (
      <Tooltip label={t('common:actions.delete')}>
        <ActionIcon
          variant="subtle"
          color="red"
          onClick={() => void remove(e)}
          aria-label={t('evidence.deleteRef', { reference: e.reference })}
          data-testid="evidence-delete"
        >
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    );
  const controls = (e: Evidence) => (
    <Text size="sm" c={e.controlCount ? undefined : 'dimmed'}>
      {e.controlCount === 0 ? t('evidence.notAttached') : t('evidence.controlCount', { count: e.controlCount })}
    </Text>
  );

  let body: ReactNode;
  if (list.error) body = <ListError error={list.error} />;
  else if (list.isPending) body = <TableSkeleton />;
  else if (list.data.total === 0)
    body = (
      <ListEmpty
        py={56}
        px="md"
        icon={<IconFileCheck size={32} />}
        withIndicatorBackground
        title={filtered ? t('evidence.empty.filtered') : t('evidence.empty.none')}
        description={filtered ? t('evidence.empty.filteredHint') : t('evidence.empty.hint')}
        filtered={filtered}
        onClear={() => {
          setSearch('');
          clear();
        }}
        actions={addButton}
      />
    );
  else if (phone)
    body = (
      <Stack gap="sm" p="sm" data-testid="evidence-table">
        {list.data.items.map((e) => (
          <Card key={e.id} withBorder radius="md" p="sm" data-testid="evidence-row">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Ref>{e.reference}</Ref>
                <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {e.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatDate(e.evidenceDate)}
                  {e.kind === 'file' && e.size !== null && ` · ${formatBytes(e.size)}`}
                </Text>
              </div>
              <Group gap={2} wrap="nowrap">
                {openAction(e)}
                {deleteAction(e)}
              </Group>
            </Group>
            <Group gap={6} mt={6}>
              <ExpiryBadge validUntil={e.validUntil} expired={e.expired} />
              {controls(e)}
            </Group>
          </Card>
        ))}
      </Stack>
    );
  else
    body = (
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="sm" highlightOnHover data-testid="evidence-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('list.col.reference')}</Table.Th>
              <Table.Th>{t('list.col.title')}</Table.Th>
              <Table.Th>{t('evidence.col.date')}</Table.Th>
              <Table.Th>{t('evidence.col.validity')}</Table.Th>
              <Table.Th>{t('evidence.col.controls')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((e) => (
              <Table.Tr key={e.id} data-testid="evidence-row" bg={e.expired ? 'red.0' : undefined}>
                <Table.Td>
                  <Ref>{e.reference}</Ref>
                </Table.Td>
                <Table.Td maw={380}>
                  <Group gap={6} wrap="nowrap">
                    {e.kind === 'file' ? (
                      <IconFile size={16} style={{ flexShrink: 0 }} />
                    ) : (
                      <IconLink size={16} style={{ flexShrink: 0 }} />
                    )}
                    <Anchor
                      href={evidenceHref(scopeId, e)}
                      target={e.kind === 'link' ? '_blank' : undefined}
                      rel="noreferrer"
                      size="sm"
                      fw={500}
                    >
                      {e.title}
                    </Anchor>
                  </Group>
                  <Text size="xs" c="dimmed" truncate>
                    {e.kind === 'file' ? `${e.fileName ?? ''}${e.size !== null ? ` · ${formatBytes(e.size)}` : ''}` : e.url}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(e.evidenceDate)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {e.validUntil ? (
                    <ExpiryBadge validUntil={e.validUntil} expired={e.expired} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('addEvidence.noExpiry')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td maw={260}>{controls(e)}</Table.Td>
                <Table.Td>
                  <Group gap={2} wrap="nowrap" justify="flex-end">
                    {openAction(e)}
                    {deleteAction(e)}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  const total = list.data?.total ?? 0;
  return (
    <>
      {dialog}
      <PageHeader title={t('evidence.title')} description={t('evidence.description')} actions={addButton} />
      <Card withBorder radius="md" p={0}>
        <Stack gap="xs" p="md">
          <Group gap="sm" wrap="wrap">
            <SearchInput
              placeholder={t('evidence.search')}
              aria-label={t('evidence.search')}
              value={search}
              onChange={setSearch}
              w={{ base: '100%', sm: 240 }}
              data-testid="evidence-search"
            />
            <Select
              placeholder={t('evidence.anyValidity')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 160 }}
              value={filters.validity ?? null}
              onChange={(v) => set({ validity: v })}
              data={[
                { value: 'expired', label: t('evidence.validity.expired') },
                { value: 'valid', label: t('evidence.validity.valid') },
              ]}
              aria-label={t('evidence.col.validity')}
              data-testid="filter-expired"
            />
            <Select
              placeholder={t('evidence.filesAndLinks')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 150 }}
              value={filters.kind ?? null}
              onChange={(v) => set({ kind: v })}
              data={[
                { value: 'file', label: t('evidence.kind.file') },
                { value: 'link', label: t('evidence.kind.link') },
              ]}
              aria-label={t('evidence.kind.label')}
              data-testid="filter-kind"
            />
          </Group>
          <Text size="sm" c="dimmed" data-testid="evidence-count">
            {countText(!!list.data, total, 'item', filtered, list.data?.totalCapped)}
          </Text>
        </Stack>
        {body}
        <ListPager total={total} of={list.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: String(p) })} bordered />
      </Card>
      {writable && <AddEvidenceModal scopeId={scopeId} opened={adding} onClose={addDialog.close} />}
    </>
  );
}

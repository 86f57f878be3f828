import {
  Badge,
  Box,
  Button,
  Card,
  Collapse,
  EmptyState,
  Group,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconChevronDown, IconChevronRight, IconListSearch, IconTrash } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListPager, SearchInput } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, PageLoader, TableSkeleton, useConfirm } from '../../app/ui.tsx';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import type { Catalog, Requirement } from './catalog-types.ts';
import { catalogSourceLabel } from './CatalogListPage.tsx';

const PAGE_SIZE = 100;

/** One requirement as a line of the indented tree; a click shows its statement and guidance. */
export function RequirementLine({ r, action, indent = true }: { r: Requirement; action?: ReactNode; indent?: boolean }) {
  const { t } = useTranslation('catalogs');
  const [open, setOpen] = useState(false);
  const hasText = !!(r.statement || r.guidance);
  const group = r.kind === 'group';
  return (
    <Box
      pl={indent ? Math.min(r.depth, 4) * 20 + 12 : 12}
      pr="sm"
      py={group ? 10 : 6}
      bg={group ? 'gray.0' : undefined}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
      data-testid="requirement-row"
      data-kind={r.kind}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <UnstyledButton
          onClick={() => hasText && setOpen((o) => !o)}
          style={{ flex: 1, minWidth: 0, cursor: hasText ? 'pointer' : 'default' }}
          aria-expanded={hasText ? open : undefined}
        >
          <Group gap={8} wrap="nowrap" align="flex-start">
            <Box w={14} pt={3} c="dimmed" style={{ flexShrink: 0 }}>
              {hasText && (open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />)}
            </Box>
            <Text
              size="sm"
              ff="monospace"
              fw={group ? 700 : 500}
              c={r.withdrawn ? 'dimmed' : undefined}
              style={{ whiteSpace: 'nowrap', flexShrink: 0 }}
              td={r.withdrawn ? 'line-through' : undefined}
            >
              {r.label}
            </Text>
            <Text size="sm" fw={group ? 700 : 400} c={r.withdrawn ? 'dimmed' : undefined} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
              {r.title}
            </Text>
            {r.withdrawn && (
              <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
                {t('list.col.withdrawn')}
              </Badge>
            )}
          </Group>
        </UnstyledButton>
        {action}
      </Group>
      {hasText && (
        <Collapse expanded={open}>
          <Stack gap={6} pl={22} pt={6} pb={4}>
            {r.statement && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {r.statement}
              </Text>
            )}
            {r.guidance && (
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }} lineClamp={12}>
                {r.guidance}
              </Text>
            )}
          </Stack>
        </Collapse>
      )}
    </Box>
  );
}

/** A catalog's requirements in document order, indented by depth, with search and the withdrawn ones on demand. */
export function CatalogPage() {
  const { t } = useTranslation('catalogs');
  const { id = '' } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const { params, set } = useUrlFilters();
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const { search, setSearch } = useUrlSearch({ params, set });
  const kind = params.get('kind') === 'control' ? 'control' : undefined;
  const showWithdrawn = params.get('withdrawn') !== 'hide';
  const page = Math.max(1, Number(params.get('page')) || 1);

  const catalog = useQuery({
    queryKey: ['catalog', scopeId, id],
    queryFn: () => api.get<Catalog>(`/api/scopes/${scopeId}/catalogs/${id}`),
  });
  const q = params.get('q') || undefined;
  const query = { q, kind, withdrawn: showWithdrawn ? undefined : 'false', page, pageSize: PAGE_SIZE };
  const reqs = useQuery({
    queryKey: ['catalog-requirements', scopeId, id, query],
    queryFn: () => api.get<Page<Requirement>>(`/api/scopes/${scopeId}/catalogs/${id}/requirements`, query),
    placeholderData: (p) => p,
  });

  if (catalog.isPending) return <PageLoader />;
  if (catalog.error)
    return (
      <>
        <PageHeader title={t('list.col.catalog')} crumbs={[{ label: t('list.title'), to: `/s/${scopeId}/catalogs` }]} />
        <ErrorAlert error={catalog.error} />
      </>
    );
  const c = catalog.data;
  const remove = async () => {
    const ok = await confirm({
      title: t('page.delete.title', { title: c.title }),
      message: t('page.delete.message', { count: c.groupCount + c.controlCount }),
      confirmLabel: t('page.delete.confirm'),
    });
    if (!ok) return;
    try {
      await api.delete(`/api/scopes/${scopeId}/catalogs/${id}`);
      notifySuccess(`“${c.title}” deleted`);
      void qc.invalidateQueries({ queryKey: ['catalogs', scopeId] });
      void navigate(`/s/${scopeId}/catalogs`);
    } catch (e) {
      notifyError(e, t('page.delete.not'));
    }
  };
  const filtered = !!(q || kind || !showWithdrawn);

  let body: ReactNode;
  if (reqs.error) body = <ErrorAlert error={reqs.error} />;
  else if (reqs.isPending) body = <TableSkeleton />;
  else if (reqs.data.total === 0)
    body = (
      <EmptyState
        py={48}
        icon={<IconListSearch size={30} />}
        withIndicatorBackground
        title={t('page.noMatch')}
        description={t('page.noMatchHint')}
      />
    );
  else
    body = (
      <Box data-testid="requirement-list">
        {reqs.data.items.map((r) => (
          // a search result is shown flat: its ancestors may not be on the page
          <RequirementLine key={r.id} r={r} indent={!q && !kind} />
        ))}
      </Box>
    );

  const total = reqs.data?.total ?? 0;
  return (
    <>
      {dialog}
      <PageHeader
        actions={
          !c.global &&
          can('catalog:import') && (
            <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={remove} data-testid="delete-catalog">
              {t('common:actions.delete')}
            </Button>
          )
        }
        crumbs={[
          { label: t('list.title'), to: `/s/${scopeId}/catalogs` },
          { label: c.title.length > 36 ? `${c.title.slice(0, 34)}…` : c.title },
        ]}
        title={c.title}
        description={
          <Group gap="xs" component="span" mt={4}>
            <Badge variant="light">{t('page.version', { version: c.version })}</Badge>
            <Badge variant="light" color="gray">
              {catalogSourceLabel(c)}
            </Badge>
            <Text span size="sm" c="dimmed">
              {t('page.counts', { groups: c.groupCount, controls: c.controlCount })}
              {c.withdrawnCount ? ` ${t('page.withdrawnCount', { count: c.withdrawnCount })}` : ''}
            </Text>
          </Group>
        }
      />
      <Card withBorder radius="md" p={0}>
        <Stack gap="xs" p="md">
          <Group gap="sm" wrap="wrap">
            <SearchInput
              placeholder={t('page.search')}
              aria-label={t('page.searchLabel')}
              value={search}
              onChange={setSearch}
              w={{ base: '100%', sm: 300 }}
              data-testid="requirement-search"
            />
            <SegmentedControl
              size="sm"
              value={kind ?? 'all'}
              onChange={(v) => set({ kind: v === 'control' ? 'control' : null })}
              data={[
                { value: 'all', label: t('page.kind.all') },
                { value: 'control', label: t('page.kind.control') },
              ]}
            />
            <Switch
              label={t('page.showWithdrawn')}
              checked={showWithdrawn}
              onChange={(e) => set({ withdrawn: e.currentTarget.checked ? null : 'hide' })}
              data-testid="show-withdrawn"
            />
          </Group>
          <Text size="sm" c="dimmed">
            {reqs.data ? t(filtered ? 'page.countMatching' : 'page.countAll', { count: total }) : ' '}
          </Text>
        </Stack>
        {body}
        <ListPager total={total} of={reqs.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: String(p) })} />
      </Card>
    </>
  );
}

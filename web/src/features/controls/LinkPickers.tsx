import { Badge, Box, Button, Group, Loader, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { useTranslation } from 'react-i18next';
import type * as riskSchemas from '../../../../server/src/processes/risk-assessment/risk.schemas.ts';
import { SearchInput } from '../../app/ListParts.tsx';
import { textLimits } from '../../app/FormParts.tsx';
import { listRisksQuery } from '../../../../server/src/processes/risk-assessment/risk.schemas.ts';
import { api, type Page } from '../../app/api.ts';
import { ErrorAlert, Ref } from '../../app/ui.tsx';
import type { Catalog, Requirement } from '../catalogs/catalog-types.ts';
import { RequirementLine } from '../catalogs/CatalogPage.tsx';

type Risk = z.infer<typeof riskSchemas.riskResponse>;

export function useCatalogs(scopeId: string, enabled = true) {
  return useQuery({
    queryKey: ['catalogs', scopeId],
    queryFn: () => api.get<Catalog[] | { items: Catalog[] }>(`/api/scopes/${scopeId}/catalogs`),
    select: (d) => (Array.isArray(d) ? d : d.items),
    enabled,
  });
}

/** Search a catalog for requirements and link them one by one; the ones already linked say so. */
export function RequirementPicker({
  scopeId,
  opened,
  onClose,
  linked,
  onLink,
  busy,
}: {
  scopeId: string;
  opened: boolean;
  onClose: () => void;
  linked: Set<string>;
  onLink: (r: Requirement) => void;
  busy: string | null;
}) {
  const { t } = useTranslation('controls');
  const catalogs = useCatalogs(scopeId, opened);
  const [catalogId, setCatalogId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  useEffect(() => {
    if (!catalogId && catalogs.data?.[0]) setCatalogId(catalogs.data[0].id);
  }, [catalogId, catalogs.data]);
  const reqs = useQuery({
    queryKey: ['catalog-requirements', scopeId, catalogId, { q, kind: 'control', pageSize: 30 }],
    queryFn: () =>
      api.get<Page<Requirement>>(`/api/scopes/${scopeId}/catalogs/${catalogId}/requirements`, { q, kind: 'control', pageSize: 30 }),
    enabled: opened && !!catalogId,
    placeholderData: (p) => p,
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{t('picker.requirementsTitle')}</Text>}
      size="xl"
      data-testid="requirement-picker"
    >
      <Stack>
        <Group gap="sm" wrap="wrap" align="flex-end">
          <Select
            label={t('picker.catalog')}
            data={(catalogs.data ?? []).map((c) => ({ value: c.id, label: `${c.title} (${c.version})` }))}
            value={catalogId}
            onChange={setCatalogId}
            allowDeselect={false}
            w={{ base: '100%', sm: 320 }}
            comboboxProps={{ withinPortal: true }}
            data-testid="picker-catalog"
          />
          <SearchInput
            label={t('picker.search')}
            placeholder={t('picker.searchPlaceholder')}
            value={search}
            onChange={setSearch}
            style={{ flex: 1, minWidth: 200 }}
            data-autofocus
            data-testid="picker-search"
          />
        </Group>
        <ErrorAlert error={catalogs.error ?? reqs.error} />
        <Box mah="55vh" style={{ overflowY: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
          {reqs.isPending ? (
            <Group justify="center" p="lg">
              <Loader size="sm" />
            </Group>
          ) : (reqs.data?.items.length ?? 0) === 0 ? (
            <Text size="sm" c="dimmed" p="md">
              {t('picker.noRequirement')}
            </Text>
          ) : (
            reqs.data?.items.map((r) => (
              <RequirementLine
                key={r.id}
                r={r}
                indent={false}
                action={
                  linked.has(r.id) ? (
                    <Badge variant="light" color="teal" style={{ flexShrink: 0 }}>
                      {t('picker.linked')}
                    </Badge>
                  ) : (
                    <Button
                      size="compact-sm"
                      variant="light"
                      onClick={() => onLink(r)}
                      loading={busy === r.id}
                      disabled={(busy !== null && busy !== r.id) || r.withdrawn}
                      data-testid="picker-link"
                    >
                      {t('picker.link')}
                    </Button>
                  )
                }
              />
            ))
          )}
        </Box>
        {reqs.data && reqs.data.total > reqs.data.items.length && (
          <Text size="xs" c="dimmed">
            {t('picker.showing', { shown: reqs.data.items.length, total: reqs.data.total })}
          </Text>
        )}
      </Stack>
    </Modal>
  );
}

/** Search the scope's risk register and link a risk this control treats. */
export function RiskPicker({
  scopeId,
  opened,
  onClose,
  linked,
  onLink,
  busy,
}: {
  scopeId: string;
  opened: boolean;
  onClose: () => void;
  linked: Set<string>;
  onLink: (r: Risk) => void;
  busy: string | null;
}) {
  const { t } = useTranslation('controls');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const risks = useQuery({
    queryKey: ['risks', scopeId, { q, pageSize: 30, picker: true }],
    queryFn: () => api.get<Page<Risk>>(`/api/scopes/${scopeId}/risks`, { q, pageSize: 30 }),
    enabled: opened,
    placeholderData: (p) => p,
  });
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{t('picker.risksTitle')}</Text>} size="lg" data-testid="risk-picker">
      <Stack>
        <TextInput
          placeholder={t('picker.searchRisks')}
          leftSection={<IconSearch size={16} />}
          maxLength={textLimits(listRisksQuery.shape).q}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          data-autofocus
          data-testid="risk-picker-search"
        />
        <ErrorAlert error={risks.error} />
        <Stack gap={0} mah="55vh" style={{ overflowY: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
          {risks.isPending ? (
            <Group justify="center" p="lg">
              <Loader size="sm" />
            </Group>
          ) : (risks.data?.items.length ?? 0) === 0 ? (
            <Text size="sm" c="dimmed" p="md">
              {t('picker.noRisk')}
            </Text>
          ) : (
            risks.data?.items.map((r) => (
              <Group
                key={r.id}
                justify="space-between"
                wrap="nowrap"
                px="sm"
                py={8}
                style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
              >
                <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                  <Ref>{r.reference}</Ref>
                  <Text size="sm" truncate>
                    {r.title}
                  </Text>
                  {r.current.level && (
                    <Badge size="xs" color={r.current.level.colour} style={{ flexShrink: 0 }}>
                      {r.current.level.label}
                    </Badge>
                  )}
                </Group>
                {linked.has(r.id) ? (
                  <Badge variant="light" color="teal" style={{ flexShrink: 0 }}>
                    {t('picker.linked')}
                  </Badge>
                ) : (
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => onLink(r)}
                    loading={busy === r.id}
                    disabled={busy !== null && busy !== r.id}
                  >
                    {t('picker.link')}
                  </Button>
                )}
              </Group>
            ))
          )}
        </Stack>
      </Stack>
    </Modal>
  );
}

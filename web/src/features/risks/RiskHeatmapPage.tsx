import { Box, Card, Group, SegmentedControl, Select, SimpleGrid, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { options } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import { ErrorAlert, PageHeader, PageLoader } from '../../app/ui.tsx';
import { RiskNav } from './RiskBits.tsx';
import { basisDescriptions, basisLabels, type Heatmap, type RiskBasis, riskStatusLabels, textOn } from './risk-types.ts';
import { inSentence } from '../../i18n/index.ts';

const bases: RiskBasis[] = ['inherent', 'current', 'target'];
type View = RiskBasis | 'all';

/** The scope's matrix (likelihood × impact) with the number of risks per cell; a cell opens the register filtered to it. */
export function RiskHeatmapPage() {
  const { t } = useTranslation('risks');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const [params, setParams] = useSearchParams();
  const viewParam = params.get('view') as View | null;
  const view: View = viewParam && [...bases, 'all'].includes(viewParam) ? viewParam : 'current';
  const shown = view === 'all' ? bases : [view];
  const can = useCan();
  const members = useMembers(scopeId, can('member:read'));
  const filters = { status: params.get('status') || undefined, ownerId: params.get('ownerId') || undefined };
  const setFilter = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const maps = useQueries({
    queries: shown.map((basis) => ({
      queryKey: ['risk-heatmap', scopeId, basis, filters],
      queryFn: () => api.get<Heatmap>(`/api/scopes/${scopeId}/risks/heatmap`, { basis, ...filters }),
    })),
  });
  const error = maps.find((m) => m.error)?.error;

  return (
    <>
      <PageHeader title={t('heatmap.title')} description={t('heatmap.description')} />
      <RiskNav scopeId={scopeId} />
      <Group mb="md" justify="space-between" wrap="wrap">
        <SegmentedControl
          value={view}
          onChange={(v) => setFilter('view', v === 'current' ? null : v)}
          fullWidth
          w={{ base: '100%', sm: 'auto' }}
          data={[
            { value: 'inherent', label: t('list.col.inherent') },
            { value: 'current', label: t('list.col.current') },
            { value: 'target', label: t('list.col.target') },
            { value: 'all', label: t('heatmap.allThree') },
          ]}
          data-testid="heatmap-basis"
        />
        <Group gap="sm" w={{ base: '100%', sm: 'auto' }} wrap="nowrap">
          <Select
            placeholder={t('list.filter.anyStatus')}
            clearable
            w={{ base: '50%', sm: 150 }}
            value={filters.status ?? null}
            onChange={(v) => setFilter('status', v)}
            data={options(riskStatusLabels)}
            aria-label={t('list.col.status')}
            data-testid="heatmap-filter-status"
          />
          {can('member:read') && (
            <Select
              placeholder={t('list.filter.anyOwner')}
              clearable
              searchable
              w={{ base: '50%', sm: 170 }}
              value={filters.ownerId ?? null}
              onChange={(v) => setFilter('ownerId', v)}
              data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
              aria-label={t('list.col.owner')}
              data-testid="heatmap-filter-owner"
            />
          )}
        </Group>
      </Group>
      {error ? (
        <ErrorAlert error={error} />
      ) : maps.some((m) => m.isPending) ? (
        <PageLoader />
      ) : (
        <SimpleGrid cols={{ base: 1, lg: shown.length }} spacing="md">
          {maps.map(
            (m, i) => m.data && <HeatmapCard key={shown[i]} map={m.data} compact={shown.length > 1} scopeId={scopeId} filters={filters} />,
          )}
        </SimpleGrid>
      )}
    </>
  );
}

function HeatmapCard({
  map,
  compact,
  scopeId,
  filters,
}: {
  map: Heatmap;
  compact: boolean;
  scopeId: string;
  filters: { status?: string; ownerId?: string };
}) {
  const { t } = useTranslation('risks');
  const navigate = useNavigate();
  const byCell = new Map(map.cells.map((c) => [`${c.likelihood}:${c.impact}`, c]));
  const rows = [...map.likelihood].reverse();
  const phone = useMediaQuery('(max-width: 36em)', false, { getInitialValueInEffect: false });
  const short = compact || phone;
  const open = (likelihood: number, impact: number) =>
    navigate(
      `/s/${scopeId}/risks?${new URLSearchParams({
        ...(map.basis === 'current' ? {} : { basis: map.basis }),
        likelihood: String(likelihood),
        impact: String(impact),
        ...(filters.status && { status: filters.status }),
        ...(filters.ownerId && { ownerId: filters.ownerId }),
      })}`,
    );
  return (
    <Card withBorder radius="md" p="lg" data-testid={`heatmap-${map.basis}`}>
      <Group justify="space-between" align="flex-start" mb="md">
        <div>
          <Title order={5}>{t('heatmap.cardTitle', { basis: basisLabels[map.basis] })}</Title>
          <Text size="xs" c="dimmed">
            {t('heatmap.cardDescription', { description: basisDescriptions[map.basis], version: map.method.version })}
          </Text>
        </div>
        <Text size="sm" c="dimmed" data-testid={`heatmap-${map.basis}-total`}>
          {t('heatmap.scored', { scored: map.total - map.unscored - map.outsideScale, total: map.total })}
        </Text>
      </Group>
      <Box
        style={{
          display: 'grid',
          gridTemplateColumns: `18px ${short ? '22px' : 'minmax(56px, 96px)'} repeat(${map.impact.length}, minmax(0, ${compact ? 64 : 96}px))`,
          gap: 4,
          justifyContent: 'center',
          alignItems: 'center',
        }}
      >
        <Text
          size="xs"
          c="dimmed"
          fw={600}
          style={{ gridRow: `1 / span ${rows.length}`, writingMode: 'vertical-rl', transform: 'rotate(180deg)', textAlign: 'center' }}
        >
          {t('heatmap.likelihoodAxis')}
        </Text>
        {rows.map((l) => [
          <Tooltip key={`l${l.value}`} label={l.description || l.label} openDelay={300} multiline maw={260}>
            <Text size="xs" c="dimmed" ta="right" pr={2} lineClamp={2}>
              {short ? l.value : `${l.value} · ${l.label}`}
            </Text>
          </Tooltip>,
          ...map.impact.map((im) => {
            const cell = byCell.get(`${l.value}:${im.value}`);
            const colour = cell?.colour ?? '#dee2e6';
            const count = cell?.count ?? 0;
            const levelLabel = map.levels.find((x) => x.key === cell?.level)?.label ?? '';
            return (
              <Tooltip
                key={`${l.value}:${im.value}`}
                label={t('heatmap.cellTooltip', { level: levelLabel, likelihood: l.label, impact: im.label, count })}
                openDelay={200}
              >
                <UnstyledButton
                  onClick={() => open(l.value, im.value)}
                  aria-label={t('heatmap.cellLabel', {
                    count,
                    basis: inSentence(basisLabels[map.basis]),
                    likelihood: l.label,
                    impact: im.label,
                  })}
                  data-testid="heatmap-cell"
                  data-likelihood={l.value}
                  data-impact={im.value}
                  data-count={count}
                  style={{
                    background: colour,
                    color: textOn(colour),
                    borderRadius: 6,
                    aspectRatio: compact ? '1.2' : '1.4',
                    display: 'flex',
                    alignItems: 'center',
                    justifyContent: 'center',
                    opacity: count === 0 ? 0.42 : 1,
                    fontWeight: 700,
                    fontSize: compact ? 15 : 20,
                  }}
                >
                  {count > 0 ? count : ''}
                </UnstyledButton>
              </Tooltip>
            );
          }),
        ])}
        <Box />
        <Box />
        {map.impact.map((im) => (
          <Tooltip key={`i${im.value}`} label={im.description || im.label} openDelay={300} multiline maw={260}>
            <Text size="xs" c="dimmed" ta="center" lineClamp={2} style={{ alignSelf: 'start' }}>
              {short ? im.value : `${im.value} · ${im.label}`}
            </Text>
          </Tooltip>
        ))}
        <Text size="xs" c="dimmed" fw={600} ta="center" style={{ gridColumn: `3 / span ${map.impact.length}` }}>
          {t('heatmap.impactAxis')}
        </Text>
      </Box>
      <Group gap="xs" mt="md" justify="center">
        {[...map.levels]
          .sort((a, b) => a.order - b.order)
          .map((lv) => (
            <Group key={lv.key} gap={4} wrap="nowrap">
              <Box w={12} h={12} style={{ background: lv.colour, borderRadius: 3 }} />
              <Text size="xs">{lv.label}</Text>
            </Group>
          ))}
      </Group>
      {(map.unscored > 0 || map.outsideScale > 0) && (
        <Text size="xs" c="dimmed" mt="sm" ta="center" data-testid={`heatmap-${map.basis}-unscored`}>
          {map.unscored > 0 && `${t('heatmap.unscored', { count: map.unscored })} `}
          {map.outsideScale > 0 && t('heatmap.outsideScale', { count: map.outsideScale })}
        </Text>
      )}
    </Card>
  );
}

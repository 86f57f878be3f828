import { Anchor, Badge, Group, Select, Stack, Tabs, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconGridDots, IconList, IconSettings } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.ts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import {
  type Assessment,
  type RiskLevel,
  type RiskMethod,
  type RiskStatus,
  riskStatusColors,
  riskStatusDescriptions,
  riskStatusLabels,
  textOn,
} from './risk-types.ts';

export function useRiskMethod(scopeId: string) {
  return useQuery({ queryKey: ['risk-method', scopeId], queryFn: () => api.get<RiskMethod>(`/api/scopes/${scopeId}/risk-method`) });
}

/** A risk level in the colour the scope's matrix gives it. */
export function LevelBadge({ level, size = 'sm', testId }: { level: RiskLevel | null | undefined; size?: string; testId?: string }) {
  const { t } = useTranslation('risks');
  if (!level)
    return (
      <Badge variant="outline" color="gray" size={size} data-testid={testId} data-level="">
        {t('level.notScored')}
      </Badge>
    );
  return (
    <Badge
      size={size}
      style={{ background: level.colour, color: textOn(level.colour), flexShrink: 0 }}
      data-testid={testId}
      data-level={level.key}
    >
      {level.label}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: RiskStatus }) {
  return (
    <Tooltip label={riskStatusDescriptions[status]} openDelay={400}>
      <Badge variant="dot" color={riskStatusColors[status]} style={{ whiteSpace: 'nowrap' }} data-status={status}>
        {riskStatusLabels[status]}
      </Badge>
    </Tooltip>
  );
}

/** "L 3 × I 4 = 12" with the level badge. */
export function AssessmentCell({ a, testId }: { a: Assessment; testId?: string }) {
  const { t } = useTranslation('risks');
  return (
    <Stack gap={2} align="flex-start" data-testid={testId}>
      <LevelBadge level={a.level} />
      {a.score !== null && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} title={t('level.formula')}>
          {a.likelihood} × {a.impact}
        </Text>
      )}
    </Stack>
  );
}

/**
 * Likelihood × impact for one assessment (inherent, current or target), with the level the scope's method gives it,
 * computed live as the values change (the server computes the stored level the same way).
 */
export function ScoreInput({
  method,
  label,
  description,
  likelihood,
  impact,
  onChange,
  suggestedImpact,
  testId,
  errors,
}: {
  method: RiskMethod;
  label: string;
  description: string;
  likelihood: number | null;
  impact: number | null;
  onChange: (likelihood: number | null, impact: number | null) => void;
  suggestedImpact?: number | null;
  testId: string;
  errors?: { likelihood?: ReactNode; impact?: ReactNode };
}) {
  const { t } = useTranslation('risks');
  const key = likelihood !== null && impact !== null ? method.matrix[likelihood - 1]?.[impact - 1] : undefined;
  const level = key ? method.levels.find((l) => l.key === key) : undefined;
  const scale = (s: RiskMethod['likelihood']) => s.map((l) => ({ value: String(l.value), label: `${l.value} · ${l.label}` }));
  const describe = (s: RiskMethod['likelihood'], v: number | null) => (v === null ? null : s.find((l) => l.value === v)?.description);
  return (
    <Stack gap={6} data-testid={testId}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text fw={600} size="sm">
            {label}
          </Text>
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        </div>
        <Stack gap={2} align="flex-end">
          <LevelBadge level={level} size="md" testId={`${testId}-level`} />
          {likelihood !== null && impact !== null && (
            <Text size="xs" c="dimmed" data-testid={`${testId}-score`}>
              {t('score.value', { score: likelihood * impact })}
            </Text>
          )}
        </Stack>
      </Group>
      <Stack gap="xs">
        <Select
          label={t('score.likelihood')}
          placeholder={t('score.notAssessed')}
          clearable
          allowDeselect={false}
          data={scale(method.likelihood)}
          value={likelihood === null ? null : String(likelihood)}
          onChange={(v) => onChange(v ? Number(v) : null, impact)}
          description={describe(method.likelihood, likelihood)}
          error={errors?.likelihood}
          data-testid={`${testId}-likelihood`}
        />
        <Select
          label={t('score.impact')}
          placeholder={t('score.notAssessed')}
          clearable
          allowDeselect={false}
          data={scale(method.impact)}
          value={impact === null ? null : String(impact)}
          onChange={(v) => onChange(likelihood, v ? Number(v) : null)}
          description={describe(method.impact, impact)}
          error={errors?.impact}
          data-testid={`${testId}-impact`}
        />
      </Stack>
      {suggestedImpact != null && suggestedImpact !== impact && (
        <Text size="xs" c="dimmed" data-testid={`${testId}-suggestion`}>
          {t('score.suggestion', {
            impact: suggestedImpact,
            label: method.impact.find((l) => l.value === suggestedImpact)?.label,
          })}{' '}
          <Anchor
            component="button"
            type="button"
            size="xs"
            onClick={() => onChange(likelihood, suggestedImpact)}
            data-testid={`${testId}-use-suggestion`}
          >
            {t('score.useIt')}
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}

/** Tabs across the risk pages: register, heat map, threats, method. */
export function RiskNav({ scopeId }: { scopeId: string }) {
  const { t } = useTranslation('risks');
  const location = useLocation();
  const navigate = useNavigate();
  const can = useCan();
  const base = `/s/${scopeId}/risks`;
  const rest = location.pathname.slice(base.length);
  const current = rest.startsWith('/heatmap')
    ? 'heatmap'
    : rest.startsWith('/threats')
      ? 'threats'
      : rest.startsWith('/method')
        ? 'method'
        : 'register';
  const tabs: { value: string; label: string; icon: ReactNode }[] = [
    { value: 'register', label: t('nav.register'), icon: <IconList size={16} /> },
    { value: 'heatmap', label: t('nav.heatmap'), icon: <IconGridDots size={16} /> },
    { value: 'threats', label: t('nav.threats'), icon: <IconAlertTriangle size={16} /> },
    ...(can('risk:read') ? [{ value: 'method', label: t('nav.method'), icon: <IconSettings size={16} /> }] : []),
  ];
  return (
    <Tabs
      value={current}
      onChange={(v) => v && v !== current && navigate(v === 'register' ? base : `${base}/${v}`)}
      mb="md"
      data-testid="risk-nav"
    >
      <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto' }}>
        {tabs.map((t) => (
          <Tabs.Tab key={t.value} value={t.value} leftSection={t.icon} data-testid={`risk-tab-${t.value}`}>
            {t.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}

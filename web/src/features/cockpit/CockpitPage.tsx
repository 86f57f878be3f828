import {
  Anchor,
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import {
  IconAlertTriangle,
  IconArrowRight,
  IconCircle,
  IconCircleCheck,
  IconCircleDashed,
  IconCircleHalf2,
  IconClockHour4,
  IconRefresh,
  IconRoute,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../app/api.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { ErrorAlert, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { formatDate, formatNumber, formatRelativeDay } from '../../i18n/index.ts';
import type { Check, Cockpit, CockpitCycle, CycleList, Phase } from './cockpit-types.ts';
import { CycleDialog } from './CycleDialog.tsx';

const DAY = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / DAY;

const phaseColors: Record<Phase['status'], string> = { done: 'teal', in_progress: 'praxis', not_started: 'gray' };
const stateColors: Record<Check['state'], string> = { done: 'teal', partial: 'orange', open: 'gray', not_applicable: 'gray' };

function StateIcon({ state }: { state: Check['state'] }) {
  const icon =
    state === 'done' ? (
      <IconCircleCheck size={18} />
    ) : state === 'partial' ? (
      <IconCircleHalf2 size={18} />
    ) : state === 'open' ? (
      <IconCircle size={18} />
    ) : (
      <IconCircleDashed size={18} />
    );
  return (
    <ThemeIcon variant="transparent" color={stateColors[state]} size={20} style={{ flexShrink: 0 }}>
      {icon}
    </ThemeIcon>
  );
}

/** "3 days", "5 hours": how long something has waited, in the reader's language. */
function useAge() {
  const { t } = useTranslation('cockpit');
  return (since: string, now = Date.now()) => {
    const ms = Math.max(0, now - Date.parse(since));
    const days = Math.floor(ms / DAY);
    if (days >= 1) return formatNumber(days, { style: 'unit', unit: 'day', unitDisplay: 'long' });
    const hours = Math.floor(ms / 3_600_000);
    return hours >= 1 ? formatNumber(hours, { style: 'unit', unit: 'hour', unitDisplay: 'long' }) : t('handoffs.lessThanADay');
  };
}

function CheckRow({ check }: { check: Check }) {
  const { t } = useTranslation('cockpit');
  const label = t(check.labelKey);
  const f = check.figures;
  const pct = f && f.total > 0 ? Math.round((f.done / f.total) * 100) : null;
  return (
    <Stack gap={4} py={6} data-testid={`check-${check.key}`} data-state={check.state}>
      <Group gap={8} wrap="nowrap" align="flex-start">
        <Tooltip label={t(`state.${check.state}`)} withArrow>
          <span>
            <StateIcon state={check.state} />
          </span>
        </Tooltip>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" gap={6} wrap="nowrap">
            <Tooltip label={t(check.explanationKey)} multiline w={280} withArrow openDelay={300}>
              {check.link ? (
                <Anchor component={Link} to={check.link} size="sm" fw={500} c="praxis.8">
                  {label}
                </Anchor>
              ) : (
                <Text size="sm" fw={500}>
                  {label}
                </Text>
              )}
            </Tooltip>
            {f && f.total > 0 && (
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-testid="check-figures">
                {t('figures', { done: formatNumber(f.done), total: formatNumber(f.total) })}
              </Text>
            )}
          </Group>
          {pct !== null && check.state !== 'done' && (
            <Progress value={pct} size={4} radius="xl" color={stateColors[check.state]} aria-label={label} />
          )}
          {check.reasonKey && (
            <Text size="xs" c="dimmed">
              {t(check.reasonKey)}
            </Text>
          )}
        </Stack>
      </Group>
    </Stack>
  );
}

function PhaseCard({ phase, current }: { phase: Phase; current: boolean }) {
  const { t } = useTranslation('cockpit');
  return (
    <Card
      withBorder
      radius="md"
      p="md"
      data-testid={`phase-${phase.phase}`}
      data-status={phase.status}
      style={current ? { borderColor: 'var(--mantine-color-praxis-5)', boxShadow: '0 0 0 1px var(--mantine-color-praxis-5)' } : undefined}
    >
      <Group justify="space-between" wrap="nowrap" mb={4}>
        <Title order={4}>{t(`phase.${phase.phase}`)}</Title>
        {phase.checks.every((c) => c.state === 'not_applicable') ? (
          <Badge color="gray" variant="light">
            {t('state.not_applicable')}
          </Badge>
        ) : (
          <Badge color={phaseColors[phase.status]} variant={phase.status === 'done' ? 'filled' : 'light'}>
            {t(`phaseStatus.${phase.status}`)}
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {t(`phaseHint.${phase.phase}`)}
      </Text>
      <Stack gap={0}>
        {phase.checks.map((c) => (
          <CheckRow key={c.key} check={c} />
        ))}
      </Stack>
    </Card>
  );
}

function CycleSummary({ cycle, asOf, actions }: { cycle: CockpitCycle; asOf: string; actions: ReactNode }) {
  const { t } = useTranslation('cockpit');
  const days = dayNumber(cycle.endsOn) - dayNumber(cycle.startsOn) + 1;
  const day = dayNumber(asOf) - dayNumber(cycle.startsOn) + 1;
  const pct = Math.min(100, Math.max(0, (day / days) * 100));
  const when =
    day < 1
      ? t('cycle.notStarted', { relative: formatRelativeDay(cycle.startsOn) })
      : day > days
        ? t('cycle.ended', { relative: formatRelativeDay(cycle.endsOn) })
        : t('cycle.progress', { day: formatNumber(day), days: formatNumber(days) });
  return (
    <Card withBorder radius="md" p="lg" data-testid="cycle">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={2}>
          <Title order={3}>{t('cycle.heading', { number: cycle.number })}</Title>
          <Text size="sm" c="dimmed" data-testid="cycle-range">
            {t('cycle.range', { start: formatDate(cycle.startsOn), end: formatDate(cycle.endsOn) })}
          </Text>
        </Stack>
        <Group gap="sm">{actions}</Group>
      </Group>
      <Stack gap={4} mt="md">
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            {cycle.currentPhase ? t('cycle.currentPhase', { phase: t(`phase.${cycle.currentPhase}`) }) : t('cycle.allDone')}
          </Text>
          <Text size="sm" c={day > days ? 'red.7' : 'dimmed'}>
            {when}
          </Text>
        </Group>
        <Progress value={pct} size="sm" radius="xl" color={day > days ? 'red' : 'praxis'} aria-label={when} />
      </Stack>
    </Card>
  );
}

function Section({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder radius="md" p="lg">
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={5}>{title}</Title>
        {extra}
      </Group>
      {children}
    </Card>
  );
}

function Empty({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <Text size="sm" c="dimmed" data-testid={testId}>
      {children}
    </Text>
  );
}

function NextSteps({ c }: { c: Cockpit }) {
  const { t } = useTranslation('cockpit');
  return (
    <Section title={t('next.heading')}>
      {c.nextSteps.length === 0 ? (
        <Empty testId="next-empty">{t('next.empty')}</Empty>
      ) : (
        <Stack gap="xs" data-testid="next-steps">
          {c.nextSteps.map((s) => (
            <Group
              key={s.kind === 'task' ? s.reference : s.key}
              gap="sm"
              wrap="nowrap"
              align="flex-start"
              py={6}
              style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
            >
              <ThemeIcon variant="light" color={s.kind === 'task' ? 'red' : 'praxis'} size={28} radius="xl" style={{ flexShrink: 0 }}>
                {s.kind === 'task' ? <IconAlertTriangle size={16} /> : <IconArrowRight size={16} />}
              </ThemeIcon>
              <Stack gap={0} style={{ minWidth: 0 }}>
                {s.kind === 'task' ? (
                  <>
                    <Text size="sm">
                      <Ref>{s.reference}</Ref>{' '}
                      <Anchor component={Link} to={s.link} size="sm" fw={500} c="praxis.8">
                        {s.title}
                      </Anchor>
                    </Text>
                    <Text size="xs" c="red.7">
                      {t('next.task', { relative: formatRelativeDay(s.dueOn) })} · {s.process.name}
                    </Text>
                  </>
                ) : (
                  <>
                    {s.link ? (
                      <Anchor component={Link} to={s.link} size="sm" fw={500} c="praxis.8">
                        {t(s.labelKey)}
                      </Anchor>
                    ) : (
                      <Text size="sm" fw={500}>
                        {t(s.labelKey)}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {t(`phase.${s.phase}`)} · {s.process.name}
                    </Text>
                  </>
                )}
              </Stack>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** One line of a list: a leading figure or icon, a title, and a line of details under it. */
function Row({ lead, title, details, testId }: { lead: ReactNode; title: ReactNode; details: ReactNode; testId?: string }) {
  return (
    <Group
      gap="sm"
      wrap="nowrap"
      align="flex-start"
      py={6}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
      data-testid={testId}
    >
      {lead}
      <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
        {title}
        {details}
      </Stack>
    </Group>
  );
}

function CountBadge({ count, color }: { count: number; color: string }) {
  return (
    <Badge color={color} variant="light" size="lg" radius="sm" miw={40} style={{ flexShrink: 0 }}>
      {formatNumber(count)}
    </Badge>
  );
}

function OverdueWork({ c }: { c: Cockpit }) {
  const { t } = useTranslation('cockpit');
  return (
    <Section
      title={t('overdue.heading')}
      extra={
        c.overdue.total > 0 && (
          <Badge color="red" variant="light" data-testid="overdue-total">
            {t('overdue.count', { count: c.overdue.total })}
          </Badge>
        )
      }
    >
      {c.overdue.byProcess.length === 0 ? (
        <Empty testId="overdue-empty">{t('overdue.empty')}</Empty>
      ) : (
        <Stack gap="xs" data-testid="overdue-list">
          {c.overdue.byProcess.map((p) => (
            <Row
              key={p.process.key}
              testId={`overdue-${p.process.key}`}
              lead={<CountBadge count={p.count} color="red" />}
              title={
                <Anchor component={Link} to={p.link} size="sm" fw={500} c="praxis.8">
                  {p.process.name}
                </Anchor>
              }
              details={
                <>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {t('overdue.longest')}: <Ref>{p.oldest.reference}</Ref> {p.oldest.title}
                  </Text>
                  <Text size="xs" c="red.7">
                    {t('overdue.due', { relative: formatRelativeDay(p.oldest.dueOn) })}
                  </Text>
                </>
              }
            />
          ))}
        </Stack>
      )}
    </Section>
  );
}

function HandoffsWaiting({ c }: { c: Cockpit }) {
  const { t } = useTranslation('cockpit');
  const age = useAge();
  return (
    <Section
      title={t('handoffs.heading')}
      extra={
        c.handoffs.total > 0 && (
          <Badge color="praxis" variant="light" data-testid="handoffs-total">
            {t('handoffs.summary', { count: c.handoffs.total })}
          </Badge>
        )
      }
    >
      {c.handoffs.byEdge.length === 0 ? (
        <Empty testId="handoffs-empty">{t('handoffs.empty')}</Empty>
      ) : (
        <Stack gap="xs" data-testid="handoffs-list">
          {c.handoffs.byEdge.map((e) => (
            <Row
              key={e.edge}
              testId={`handoff-${e.edge}`}
              lead={<CountBadge count={e.count} color="praxis" />}
              title={
                <Anchor component={Link} to={e.link} size="sm" fw={500} c="praxis.8">
                  {e.from.key === e.to.key ? t('handoffs.intake', { process: e.to.name }) : `${e.from.name} → ${e.to.name}`}
                </Anchor>
              }
              details={
                <Group gap={6} wrap="wrap">
                  <IconClockHour4 size={14} color="var(--mantine-color-dimmed)" />
                  <Text size="xs" c="dimmed">
                    {t('handoffs.oldest')}: {age(e.oldestAt)}
                  </Text>
                  {e.overdue > 0 && (
                    <Badge color="red" variant="light" size="xs">
                      {t('handoffs.overdue', { count: e.overdue })}
                    </Badge>
                  )}
                </Group>
              }
            />
          ))}
        </Stack>
      )}
    </Section>
  );
}

function CycleHistory({ scopeId }: { scopeId: string }) {
  const { t } = useTranslation('cockpit');
  const cycles = useQuery({ queryKey: ['cycles', scopeId], queryFn: () => api.get<CycleList>(`/api/scopes/${scopeId}/cycles`) });
  const past = (cycles.data?.items ?? []).filter((c) => !c.current);
  if (past.length === 0) return null;
  return (
    <Section title={t('cycle.history')}>
      <Stack gap={4} data-testid="cycle-history">
        {past.map((c) => (
          <Text key={c.id} size="sm" c="dimmed">
            {t('cycle.historyItem', { number: c.number, start: formatDate(c.startsOn), end: formatDate(c.endsOn) })}
          </Text>
        ))}
      </Stack>
    </Section>
  );
}

/** The ISMS manager's home: the cycle and its phases, overdue work, hand-offs waiting and the next steps. */
export function CockpitPage() {
  const { t } = useTranslation('cockpit');
  const scope = useCurrentScope();
  const can = useCan();
  const [dialog, setDialog] = useState<'edit' | 'next' | null>(null);
  const cockpit = useQuery({ queryKey: ['cockpit', scope.id], queryFn: () => api.get<Cockpit>(`/api/scopes/${scope.id}/cockpit`) });
  const header = <PageHeader title={t('title')} description={t('description')} />;
  if (cockpit.error)
    return (
      <>
        {header}
        <ErrorAlert error={cockpit.error} title={t('loadError')} />
      </>
    );
  const c = cockpit.data;
  if (!c)
    return (
      <>
        {header}
        <TableSkeleton />
      </>
    );
  const manage = can('process:manage');
  const cycle = c.cycle;
  return (
    <>
      {header}
      <Stack>
        {cycle ? (
          <>
            <CycleSummary
              cycle={cycle}
              asOf={c.asOf}
              actions={
                manage && (
                  <>
                    <Button variant="default" size="xs" onClick={() => setDialog('edit')} data-testid="cycle-edit">
                      {t('cycle.editDates')}
                    </Button>
                    <Button
                      variant="light"
                      size="xs"
                      leftSection={<IconRefresh size={14} />}
                      onClick={() => setDialog('next')}
                      data-testid="cycle-next"
                    >
                      {t('cycle.startNext')}
                    </Button>
                  </>
                )
              }
            />
            <SimpleGrid cols={{ base: 1, sm: 2, xl: 4 }} spacing="md">
              {cycle.phases.map((p) => (
                <PhaseCard key={p.phase} phase={p} current={p.phase === cycle.currentPhase} />
              ))}
            </SimpleGrid>
          </>
        ) : (
          <Card withBorder radius="md" p="xl" data-testid="no-cycle">
            <EmptyState
              icon={<IconRoute size={32} />}
              withIndicatorBackground
              title={t('cycle.noneTitle')}
              description={t('cycle.noneDescription')}
            >
              <EmptyState.Actions>
                {manage ? (
                  <Button onClick={() => setDialog('next')}>{t('cycle.startFirst')}</Button>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('cycle.noneReader')}
                  </Text>
                )}
              </EmptyState.Actions>
            </EmptyState>
          </Card>
        )}
        <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
          <NextSteps c={c} />
          <OverdueWork c={c} />
          <HandoffsWaiting c={c} />
        </SimpleGrid>
        <CycleHistory scopeId={scope.id} />
      </Stack>
      {dialog && (
        <CycleDialog scopeId={scope.id} cycle={dialog === 'edit' && cycle ? cycle : undefined} opened onClose={() => setDialog(null)} />
      )}
    </>
  );
}

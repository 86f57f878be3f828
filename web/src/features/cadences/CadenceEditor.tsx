import { Alert, Badge, Button, Group, List, SegmentedControl, Select, Stack, Switch, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import {
  type CadenceMode,
  type CadenceWeekday,
  type FriendlyRule,
  frequencies,
  RuleError,
  schedule,
  toRRule,
  upcomingDates,
  weekdays,
} from '../../../../server/src/cadences/cadence.rules.ts';
import type * as cadenceSchemas from '../../../../server/src/cadences/cadence.schemas.ts';
import { friendlyRule, updateCadenceBody } from '../../../../server/src/cadences/cadence.schemas.ts';
import { NumberField, numberLimits } from '../../app/FormParts.tsx';
import { ApiError, api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../app/ui.tsx';
import { formatDate, formatRelativeDay as relativeDay } from '../../i18n/index.ts';
import { describeCadence, monthName, weekdayName } from './cadence-words.ts';

const ruleLimits = numberLimits(friendlyRule.shape);
const cadenceLimits = numberLimits(updateCadenceBody.shape);

export type CadenceInfo = z.infer<typeof cadenceSchemas.cadenceResponse>;
export type CadenceSummary = z.infer<typeof cadenceSchemas.cadenceSummary>;
type UpdateCadenceInput = z.input<typeof cadenceSchemas.updateCadenceBody>;
type SourceCadence = z.infer<typeof cadenceSchemas.sourceCadenceResponse>;
type UpdateSourceCadenceInput = z.input<typeof cadenceSchemas.updateSourceCadenceBody>;

/** Every process's cadence of a scope, in short (one request for the process map's table). */
export function useProcessCadences(scopeId: string) {
  return useQuery({
    queryKey: ['cadences', scopeId],
    queryFn: () => api.get<{ items: CadenceSummary[]; sources: SourceCadence[] }>(`/api/scopes/${scopeId}/cadences`),
  });
}

/** A process's cadence in words ("every year in March"), for tables and read-only views. */
export function CadenceText({ cadence }: { cadence: CadenceSummary | undefined }) {
  const { t } = useTranslation('cadences');
  if (!cadence) return <Text size="sm">—</Text>;
  return (
    <Text size="sm" c={cadence.rrule ? undefined : 'dimmed'} data-testid={`cadence-text-${cadence.processKey}`}>
      {describeCadence(t, cadence)}
    </Text>
  );
}

interface Draft {
  enabled: boolean;
  rule: FriendlyRule;
  mode: CadenceMode;
  startsOn: string | null;
  leadDays: number;
  escalationDays: number;
}

const today = () => new Date().toISOString().slice(0, 10);

function draftOf(c: CadenceInfo): Draft {
  return {
    enabled: !!c.rrule,
    rule: c.rule ?? { frequency: 'yearly', interval: 1, weekday: null, monthDay: null, month: null },
    mode: c.mode,
    startsOn: c.mode === 'fixed' ? c.startsOn : null,
    leadDays: c.leadDays,
    escalationDays: c.escalationDays,
  };
}

/** The next three dates of a draft, computed in the browser with the server's own rule functions. */
function preview(d: Draft, lastCompletedOn: string | null): { dates: string[]; error: string | null } {
  if (!d.enabled) return { dates: [], error: null };
  try {
    const rule = toRRule(d.rule);
    const { startsOn, next } = schedule(rule, d.mode, today(), d.startsOn, lastCompletedOn);
    return { dates: upcomingDates({ rule, startsOn: startsOn ?? today(), mode: d.mode }, next), error: null };
  } catch (err) {
    if (err instanceof RuleError) return { dates: [], error: err.message };
    return { dates: [], error: String(err) };
  }
}

/**
 * A process's cadence: in words with its next three dates and the review under way; for managers an editor
 * ("every year in March", "3 months after the last review") whose preview follows each change before saving.
 */
export function CadenceEditor({ scopeId, processKey, editable }: { scopeId: string; processKey: string; editable: boolean }) {
  const url = `/api/scopes/${scopeId}/processes/${encodeURIComponent(processKey)}/cadence`;
  const cadence = useQuery({ queryKey: ['cadence', scopeId, processKey], queryFn: () => api.get<CadenceInfo>(url) });
  const sources = (useProcessCadences(scopeId).data?.sources ?? []).filter((s) => s.processKey === processKey);
  if (!cadence.data) return null;
  return (
    <>
      <CadenceView key={`${processKey}-${cadence.data.version}`} cadence={cadence.data} url={url} scopeId={scopeId} editable={editable} />
      {sources.map((s) => (
        <SourceCadenceView key={`${s.source}-${s.version}`} cadence={s} scopeId={scopeId} editable={editable} />
      ))}
    </>
  );
}

/**
 * The rule of a kind of record with its own review dates (each risk): shown in words, and for managers editable; each
 * record keeps its next review date, which moves by this rule when its review is done.
 */
function SourceCadenceView({ cadence: c, scopeId, editable }: { cadence: SourceCadence; scopeId: string; editable: boolean }) {
  const { t } = useTranslation('cadences');
  const qc = useQueryClient();
  const initial: Draft = {
    enabled: !!c.rrule,
    rule: c.rule ?? { frequency: 'yearly', interval: 1, weekday: null, monthDay: null, month: null },
    mode: c.mode,
    startsOn: null,
    leadDays: c.leadDays,
    escalationDays: c.escalationDays,
  };
  const [draft, setDraft] = useState<Draft>(initial);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setRule = (patch: Partial<FriendlyRule>) => setDraft((d) => ({ ...d, rule: { ...d.rule, ...patch } }));
  const error = useMemo(() => {
    try {
      if (draft.enabled) toRRule(draft.rule);
      return null;
    } catch (err) {
      return err instanceof RuleError ? err.message : String(err);
    }
  }, [draft]);
  const words = describeCadence(
    t,
    draft.enabled ? { rule: draft.rule, rrule: 'x', mode: draft.mode } : { rule: null, rrule: null, mode: draft.mode },
  );
  const save = async () => {
    setSaving(true);
    const body: UpdateSourceCadenceInput = {
      version: c.version,
      rule: draft.enabled ? draft.rule : null,
      mode: draft.mode,
      leadDays: draft.leadDays,
      escalationDays: draft.escalationDays,
    };
    try {
      await api.put<SourceCadence, UpdateSourceCadenceInput>(
        `/api/scopes/${scopeId}/cadences/sources/${encodeURIComponent(c.source)}`,
        body,
      );
      notifySuccess(t('form.saved', { process: t(`sources.${c.source}`, { defaultValue: c.processName }) }));
      setOpen(false);
    } catch (e) {
      notifyError(e instanceof ApiError && e.code === 'version_conflict' ? new Error(t('form.conflict')) : e);
    } finally {
      setSaving(false);
      void qc.invalidateQueries({ queryKey: ['cadences', scopeId] });
      void qc.invalidateQueries({ queryKey: ['cadences-upcoming', scopeId] });
    }
  };
  return (
    <Stack gap="xs" data-testid={`source-cadence-${c.source}`}>
      <div>
        <Text size="xs" c="dimmed">
          {t(`sources.${c.source}`, { defaultValue: c.processName })}
        </Text>
        <Text size="sm" fw={500}>
          {words}
        </Text>
        <Text size="xs" c="dimmed">
          {t('sourceHint')}
        </Text>
      </div>
      {editable && !open && (
        <Group justify="flex-end">
          <Button size="xs" variant="light" onClick={() => setOpen(true)}>
            {t('form.change')}
          </Button>
        </Group>
      )}
      {editable && open && (
        <>
          <Switch label={t('form.enabled')} checked={draft.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
          {draft.enabled && <RuleFields draft={draft} set={set} setRule={setRule} withStart={false} />}
          {error && (
            <Alert color="red" variant="light" p="xs">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button size="xs" onClick={() => void save()} loading={saving} disabled={!!error}>
              {t('form.save')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

function CadenceView({ cadence: c, url, scopeId, editable }: { cadence: CadenceInfo; url: string; scopeId: string; editable: boolean }) {
  const { t } = useTranslation('cadences');
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(c));
  const [saving, setSaving] = useState(false);
  // the stored schedule until something changes, then the preview of the draft
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(c));
  const shown = useMemo(() => (dirty ? preview(draft, c.lastCompletedOn) : { dates: c.nextDates, error: null }), [dirty, draft, c]);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  // a changed rule or way of counting starts afresh from today unless a first date is given again
  const setRule = (patch: Partial<FriendlyRule>) => setDraft((d) => ({ ...d, rule: { ...d.rule, ...patch }, startsOn: null }));
  const words = describeCadence(
    t,
    draft.enabled ? { rule: draft.rule, rrule: 'x', mode: draft.mode } : { rule: null, rrule: null, mode: draft.mode },
  );

  const save = async () => {
    setSaving(true);
    const body: UpdateCadenceInput = {
      version: c.version,
      rule: draft.enabled ? draft.rule : null,
      mode: draft.mode,
      startsOn: draft.startsOn,
      leadDays: draft.leadDays,
      escalationDays: draft.escalationDays,
    };
    try {
      await api.put<CadenceInfo, UpdateCadenceInput>(url, body);
      notifySuccess(t('form.saved', { process: c.processName }));
    } catch (e) {
      notifyError(e instanceof ApiError && e.code === 'version_conflict' ? new Error(t('form.conflict')) : e);
    } finally {
      setSaving(false);
      void qc.invalidateQueries({ queryKey: ['cadence', scopeId] });
      void qc.invalidateQueries({ queryKey: ['cadences', scopeId] });
      void qc.invalidateQueries({ queryKey: ['cadences-upcoming', scopeId] });
      void qc.invalidateQueries({ queryKey: ['processes', scopeId] });
    }
  };

  return (
    <Stack gap="xs" data-testid="cadence-editor">
      <div>
        <Text size="xs" c="dimmed">
          {t('title')}
        </Text>
        <Text size="sm" fw={500} data-testid="cadence-words">
          {words}
        </Text>
      </div>
      {c.current && (
        <Group gap={6}>
          <Text size="sm" c={c.current.overdue ? 'red.7' : undefined}>
            {t(c.current.overdue ? 'underWayOverdue' : 'underWay', {
              task: c.current.taskReference ?? '',
              date: formatDate(c.current.occursOn),
            })}
          </Text>
          {c.current.escalationLevel > 0 && (
            <Badge color="orange" size="sm" variant="light">
              {t('escalated', { count: c.current.escalationLevel })}
            </Badge>
          )}
        </Group>
      )}
      {c.lastCompletedOn && (
        <Text size="xs" c="dimmed">
          {t('lastCompleted', { date: formatDate(c.lastCompletedOn) })}
        </Text>
      )}
      {editable && (
        <>
          <Switch label={t('form.enabled')} checked={draft.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
          {draft.enabled && <RuleFields draft={draft} set={set} setRule={setRule} withStart />}
        </>
      )}
      {draft.enabled &&
        (shown.error ? (
          <Alert color="red" variant="light" p="xs">
            {shown.error}
          </Alert>
        ) : (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('nextDates')}
            </Text>
            {shown.dates.length === 0 ? (
              <Text size="sm">{t('noDates')}</Text>
            ) : (
              <List size="sm" spacing={2} data-testid="cadence-next-dates">
                {shown.dates.map((d) => (
                  <List.Item key={d}>
                    {formatDate(d)}{' '}
                    <Text span size="xs" c="dimmed">
                      ({relativeDay(d)})
                    </Text>
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
        ))}
      {editable && (
        <Group justify="flex-end">
          <Button size="xs" onClick={() => void save()} loading={saving} disabled={!!shown.error} data-testid="cadence-save">
            {t('form.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The fields of a rule: frequency, interval, weekday / day of the month / month, how it counts, lead and escalation days. */
function RuleFields({
  draft,
  set,
  setRule,
  withStart,
}: {
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  setRule: (patch: Partial<FriendlyRule>) => void;
  withStart: boolean;
}) {
  const { t } = useTranslation('cadences');
  const numberOptions = Array.from({ length: 31 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }));
  return (
    <>
      <Group grow align="flex-start">
        <Select
          size="sm"
          label={t('form.frequency')}
          allowDeselect={false}
          data={frequencies.map((f) => ({ value: f, label: t(`form.frequencies.${f}`) }))}
          value={draft.rule.frequency}
          onChange={(v) => v && setRule({ frequency: v as FriendlyRule['frequency'], weekday: null, monthDay: null, month: null })}
          data-testid="cadence-frequency"
        />
        <NumberField
          size="sm"
          label={t('form.interval')}
          suffix={` ${t(`form.intervalUnit.${draft.rule.frequency}`, { count: draft.rule.interval })}`}
          {...ruleLimits.interval}
          value={draft.rule.interval}
          onChange={(v) => setRule({ interval: Number(v) || 1 })}
          data-testid="cadence-interval"
        />
      </Group>
      {draft.rule.frequency === 'weekly' && (
        <Select
          size="sm"
          label={t('form.weekday')}
          clearable
          data={weekdays.map((d) => ({ value: d, label: weekdayName(d) }))}
          value={draft.rule.weekday ?? null}
          onChange={(v) => setRule({ weekday: (v as CadenceWeekday | null) ?? null })}
        />
      )}
      {draft.rule.frequency !== 'weekly' && (
        <Group grow align="flex-start">
          {draft.rule.frequency === 'yearly' && (
            <Select
              size="sm"
              label={t('form.month')}
              placeholder={t('form.monthAny')}
              clearable
              data={Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: monthName(i + 1) }))}
              value={draft.rule.month ? String(draft.rule.month) : null}
              onChange={(v) => setRule({ month: v ? Number(v) : null })}
              data-testid="cadence-month"
            />
          )}
          <Select
            size="sm"
            label={t('form.monthDay')}
            placeholder={t('form.monthDayAny')}
            clearable
            data={[...numberOptions, { value: '-1', label: t('form.lastDay') }]}
            value={draft.rule.monthDay ? String(draft.rule.monthDay) : null}
            onChange={(v) => setRule({ monthDay: v ? Number(v) : null })}
            data-testid="cadence-month-day"
          />
        </Group>
      )}
      <SegmentedControl
        size="xs"
        aria-label={t('form.mode')}
        data={[
          { value: 'fixed', label: t('form.modes.fixed') },
          { value: 'after_completion', label: t('form.modes.after_completion') },
        ]}
        value={draft.mode}
        onChange={(v) => set({ mode: v as CadenceMode, startsOn: null })}
      />
      {withStart && (
        <DateInput
          size="sm"
          label={draft.mode === 'fixed' ? t('form.startsOn') : t('nextReview')}
          placeholder={t('form.startsOnHint')}
          clearable
          valueFormat="D MMM YYYY"
          value={draft.startsOn}
          onChange={(d) => set({ startsOn: d ? d.slice(0, 10) : null })}
        />
      )}
      <Group grow align="flex-start">
        <NumberField
          size="sm"
          label={t('form.leadDays')}
          {...cadenceLimits.leadDays}
          value={draft.leadDays}
          onChange={(v) => set({ leadDays: Number(v) || 0 })}
        />
        <NumberField
          size="sm"
          label={t('form.escalationDays')}
          description={t('form.escalationHint')}
          {...cadenceLimits.escalationDays}
          value={draft.escalationDays}
          onChange={(v) => set({ escalationDays: Number(v) || 1 })}
        />
      </Group>
    </>
  );
}

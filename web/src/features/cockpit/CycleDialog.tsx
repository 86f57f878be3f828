import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../app/ui.tsx';
import type { Cycle, StartCycleInput, UpdateCycleInput } from './cockpit-types.ts';

/**
 * Starts the next cycle (`cycle` absent: dates optional) or edits a cycle's dates. A refused date names its field, and
 * the error shows under that input.
 */
export function CycleDialog({
  scopeId,
  cycle,
  opened,
  onClose,
}: {
  scopeId: string;
  cycle?: Pick<Cycle, 'id' | 'startsOn' | 'endsOn' | 'version'> | undefined;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('cockpit');
  const qc = useQueryClient();
  const [startsOn, setStartsOn] = useState<string | null>(cycle?.startsOn ?? null);
  const [endsOn, setEndsOn] = useState<string | null>(cycle?.endsOn ?? null);
  const [errors, setErrors] = useState<{ startsOn?: string; endsOn?: string }>({});
  const [saving, setSaving] = useState(false);

  const save = async () => {
    setSaving(true);
    setErrors({});
    try {
      if (cycle) {
        await api.patch<Cycle, UpdateCycleInput>(`/api/scopes/${scopeId}/cycles/${cycle.id}`, {
          version: cycle.version,
          ...(startsOn && { startsOn }),
          ...(endsOn && { endsOn }),
        });
        notifySuccess(t('cycle.saved'));
      } else {
        const started = await api.post<Cycle, StartCycleInput>(`/api/scopes/${scopeId}/cycles`, {
          ...(startsOn && { startsOn }),
          ...(endsOn && { endsOn }),
        });
        notifySuccess(t('cycle.started', { number: started.number }));
      }
      void qc.invalidateQueries({ queryKey: ['cockpit', scopeId] });
      void qc.invalidateQueries({ queryKey: ['cycles', scopeId] });
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.field === 'body.startsOn') setErrors({ startsOn: e.message });
      else if (e instanceof ApiError && e.field === 'body.endsOn') setErrors({ endsOn: e.message });
      else notifyError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={cycle ? t('cycle.editDates') : t('cycle.startNext')} centered>
      <Stack>
        <Text size="sm" c="dimmed">
          {cycle ? t('cycle.editHint') : t('cycle.startNextHint')}
        </Text>
        <DateInput
          label={t('cycle.startsOn')}
          valueFormat="D MMM YYYY"
          clearable={!cycle}
          value={startsOn}
          onChange={(d) => setStartsOn(d ? d.slice(0, 10) : null)}
          error={errors.startsOn}
          disabled={saving}
          data-testid="cycle-starts-on"
        />
        <DateInput
          label={t('cycle.endsOn')}
          valueFormat="D MMM YYYY"
          clearable={!cycle}
          // a cycle ends after the day it starts
          minDate={startsOn ? new Date(Date.parse(`${startsOn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : undefined}
          value={endsOn}
          onChange={(d) => setEndsOn(d ? d.slice(0, 10) : null)}
          error={errors.endsOn}
          disabled={saving}
          data-testid="cycle-ends-on"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={saving}>
            {t('actions.cancel', { ns: 'common' })}
          </Button>
          <Button onClick={save} loading={saving} data-testid="cycle-save">
            {cycle ? t('cycle.save') : t('cycle.start')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

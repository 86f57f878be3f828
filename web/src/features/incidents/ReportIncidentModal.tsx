import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { applyFieldError, ErrorAlert } from '../../app/ui.tsx';
import type { ReportIncidentInput } from './incident-types.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { reportIncidentBody } from '../../../../server/src/processes/incident-management/incident.schemas.ts';

const limits = textLimits(reportIncidentBody.shape);

const localNow = () => {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
};

/**
 * The short report form anyone in the scope can use, on a phone too: what happened, when it was noticed, what is
 * affected. The reference comes back at once.
 */
export function ReportIncidentModal({ scopeId, opened, onClose }: { scopeId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('incidents');
  const qc = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { kind: 'incident' as 'incident' | 'weakness', title: '', description: '', noticedAt: localNow(), affected: '' },
    validate: { title: (v) => (v.trim() ? null : t('report.titleRequired')) },
  });
  const close = () => {
    setDone(null);
    setError(null);
    form.reset();
    onClose();
  };
  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const body: ReportIncidentInput = {
        kind: v.kind,
        title: v.title,
        description: v.description,
        affected: v.affected,
        noticedAt: new Date(v.noticedAt).toISOString(),
      };
      const r = await api.post<{ reference: string }, ReportIncidentInput>(`/api/scopes/${scopeId}/incidents`, body);
      setDone(r.reference);
      void qc.invalidateQueries({ queryKey: ['incidents', scopeId] });
      void qc.invalidateQueries({ queryKey: ['my-tasks'] });
    } catch (e) {
      if (!applyFieldError(form, e)) setError(e);
    }
  });
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{t('report.title')}</Text>} size="lg" fullScreen={window.innerWidth < 600}>
      {done ? (
        <Stack>
          <Alert color="teal" icon={<IconCircleCheck />} title={t('report.received', { reference: done })} data-testid="report-received">
            {t('report.thanks', { reference: done })}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>{t('report.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert error={error} />
            <SegmentedControl
              fullWidth
              data={[
                { value: 'incident', label: t('report.kind.incident') },
                { value: 'weakness', label: t('report.kind.weakness') },
              ]}
              {...form.getInputProps('kind')}
            />
            <TextInput
              label={t('report.what')}
              name="title"
              placeholder={t('report.whatPlaceholder')}
              withAsterisk
              maxLength={limits.title}
              {...form.getInputProps('title')}
            />
            <Textarea
              label={t('report.details')}
              name="description"
              autosize
              minRows={3}
              placeholder={t('report.detailsPlaceholder')}
              maxLength={limits.description}
              {...form.getInputProps('description')}
            />
            {/* the server refuses a moment of noticing in the future */}
            <TextInput
              label={t('report.noticed')}
              name="noticedAt"
              type="datetime-local"
              max={localNow()}
              {...form.getInputProps('noticedAt')}
            />
            <TextInput
              label={t('report.affected')}
              name="affected"
              placeholder={t('report.affectedPlaceholder')}
              maxLength={limits.affected}
              {...form.getInputProps('affected')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" color="red" loading={form.submitting}>
                {t('report.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

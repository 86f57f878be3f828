import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../app/api.ts';
import { applyFieldError, ErrorAlert } from '../../app/ui.tsx';
import type { ReportIncidentInput } from './incident-types.ts';

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
  const qc = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { kind: 'incident' as 'incident' | 'weakness', title: '', description: '', noticedAt: localNow(), affected: '' },
    validate: { title: (v) => (v.trim() ? null : 'Say in a few words what happened') },
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
      const r = await api.post<{ reference: string }>(`/api/scopes/${scopeId}/incidents`, body);
      setDone(r.reference);
      void qc.invalidateQueries({ queryKey: ['incidents', scopeId] });
      void qc.invalidateQueries({ queryKey: ['my-tasks'] });
    } catch (e) {
      if (!applyFieldError(form, e)) setError(e);
    }
  });
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>Report an incident or weakness</Text>}
      size="lg"
      fullScreen={window.innerWidth < 600}
    >
      {done ? (
        <Stack>
          <Alert color="teal" icon={<IconCircleCheck />} title={`Received as ${done}`} data-testid="report-received">
            Thank you. The incident team has been told and will look at it. Quote {done} if you are asked about it.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Close</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert error={error} />
            <SegmentedControl
              fullWidth
              data={[
                { value: 'incident', label: 'Something happened' },
                { value: 'weakness', label: 'A weakness' },
              ]}
              {...form.getInputProps('kind')}
            />
            <TextInput
              label="What happened?"
              name="title"
              placeholder="e.g. I clicked a link in a suspicious email"
              withAsterisk
              {...form.getInputProps('title')}
            />
            <Textarea
              label="Details"
              name="description"
              autosize
              minRows={3}
              placeholder="What did you see, and what did you do?"
              {...form.getInputProps('description')}
            />
            <TextInput label="When did you notice it?" name="noticedAt" type="datetime-local" {...form.getInputProps('noticedAt')} />
            <TextInput
              label="What is affected?"
              name="affected"
              placeholder="e.g. my laptop, the customer database"
              {...form.getInputProps('affected')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={form.submitting}>
                Send report
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

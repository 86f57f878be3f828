import { Alert, Button, FileInput, Grid, Group, Modal, Progress, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { linkEvidenceBody } from '../../../../server/src/processes/control-implementation/evidence.schemas.ts';
import { textLimits } from '../../app/FormParts.tsx';

const limits = textLimits(linkEvidenceBody.shape);
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconFileUpload, IconLink } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { useCurrentSession } from '../../app/session.ts';
import { notifySuccess } from '../../app/ui.tsx';
import { formatBytes, uploadFile } from '../../app/upload.ts';
import type { Evidence, LinkEvidenceInput } from './evidence-types.ts';

const MAX_BYTES = 25 * 1024 * 1024;
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Add evidence: upload a file (with a progress bar) or record a link, optionally attached to a control right away.
 * The server checks the file's type by its content and refuses executables and unknown types with a reason.
 */
export function AddEvidenceModal({
  scopeId,
  opened,
  onClose,
  control,
  onAdded,
}: {
  scopeId: string;
  opened: boolean;
  onClose: () => void;
  /** attach the new evidence to this control */
  control?: { id: string; reference: string };
  onAdded?: (e: Evidence) => void;
}) {
  const { t } = useTranslation('controls');
  const session = useCurrentSession();
  const qc = useQueryClient();
  const [kind, setKind] = useState<'file' | 'link'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [url, setUrl] = useState('');
  const [evidenceDate, setEvidenceDate] = useState<string | null>(today());
  const [validUntil, setValidUntil] = useState<string | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const abort = useRef<AbortController | null>(null);

  const reset = () => {
    setFile(null);
    setTitle('');
    setDescription('');
    setUrl('');
    setEvidenceDate(today());
    setValidUntil(null);
    setPercent(null);
    setError(null);
    setFieldErrors({});
  };
  const close = () => {
    abort.current?.abort();
    reset();
    onClose();
  };

  const submit = async () => {
    const errors: Record<string, string> = {};
    const effectiveTitle = title.trim() || (kind === 'file' ? (file?.name ?? '') : '');
    if (!effectiveTitle) errors.title = t('form.titleRequired');
    if (kind === 'file' && !file) errors.file = t('addEvidence.chooseFile');
    if (kind === 'file' && file && file.size > MAX_BYTES)
      errors.file = t('addEvidence.tooBig', { size: formatBytes(file.size), max: formatBytes(MAX_BYTES) });
    if (kind === 'link' && !/^https?:\/\/\S+$/i.test(url.trim())) errors.url = t('addEvidence.badLink');
    if (!evidenceDate) errors.evidenceDate = t('addEvidence.dateRequired');
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setSaving(true);
    setError(null);
    try {
      const fields: Record<string, string> = {
        title: effectiveTitle,
        description: description.trim(),
        evidenceDate: evidenceDate ?? today(),
        ...(validUntil && { validUntil }),
        ...(control && { controlIds: control.id }),
      };
      let created: Evidence;
      if (kind === 'file' && file) {
        abort.current = new AbortController();
        setPercent(0);
        created = await uploadFile<Evidence>(`/api/scopes/${scopeId}/evidence`, file, {
          fields,
          csrfToken: session.csrfToken,
          signal: abort.current.signal,
          onProgress: setPercent,
        });
      } else {
        const body: LinkEvidenceInput = {
          title: effectiveTitle,
          description: description.trim(),
          url: url.trim(),
          evidenceDate: evidenceDate ?? today(),
          validUntil,
          controlIds: control ? [control.id] : [],
        };
        created = await api.post<Evidence, LinkEvidenceInput>(`/api/scopes/${scopeId}/evidence/links`, body);
      }
      notifySuccess(
        control
          ? t('addEvidence.addedTo', { reference: created.reference, title: created.title, control: control.reference })
          : t('addEvidence.added', { reference: created.reference, title: created.title }),
      );
      void qc.invalidateQueries({ queryKey: ['evidence', scopeId] });
      void qc.invalidateQueries({ queryKey: ['controls', scopeId] });
      if (control) void qc.invalidateQueries({ queryKey: ['control', scopeId, control.id] });
      onAdded?.(created);
      close();
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      setPercent(null);
      if (e instanceof ApiError && e.field) {
        const name = e.field.replace(/^body\./, '');
        if (['title', 'url', 'file', 'evidenceDate', 'validUntil', 'description'].includes(name)) {
          setFieldErrors({ [name]: e.fieldMessage });
          return;
        }
      }
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{control ? t('addEvidence.titleTo', { reference: control.reference }) : t('evidence.add')}</Text>}
      size="lg"
      data-testid="add-evidence-dialog"
    >
      <Stack>
        <SegmentedControl
          value={kind}
          onChange={(v) => {
            setKind(v as 'file' | 'link');
            setFieldErrors({});
            setError(null);
          }}
          disabled={saving}
          data={[
            { value: 'file', label: t('addEvidence.upload') },
            { value: 'link', label: t('addEvidence.recordLink') },
          ]}
          data-testid="evidence-kind"
        />
        {kind === 'file' ? (
          <FileInput
            label={t('addEvidence.file')}
            placeholder={t('addEvidence.chooseFile')}
            leftSection={<IconFileUpload size={16} />}
            value={file}
            onChange={(f) => {
              setFile(f);
              setFieldErrors((p) => ({ ...p, file: '' }));
            }}
            clearable
            disabled={saving}
            description={file ? formatBytes(file.size) : t('addEvidence.fileHint')}
            error={fieldErrors.file}
            data-testid="evidence-file"
          />
        ) : (
          <TextInput
            label={t('addEvidence.link')}
            placeholder="https://…"
            leftSection={<IconLink size={16} />}
            maxLength={limits.url}
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={fieldErrors.url}
            disabled={saving}
            data-testid="evidence-url"
          />
        )}
        <TextInput
          label={t('list.col.title')}
          placeholder={kind === 'file' && file ? file.name : t('addEvidence.titlePlaceholder')}
          maxLength={limits.title}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={fieldErrors.title}
          disabled={saving}
          data-testid="evidence-title"
        />
        <Textarea
          label={t('detail.description')}
          placeholder={t('addEvidence.whatItShows')}
          autosize
          minRows={2}
          maxLength={limits.description}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          disabled={saving}
        />
        <Grid>
          <Grid.Col span={{ base: 12, xs: 6 }}>
            <DateInput
              label={t('addEvidence.date')}
              description={t('addEvidence.dateHint')}
              valueFormat="D MMM YYYY"
              value={evidenceDate}
              onChange={(d) => setEvidenceDate(d ? d.slice(0, 10) : null)}
              error={fieldErrors.evidenceDate}
              disabled={saving}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, xs: 6 }}>
            <DateInput
              label={t('addEvidence.validUntil')}
              description={t('addEvidence.validUntilHint')}
              valueFormat="D MMM YYYY"
              clearable
              placeholder={t('addEvidence.noExpiry')}
              minDate={evidenceDate ?? undefined}
              value={validUntil}
              onChange={(d) => setValidUntil(d ? d.slice(0, 10) : null)}
              error={fieldErrors.validUntil}
              disabled={saving}
            />
          </Grid.Col>
        </Grid>
        {percent !== null && (
          <Stack gap={4}>
            <Progress value={percent} animated size="lg" aria-label={t('addEvidence.progress')} data-testid="upload-progress" />
            <Text size="xs" c="dimmed">
              {percent < 100 ? t('addEvidence.uploading', { percent }) : t('addEvidence.uploaded')}
            </Text>
          </Stack>
        )}
        {!!error && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={t('addEvidence.notAdded')}
            data-testid="evidence-error"
          >
            {errorMessage(error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={submit} loading={saving} data-testid="save-evidence">
            {kind === 'file' ? t('addEvidence.uploadButton') : t('addEvidence.addLink')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

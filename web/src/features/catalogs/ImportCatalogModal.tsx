import { Alert, Anchor, Button, Checkbox, Code, FileInput, Group, Modal, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconCircleCheck, IconFileUpload } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../app/api.ts';
import { useCurrentSession } from '../../app/session.ts';
import type { CatalogImportReport } from './catalog-types.ts';
import { formatBytes, uploadFile } from '../../app/upload.ts';

type State =
  | { step: 'pick' }
  | { step: 'uploading'; percent: number }
  | { step: 'processing' }
  | { step: 'done'; report: CatalogImportReport }
  | { step: 'failed'; error: unknown };

const MAX_BYTES = 20 * 1024 * 1024;

/** Where in the file the server found the problem: the JSON path it names, if any. */
function problemPath(error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.field || error.field.startsWith('body') || error.field.startsWith('query')) return null;
  return error.field;
}

/** A catalog refused because it is already imported: the server names the existing one. */
function existingCatalogId(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const id = error.details?.catalogId;
  return typeof id === 'string' ? id : null;
}

/**
 * "Import OSCAL catalog": the file goes up with a progress bar (XMLHttpRequest reports upload progress), then the
 * server's report (title, version, groups, controls, enhancements, withdrawn) or the reason it refused the file.
 */
export function ImportCatalogModal({ scopeId, opened, onClose }: { scopeId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('catalogs');
  const session = useCurrentSession();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [global, setGlobal] = useState(false);
  const [state, setState] = useState<State>({ step: 'pick' });
  const abort = useRef<AbortController | null>(null);
  const busy = state.step === 'uploading' || state.step === 'processing';

  const reset = () => {
    setFile(null);
    setGlobal(false);
    setState({ step: 'pick' });
  };
  const close = () => {
    if (busy) abort.current?.abort();
    reset();
    onClose();
  };

  const start = async () => {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setState({
        step: 'failed',
        error: new Error(t('import.tooBig', { size: formatBytes(file.size), max: formatBytes(MAX_BYTES) })),
      });
      return;
    }
    abort.current = new AbortController();
    setState({ step: 'uploading', percent: 0 });
    try {
      const report = await uploadFile<CatalogImportReport>(`/api/scopes/${scopeId}/catalogs/import${global ? '?global=true' : ''}`, file, {
        csrfToken: session.csrfToken,
        signal: abort.current.signal,
        onProgress: (percent) => setState(percent >= 100 ? { step: 'processing' } : { step: 'uploading', percent }),
      });
      setState({ step: 'done', report });
      void qc.invalidateQueries({ queryKey: ['catalogs', scopeId] });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      setState({ step: 'failed', error: e });
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{t('list.import')}</Text>} size="lg" data-testid="import-catalog-dialog">
      {state.step === 'done' ? (
        <Stack data-testid="import-report">
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title={t('import.imported')}>
            <Text size="sm" fw={600} data-testid="import-report-title">
              {state.report.title}
            </Text>
            <Text size="sm" c="dimmed">
              {t('page.version', { version: state.report.version })}
              {state.report.scopeId === null ? ` · ${t('import.everyScope')}` : ''}
            </Text>
          </Alert>
          <SimpleGrid cols={{ base: 2, xs: 4 }} spacing="sm">
            {(
              [
                ['groups', t('list.col.groups')],
                ['controls', t('list.col.controls')],
                ['enhancements', t('import.enhancements')],
                ['withdrawn', t('list.col.withdrawn')],
              ] as const
            ).map(([key, label]) => (
              <Stack key={key} gap={0} p="sm" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
                <Text fz={24} fw={700} data-testid={`import-report-${key}`}>
                  {state.report[key]}
                </Text>
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
              </Stack>
            ))}
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={reset}>
              {t('import.another')}
            </Button>
            <Button
              component={Link}
              to={`/s/${scopeId}/catalogs/${state.report.catalogId}`}
              onClick={close}
              data-testid="open-imported-catalog"
            >
              {t('import.open')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <Text size="sm" c="dimmed">
            {t('import.hint')}
          </Text>
          <FileInput
            label={t('import.file')}
            placeholder={t('import.choose')}
            accept="application/json,.json"
            leftSection={<IconFileUpload size={16} />}
            value={file}
            onChange={(f) => {
              setFile(f);
              if (state.step === 'failed') setState({ step: 'pick' });
            }}
            disabled={busy}
            clearable
            description={file ? formatBytes(file.size) : t('import.upTo')}
            data-testid="catalog-file"
          />
          {session.user.isAdmin && (
            <Checkbox
              label={t('import.global')}
              checked={global}
              onChange={(e) => setGlobal(e.currentTarget.checked)}
              disabled={busy}
              data-testid="catalog-global"
            />
          )}
          {state.step === 'uploading' && (
            <Stack gap={4}>
              <Progress value={state.percent} animated size="lg" aria-label={t('import.uploadProgress')} data-testid="upload-progress" />
              <Text size="xs" c="dimmed">
                {t('import.uploading', { percent: state.percent })}
              </Text>
            </Stack>
          )}
          {state.step === 'processing' && (
            <Stack gap={4}>
              <Progress value={100} animated striped size="lg" aria-label={t('import.importProgress')} data-testid="upload-progress" />
              <Text size="xs" c="dimmed">
                {t('import.reading')}
              </Text>
            </Stack>
          )}
          {state.step === 'failed' && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle size={18} />}
              title={t('import.notImported')}
              data-testid="import-error"
            >
              <Text size="sm">{errorMessage(state.error)}</Text>
              {problemPath(state.error) && (
                <Text size="sm" mt={6}>
                  {t('import.where')} <Code>{problemPath(state.error)}</Code>
                </Text>
              )}
              {existingCatalogId(state.error) ? (
                <Anchor
                  component={Link}
                  to={`/s/${scopeId}/catalogs/${existingCatalogId(state.error)}`}
                  onClick={close}
                  size="sm"
                  mt={6}
                  display="block"
                >
                  {t('import.openExisting')}
                </Anchor>
              ) : (
                <Text size="xs" c="dimmed" mt={6}>
                  {t('import.nothingStored')}
                </Text>
              )}
            </Alert>
          )}
          <Group justify="space-between">
            <Anchor href="https://pages.nist.gov/OSCAL/" target="_blank" rel="noreferrer" size="xs" c="dimmed">
              {t('import.aboutOscal')}
            </Anchor>
            <Group gap="sm">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button onClick={start} disabled={!file} loading={busy} data-testid="start-import">
                {t('import.import')}
              </Button>
            </Group>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

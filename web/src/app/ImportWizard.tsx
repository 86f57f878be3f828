import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  Modal,
  Progress,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconFileSpreadsheet } from '@tabler/icons-react';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportReport } from '../../../server/src/shared/import/import.schemas.ts';
import { IMPORT_MAX_BYTES } from '../../../server/src/shared/import/import.schemas.ts';
import { formatNumber } from '../i18n/index.ts';
import { ApiError, errorMessage } from './api.ts';
import { formatBytes, uploadImport } from './import-upload.ts';
import { useCurrentSession } from './session.ts';

/** rows drawn in the dry-run table at once; the summary counts them all */
const SHOWN_ROWS = 300;
const outcomeColors = { created: 'teal', updated: 'blue', unchanged: 'gray', refused: 'red' } as const;

/** the upload's percent; then the rows written so far (null: the server reads and checks the file) */
type Busy = { what: 'check' | 'import'; percent: number | null; rows?: { done: number; total: number } } | null;

export interface ImportWizardProps<F extends string> {
  scopeId: string;
  /** the server's import: POST /api/scopes/:scopeId/imports/<kind> */
  kind: 'assets' | 'risks' | 'controls';
  /** the server's fields, in the order the selects offer them (from the module's *.import.schemas.ts) */
  fields: readonly F[];
  /**
   * the feature's i18n namespace, whose `import` section words what is its own: `title`, `hint`, `field.<field>`,
   * `record` (the column of the table), `doneText` and `run` (with a count)
   */
  namespace: string;
  /** the lists to refresh after an import */
  invalidate: QueryKey;
  /** the start of the test ids (`asset` → asset-import-dialog, asset-import-check, …) */
  testId: string;
  opened: boolean;
  onClose: () => void;
}

/**
 * "Import from spreadsheet", the same for every register: upload an XLSX or CSV file → map its columns to the fields
 * (guessed from the headers, or the scope's saved mapping) → a dry run shows row by row what would be created, updated
 * or refused and why → import, all or nothing. The upload shows its progress; the server's work after it an
 * indeterminate bar.
 */
export function ImportWizard<F extends string>(props: ImportWizardProps<F>) {
  const { scopeId, kind, fields, namespace, invalidate, testId, opened, onClose } = props;
  const { t } = useTranslation('imports');
  const { t: tk } = useTranslation(namespace);
  const session = useCurrentSession();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Record<string, F | null> | null>(null);
  const [report, setReport] = useState<ImportReport<F> | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<unknown>(null);
  const [show, setShow] = useState<'all' | 'refused'>('all');
  const abort = useRef<AbortController | null>(null);

  const reset = () => {
    setFile(null);
    setMapping(null);
    setReport(null);
    setError(null);
    setBusy(null);
    setShow('all');
  };
  const close = () => {
    abort.current?.abort();
    reset();
    onClose();
  };

  const send = async (what: 'check' | 'import', withMapping: Record<string, F | null> | null) => {
    if (!file) return;
    if (file.size > IMPORT_MAX_BYTES) {
      setError(new Error(t('tooBig', { size: formatBytes(file.size), max: formatBytes(IMPORT_MAX_BYTES) })));
      return;
    }
    abort.current = new AbortController();
    setError(null);
    setBusy({ what, percent: 0 });
    try {
      const answer = await uploadImport<ImportReport<F>>(`/api/scopes/${scopeId}/imports/${kind}`, file, {
        csrfToken: session.csrfToken,
        signal: abort.current.signal,
        fields: { dryRun: what === 'check' ? 'true' : 'false', ...(withMapping && { mapping: JSON.stringify(withMapping) }) },
        onUpload: (percent) => setBusy({ what, percent: percent >= 100 ? null : percent }),
        onRows: (done, total) => setBusy({ what, percent: null, rows: { done, total } }),
      });
      setReport(answer);
      setMapping(answer.mapping);
      if (answer.applied) void qc.invalidateQueries({ queryKey: invalidate });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      // an import with refused rows answers 422 with the dry run's report: show it
      const refused = e instanceof ApiError ? (e.details?.report as ImportReport<F> | undefined) : undefined;
      if (refused) setReport(refused);
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const used = new Set(Object.values(mapping ?? {}).filter(Boolean));
  const step = report?.applied ? 4 : report ? 2 : 0;
  const writable = report ? report.summary.created + report.summary.updated : 0;
  // the columns were changed after the check: check again before importing
  const stale = !!report && JSON.stringify(mapping) !== JSON.stringify(report.mapping);
  const rows = report ? report.rows.filter((r) => show === 'all' || r.outcome === 'refused') : [];

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{tk('import.title')}</Text>}
      size="xl"
      data-testid={`${testId}-import-dialog`}
    >
      <Stack>
        <Stepper active={step} size="xs">
          <Stepper.Step label={t('step.upload')} />
          <Stepper.Step label={t('step.map')} />
          <Stepper.Step label={t('step.check')} />
          <Stepper.Step label={t('step.import')} />
        </Stepper>

        {!report?.applied && (
          <FileInput
            label={t('file')}
            placeholder={t('choose')}
            description={file ? formatBytes(file.size) : tk('import.hint', { max: formatBytes(IMPORT_MAX_BYTES) })}
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            leftSection={<IconFileSpreadsheet size={16} />}
            value={file}
            onChange={(f) => {
              reset();
              setFile(f);
            }}
            disabled={!!busy}
            clearable
            data-testid={`${testId}-import-file`}
          />
        )}

        {mapping && report && !report.applied && (
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              {t('mapping')}
            </Text>
            <Text size="xs" c="dimmed">
              {t(`mappingSource.${report.mappingSource}`)}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              {report.headers.map((header) => (
                <Select
                  key={header}
                  label={header}
                  data-testid={`map-${header}`}
                  value={mapping[header] ?? ''}
                  onChange={(v) => setMapping({ ...mapping, [header]: (v || null) as F | null })}
                  data={[
                    { value: '', label: t('notImported') },
                    ...fields.map((f) => ({
                      value: f,
                      label: tk(`import.field.${f as string}`),
                      disabled: used.has(f) && mapping[header] !== f,
                    })),
                  ]}
                  allowDeselect={false}
                  disabled={!!busy}
                />
              ))}
            </SimpleGrid>
          </Stack>
        )}

        {busy && (
          <Stack gap={4}>
            <Progress
              value={busy.rows ? (busy.rows.done / Math.max(busy.rows.total, 1)) * 100 : (busy.percent ?? 100)}
              animated
              striped={busy.percent === null && !busy.rows}
              size="lg"
              aria-label={t('progress')}
              data-testid={`${testId}-import-progress`}
            />
            <Text size="xs" c="dimmed">
              {busy.percent !== null
                ? t('uploading', { percent: busy.percent })
                : busy.rows
                  ? t('rows', { done: formatNumber(busy.rows.done), total: formatNumber(busy.rows.total) })
                  : busy.what === 'check'
                    ? t('checking')
                    : t('importing')}
            </Text>
          </Stack>
        )}

        {error != null && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={t('failed')}
            data-testid={`${testId}-import-error`}
          >
            <Text size="sm">{errorMessage(error)}</Text>
          </Alert>
        )}

        {report && (
          <Stack gap="xs" data-testid={`${testId}-import-report`}>
            {report.applied && (
              <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title={t('done')}>
                <Text size="sm">{tk('import.doneText', { file: report.fileName })}</Text>
              </Alert>
            )}
            <Group gap="xs">
              {(['created', 'updated', 'unchanged', 'refused'] as const).map((k) => (
                <Badge key={k} color={outcomeColors[k]} variant="light" size="lg" data-testid={`summary-${k}`}>
                  {t(`${report.applied ? 'summaryDone' : 'summary'}.${k}`, {
                    count: report.summary[k],
                    formatted: formatNumber(report.summary[k]),
                  })}
                </Badge>
              ))}
            </Group>
            {report.summary.refused > 0 && (
              <SegmentedControl
                size="xs"
                value={show}
                onChange={(v) => setShow(v as 'all' | 'refused')}
                data={[
                  { value: 'all', label: t('showAll') },
                  { value: 'refused', label: t('showRefused') },
                ]}
              />
            )}
            <ScrollArea.Autosize mah={360}>
              <Table striped withTableBorder fz="sm" data-testid={`${testId}-import-rows`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('col.line')}</Table.Th>
                    <Table.Th>{t('col.result')}</Table.Th>
                    <Table.Th>{tk('import.record')}</Table.Th>
                    <Table.Th>{t('col.reasons')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.slice(0, SHOWN_ROWS).map((r) => (
                    <Table.Tr key={r.line}>
                      <Table.Td>{formatNumber(r.line)}</Table.Td>
                      <Table.Td>
                        <Badge color={outcomeColors[r.outcome]} variant="light">
                          {t(`outcome.${r.outcome}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{[r.reference, r.name].filter(Boolean).join(' · ')}</Table.Td>
                      <Table.Td>
                        {r.problems.map((p) => (
                          <Text key={`${p.key}-${p.column}`} size="xs" c="red">
                            {p.message}
                          </Text>
                        ))}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {rows.length > SHOWN_ROWS && (
              <Text size="xs" c="dimmed">
                {t('moreRows', { shown: formatNumber(SHOWN_ROWS), total: formatNumber(rows.length) })}
              </Text>
            )}
          </Stack>
        )}

        <Group justify="flex-end">
          {report?.applied ? (
            <>
              <Button variant="default" onClick={reset}>
                {t('another')}
              </Button>
              <Button onClick={close}>{t('close')}</Button>
            </>
          ) : (
            <>
              <Button variant="default" onClick={close}>
                {t('cancel')}
              </Button>
              <Button
                variant={report ? 'default' : 'filled'}
                onClick={() => void send('check', mapping)}
                disabled={!file || !!busy}
                data-testid={`${testId}-import-check`}
              >
                {report ? t('checkAgain') : t('check')}
              </Button>
              {report && (
                <Button
                  onClick={() => void send('import', mapping)}
                  disabled={!!busy || stale || report.summary.refused > 0 || writable === 0}
                  data-testid={`${testId}-import-run`}
                >
                  {tk('import.run', { count: writable })}
                </Button>
              )}
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

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
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconCircleCheck, IconFileSpreadsheet } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type * as importSchemas from '../../../../server/src/processes/asset-management/asset.import.schemas.ts';
import { assetImportFields } from '../../../../server/src/processes/asset-management/asset.import.schemas.ts';
import { ApiError, errorMessage } from '../../app/api.ts';
import { useCurrentSession } from '../../app/session.ts';
import { formatNumber } from '../../i18n/index.ts';
import { formatBytes, uploadFile } from '../catalogs/upload.ts';

type Report = z.infer<typeof importSchemas.assetImportReport>;
type Field = (typeof importSchemas.assetImportFields)[number];
type Mapping = Record<string, Field | null>;

// the server's fields, in the order the selects offer them
const fields: readonly Field[] = assetImportFields;
const MAX_BYTES = 10 * 1024 * 1024;
/** rows drawn in the dry-run table at once; the summary counts them all */
const SHOWN_ROWS = 300;
const outcomeColors = { created: 'teal', updated: 'blue', unchanged: 'gray', refused: 'red' } as const;

type Busy = { what: 'check' | 'import'; percent: number | null } | null;

/**
 * "Import from spreadsheet": upload an XLSX or CSV file → map its columns to asset fields (guessed from the headers, or
 * the scope's saved mapping) → a dry run shows row by row what would be created, updated or refused and why → import,
 * all or nothing. The upload shows its progress; the server's work after it an indeterminate bar.
 */
export function AssetImportModal({ scopeId, opened, onClose }: { scopeId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('assets');
  const session = useCurrentSession();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [report, setReport] = useState<Report | null>(null);
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

  const send = async (what: 'check' | 'import', withMapping: Mapping | null) => {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setError(new Error(t('import.tooBig', { size: formatBytes(file.size), max: formatBytes(MAX_BYTES) })));
      return;
    }
    abort.current = new AbortController();
    setError(null);
    setBusy({ what, percent: 0 });
    try {
      const answer = await uploadFile<Report>(`/api/scopes/${scopeId}/imports/assets`, file, {
        csrfToken: session.csrfToken,
        signal: abort.current.signal,
        fields: { dryRun: what === 'check' ? 'true' : 'false', ...(withMapping && { mapping: JSON.stringify(withMapping) }) },
        onProgress: (percent) => setBusy({ what, percent: percent >= 100 ? null : percent }),
      });
      setReport(answer);
      setMapping(answer.mapping);
      if (answer.applied) void qc.invalidateQueries({ queryKey: ['assets', scopeId] });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      // an import with refused rows answers 422 with the dry run's report: show it
      const refused = e instanceof ApiError ? (e.details?.report as Report | undefined) : undefined;
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
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{t('import.title')}</Text>} size="xl" data-testid="asset-import-dialog">
      <Stack>
        <Stepper active={step} size="xs">
          <Stepper.Step label={t('import.step.upload')} />
          <Stepper.Step label={t('import.step.map')} />
          <Stepper.Step label={t('import.step.check')} />
          <Stepper.Step label={t('import.step.import')} />
        </Stepper>

        {!report?.applied && (
          <FileInput
            label={t('import.file')}
            placeholder={t('import.choose')}
            description={file ? formatBytes(file.size) : t('import.hint', { max: formatBytes(MAX_BYTES) })}
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            leftSection={<IconFileSpreadsheet size={16} />}
            value={file}
            onChange={(f) => {
              reset();
              setFile(f);
            }}
            disabled={!!busy}
            clearable
            data-testid="asset-import-file"
          />
        )}

        {mapping && report && !report.applied && (
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              {t('import.mapping')}
            </Text>
            <Text size="xs" c="dimmed">
              {t(`import.mappingSource.${report.mappingSource}`)}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              {report.headers.map((header) => (
                <Select
                  key={header}
                  label={header}
                  data-testid={`map-${header}`}
                  value={mapping[header] ?? ''}
                  onChange={(v) => setMapping({ ...mapping, [header]: (v || null) as Field | null })}
                  data={[
                    { value: '', label: t('import.notImported') },
                    ...fields.map((f) => ({ value: f, label: t(`import.field.${f}`), disabled: used.has(f) && mapping[header] !== f })),
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
              value={busy.percent ?? 100}
              animated
              striped={busy.percent === null}
              size="lg"
              aria-label={t('import.progress')}
              data-testid="asset-import-progress"
            />
            <Text size="xs" c="dimmed">
              {busy.percent !== null
                ? t('import.uploading', { percent: busy.percent })
                : busy.what === 'check'
                  ? t('import.checking')
                  : t('import.importing')}
            </Text>
          </Stack>
        )}

        {error != null && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={t('import.failed')}
            data-testid="asset-import-error"
          >
            <Text size="sm">{errorMessage(error)}</Text>
          </Alert>
        )}

        {report && (
          <Stack gap="xs" data-testid="asset-import-report">
            {report.applied && (
              <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title={t('import.done')}>
                <Text size="sm">{t('import.doneText', { file: report.fileName })}</Text>
              </Alert>
            )}
            <Group gap="xs">
              {(['created', 'updated', 'unchanged', 'refused'] as const).map((k) => (
                <Badge key={k} color={outcomeColors[k]} variant="light" size="lg" data-testid={`summary-${k}`}>
                  {t(`import.${report.applied ? 'summaryDone' : 'summary'}.${k}`, {
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
                  { value: 'all', label: t('import.showAll') },
                  { value: 'refused', label: t('import.showRefused') },
                ]}
              />
            )}
            <ScrollArea.Autosize mah={360}>
              <Table striped withTableBorder fz="sm" data-testid="asset-import-rows">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('import.col.line')}</Table.Th>
                    <Table.Th>{t('import.col.result')}</Table.Th>
                    <Table.Th>{t('import.col.asset')}</Table.Th>
                    <Table.Th>{t('import.col.reasons')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.slice(0, SHOWN_ROWS).map((r) => (
                    <Table.Tr key={r.line}>
                      <Table.Td>{formatNumber(r.line)}</Table.Td>
                      <Table.Td>
                        <Badge color={outcomeColors[r.outcome]} variant="light">
                          {t(`import.outcome.${r.outcome}`)}
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
                {t('import.moreRows', { shown: formatNumber(SHOWN_ROWS), total: formatNumber(rows.length) })}
              </Text>
            )}
          </Stack>
        )}

        <Group justify="flex-end">
          {report?.applied ? (
            <>
              <Button variant="default" onClick={reset}>
                {t('import.another')}
              </Button>
              <Button onClick={close}>{t('import.close')}</Button>
            </>
          ) : (
            <>
              <Button variant="default" onClick={close}>
                {t('import.cancel')}
              </Button>
              <Button
                variant={report ? 'default' : 'filled'}
                onClick={() => void send('check', mapping)}
                disabled={!file || !!busy}
                data-testid="asset-import-check"
              >
                {report ? t('import.checkAgain') : t('import.check')}
              </Button>
              {report && (
                <Button
                  onClick={() => void send('import', mapping)}
                  disabled={!!busy || stale || report.summary.refused > 0 || writable === 0}
                  data-testid="asset-import-run"
                >
                  {t('import.run', { count: writable })}
                </Button>
              )}
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
